"""Address and receiver changes (issue 16.5): before printing the courier is chosen again;
after printing the old waybill is voided for good, a new one prints, the old slip is refused."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, insert, select

from db.engine import write_tx
from pickpack.config import Config
from pickpack.core.context import Floor
from pickpack.core.desk.address import edit_address
from pickpack.core.desk.rows import VOID_WAYBILLS
from pickpack.core.events import Actor
from pickpack.core.orders import find_order_id, require_order_id
from pickpack.core.pick import bind_basket
from pickpack.core.refusal import Refusal
from pickpack.core.release import release
from pickpack.core.tables import PRINT_JOBS, WAYBILLS
from pickpack.core.verify import open_for_verify
from pickpack.store import open_store
from tests.conftest import make_config
from tests.core.desk_kit import CLERK, events, express_printed, oid, row, set_order
from tests.core.floorkit import seed

A, B, C = (f"39000000000000000{i:02d}" for i in range(3))
XINJIANG = {"province": "新疆维吾尔自治区", "city": "乌鲁木齐市", "district": "天山区",
            "street": "解放北路1号"}


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return make_config(tmp_path, couriers={"rules": [{"prefix": "新疆", "courier": "SF"}]})


@pytest.fixture
def engine(config: Config) -> Iterator[Engine]:
    eng = open_store(config, create=True)
    seed(eng, orders=3)
    with write_tx(eng) as conn:
        for i in range(2):
            conn.execute(insert(WAYBILLS).values(tracking_no=f"SF10000000000{i:02d}", courier="SF"))
    release(eng, config, CLERK)
    yield eng
    eng.dispose()


def holder(engine: Engine, tracking: str) -> int | None:
    with engine.connect() as conn:
        return conn.execute(select(WAYBILLS.c.order_id)
                            .where(WAYBILLS.c.tracking_no == tracking)).scalar()


def test_before_printing_the_courier_is_chosen_again(engine: Engine, config: Config) -> None:
    old = row(engine, A).tracking_no
    assert row(engine, A).courier == "ZTO"
    done = edit_address(Floor(engine, config), CLERK, oid(engine, A), XINJIANG, "buyer",
                        "buyer called at 10:05")
    a = row(engine, A)
    assert (a.state, a.courier, a.tracking_no) == ("ready", "SF", "SF1000000000000")
    assert done.changes["province"] == ["浙江省", "新疆维吾尔自治区"] and done.reason == "BUYER"
    assert holder(engine, old) is None  # never printed: back in the pool
    _, payload = events(engine, A, "address_changed")[-1]
    assert payload["code"] == "BUYER" and payload["note"] == "buyer called at 10:05"
    assert [k for k, _ in events(engine, A)][-3:] == ["address_changed", "reaudit", "released"]


def test_after_printing_the_old_waybill_is_void_for_good_and_its_slip_refused(
        engine: Engine, config: Config) -> None:
    floor = Floor(engine, config)
    old = row(engine, B).tracking_no
    express_printed(engine, B)
    set_order(engine, B, state="printed")
    done = edit_address(floor, CLERK, oid(engine, B), {"receiver_name": "李四",
                                                       "receiver_phone": "13900000000"}, "BUYER")
    b = row(engine, B)
    assert b.tracking_no != old and done.tracking_no == b.tracking_no and b.courier == "ZTO"
    assert done.note == f"void {old} → new waybill {b.tracking_no}"
    assert holder(engine, old) == b.id  # stays assigned: never back in the pool
    with engine.connect() as conn:
        void = conn.execute(select(VOID_WAYBILLS).where(VOID_WAYBILLS.c.tracking_no == old)).one()
        jobs = conn.execute(select(PRINT_JOBS.c.kind, PRINT_JOBS.c.payload)
                            .where(PRINT_JOBS.c.order_id == b.id)).all()
        assert find_order_id(conn, old) == b.id  # order show OLD still finds it
    assert (void.replaced_by, void.order_id) == (b.tracking_no, b.id)
    assert [k for k, _ in jobs] == ["express"] and b.tracking_no in jobs[0].payload
    assert events(engine, B, "waybill_voided")[-1][1]["void"] == old
    picker, verifier = Actor("P1", "OP1001", "picker"), Actor("V1", "OP2001", "verifier")
    for refuse in (lambda: bind_basket(floor, picker, "B001", old),
                   lambda: open_for_verify(floor, verifier, old)):
        with pytest.raises(Refusal, match=f"VOID SLIP {old}") as stop:
            refuse()
        assert stop.value.code == "void_slip"
    bind_basket(floor, picker, "B001", b.tracking_no)  # the new slip works
    # the voided number is never handed out again
    c = oid(engine, C)
    set_order(engine, C, state="new", tracking_no=None, courier=None)
    with write_tx(engine) as conn:
        conn.execute(WAYBILLS.update().where(WAYBILLS.c.order_id == c).values(order_id=None))
    release(engine, config, CLERK)
    assert row(engine, C).tracking_no != old


def test_bad_changes_are_refused_naming_the_field(engine: Engine, config: Config) -> None:
    floor = Floor(engine, config)
    cases = [({"receiver_name": " "}, "receiver_name cannot be empty"),
             ({"colour": "red"}, "Unknown field colour"),
             ({"street": "路\x1b[2J"}, "street: control characters"),
             ({"postcode": "1" * 13}, "postcode: at most 12"),
             ({}, "Nothing to change")]
    for changes, message in cases:
        with pytest.raises(Refusal, match=message):
            edit_address(floor, CLERK, oid(engine, A), changes, "BUYER")
    with pytest.raises(Refusal, match="Unknown reason code"):
        edit_address(floor, CLERK, oid(engine, A), {"city": "宁波市"}, "WHY")
    set_order(engine, A, state="shipped")
    with pytest.raises(Refusal, match="is shipped: its address cannot change"):
        edit_address(floor, CLERK, oid(engine, A), {"city": "宁波市"}, "BUYER")


def test_the_void_slip_and_the_reason_codes_read_in_chinese(engine: Engine, config: Config) -> None:
    from pickpack.core.desk.reasons import reason_text
    from pickpack.i18n import set_language

    old = row(engine, A).tracking_no
    express_printed(engine, A)
    edit_address(Floor(engine, config), CLERK, oid(engine, A), {"street": "长江路3号"}, "BUYER")
    set_language("zh_CN")
    try:
        with engine.connect() as conn, pytest.raises(Refusal) as stop:
            require_order_id(conn, old)
        assert stop.value.text().startswith(f"作废面单 {old}：订单 {A} 已换新运单")
        assert reason_text("cancel", "REFUND") == "发货前已退款"
    finally:
        set_language("en")


def test_completing_an_address_the_audit_held_releases_it_at_once(tmp_path: Path) -> None:
    cfg = make_config(tmp_path)
    eng = open_store(cfg, create=True)
    seed(eng, orders=1)
    set_order(eng, A, receiver_phone="")
    release(eng, cfg, CLERK)
    assert row(eng, A).hold_reason == "address incomplete: receiver_phone"
    done = edit_address(Floor(eng, cfg), CLERK, oid(eng, A), {"receiver_phone": "13700000000"},
                        "WRONG")
    assert done.state == "ready" and done.tracking_no
    assert [k for k, _ in events(eng, A)][-3:] == ["address_changed", "hold_cleared", "released"]
    eng.dispose()


def test_a_slip_queued_to_print_is_void_too_never_back_in_the_pool(
        engine: Engine, config: Config) -> None:
    from pickpack.printing.queue import PrintQueue

    old = row(engine, C).tracking_no
    PrintQueue(engine, config, CLERK).enqueue_slips(oid(engine, C))  # queued, not yet printed
    done = edit_address(Floor(engine, config), CLERK, oid(engine, C), {"city": "宁波市"}, "BUYER")
    assert done.note.startswith(f"void {old}") and holder(engine, old) == oid(engine, C)
    with engine.connect() as conn:
        jobs = conn.execute(select(PRINT_JOBS.c.state, PRINT_JOBS.c.payload)
                            .where(PRINT_JOBS.c.kind == "express").order_by(PRINT_JOBS.c.id)).all()
    assert [j.state for j in jobs] == ["void", "queued"] and done.tracking_no in jobs[1].payload
    assert PrintQueue(engine, config, CLERK).run_once() == 2  # the packing slip and the new one
