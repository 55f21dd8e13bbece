"""自提 in a remark: the reader reads it as the courier PICKUP (local pickup) and, once the desk
acknowledges it, the order goes ready for local pickup with no waybill, as 请发顺丰 gives SF."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from pickpack.config import Config, CouriersConfig
from pickpack.core.context import Floor
from pickpack.core.couriers.rules import PICKUP
from pickpack.core.desk.ack import acknowledge
from pickpack.core.desk.remarks import read_remarks
from pickpack.core.release import release
from pickpack.core.tables import WAYBILLS
from pickpack.store import open_store
from tests.conftest import make_config
from tests.core.desk_kit import CLERK, events, oid, row, set_order
from tests.core.floorkit import seed

A = "3900000000000000000"
NAMES = CouriersConfig().names


@pytest.mark.parametrize(("buyer", "want"), [
    ("到店自提", [("courier", PICKUP, False)]),
    ("我自提，不用发快递", [("courier", PICKUP, False)]),
    ("我自提不用发快递", [("courier", PICKUP, False)]),  # the 不用 is about the courier
    ("明天自己过来取", [("courier", PICKUP, False)]),
    ("不要自提了，请发顺丰", [("courier", PICKUP, True), ("courier", "SF", False)]),
    ("放驿站就行", []),  # a courier's pickup point: still a parcel
    ("放丰巢自提柜", []),
    ("送到菜鸟自提点", []),
])
def test_the_reader_reads_local_pickup(buyer: str, want: list[tuple[str, str, bool]]) -> None:
    assert [(a.kind, a.value, a.negated)
            for a in read_remarks(buyer, "", couriers=NAMES)] == want


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return make_config(tmp_path)


@pytest.fixture
def engine(config: Config) -> Iterator[Engine]:
    eng = open_store(config, create=True)
    seed(eng, orders=3)
    yield eng
    eng.dispose()


def test_an_acknowledged_pickup_remark_releases_the_order_for_local_pickup(
        engine: Engine, config: Config) -> None:
    set_order(engine, A, buyer_remark="周末到店自提，谢谢")
    release(engine, config, CLERK)
    assert row(engine, A).hold_reason == "remark to acknowledge: courier"
    done = acknowledge(Floor(engine, config), CLERK, oid(engine, A))
    assert done.state == "ready"
    a = row(engine, A)
    assert (a.courier, a.tracking_no, a.remark_ack) == (PICKUP, None, True)
    acked = events(engine, A, "remark_acked")[-1][1]
    assert acked["actions"] == [{"kind": "courier", "value": PICKUP, "negated": False}]
    released = events(engine, A, "released")[-1][1]
    assert (released["courier"], released["tracking_no"]) == (PICKUP, None)
    with engine.connect() as conn:
        assert conn.execute(select(WAYBILLS).where(WAYBILLS.c.order_id == a.id)).first() is None


def test_a_ready_order_acknowledged_for_pickup_gives_its_waybill_back(
        tmp_path: Path) -> None:
    config = make_config(tmp_path, floor={"remarks_need_ack": False})
    engine = open_store(config, create=True)
    try:
        seed(engine, orders=3)
        set_order(engine, A, buyer_remark="自己来拿")
        release(engine, config, CLERK)
        before = row(engine, A)
        assert before.state == "ready" and before.tracking_no
        acknowledge(Floor(engine, config), CLERK, before.id)
        a = row(engine, A)
        assert (a.state, a.courier, a.tracking_no) == ("ready", PICKUP, None)
        with engine.connect() as conn:
            back = conn.execute(select(WAYBILLS.c.order_id).where(
                WAYBILLS.c.tracking_no == before.tracking_no)).scalar()
        assert back is None  # never printed: back in the pool
        trail = events(engine, A)
        assert [k for k, _ in trail][-3:] == ["remark_acked", "reaudit", "released"]
        assert trail[-1][1]["courier"] == PICKUP and trail[-1][1]["tracking_no"] is None
    finally:
        engine.dispose()


@pytest.mark.parametrize(("buyer", "want"), [
    ("不要发中通", [("courier", "ZTO", True)]),  # 中通 is ZTO's word, not 中通快运's
    ("请发中通快运", [("courier", "ZTOKY", False)]),
])
def test_couriers_whose_names_start_alike_are_told_apart(
        buyer: str, want: list[tuple[str, str, bool]]) -> None:
    assert [(a.kind, a.value, a.negated)
            for a in read_remarks(buyer, "", couriers=NAMES)] == want


def test_pickup_acknowledged_once_the_express_slip_is_queued_is_refused(tmp_path: Path) -> None:
    from pickpack.core.refusal import Refusal
    from pickpack.printing.queue import PrintQueue

    config = make_config(tmp_path, floor={"remarks_need_ack": False})
    engine = open_store(config, create=True)
    try:
        seed(engine, orders=3)
        set_order(engine, A, buyer_remark="到店自提")
        release(engine, config, CLERK)
        before = row(engine, A)
        PrintQueue(engine, config, CLERK).enqueue_slips(before.id)  # its number may reach paper
        with pytest.raises(Refusal) as refused:
            acknowledge(Floor(engine, config), CLERK, before.id)
        assert refused.value.code == "pickup_too_late"
        a = row(engine, A)
        assert (a.courier, a.tracking_no, a.remark_ack) == (before.courier, before.tracking_no,
                                                            False)
    finally:
        engine.dispose()
