"""``release`` re-audits the audit's own holds (issue 13 item 3): once the reason is gone the
order leaves ``held`` with no supervisor, evented; holds made by hand or at a station stay."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, insert, select, update

from db.engine import write_tx
from pickpack.config import Config
from pickpack.core.events import Actor
from pickpack.core.release import release
from pickpack.core.tables import COURIERS, EVENTS, LINES, ORDERS, SKUS, WAYBILLS
from pickpack.intake import import_catalog, import_waybills

CLERK = Actor("D1", "clerk")
PAID = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def _order(conn: Any, no: str, skus: list[tuple[str, int]], i: int, **kw: Any) -> int:
    values: dict[str, Any] = dict(
        order_no=no, receiver_name="张三", receiver_phone="13812341234", province="浙江省",
        city="杭州市", street="长江路1号", paid_at=PAID + timedelta(minutes=i), state="new")
    values.update(kw)
    oid = int(conn.execute(insert(ORDERS).values(**values)).inserted_primary_key[0])
    for sku, qty in skus:
        conn.execute(insert(LINES).values(order_id=oid, sku=sku, name=sku, qty=qty))
    return oid


@pytest.fixture
def store(engine: Engine) -> Engine:
    with write_tx(engine) as conn:
        conn.execute(insert(SKUS).values(sku="TEE", name="T恤", on_hand=50))
        conn.execute(insert(SKUS).values(sku="MUG", name="杯", on_hand=4))
        conn.execute(insert(COURIERS).values(code="ZTO", name="中通"))
        for i in range(6):
            conn.execute(insert(WAYBILLS).values(tracking_no=f"7{i:013d}", courier="ZTO"))
        _order(conn, "A-SKU", [("TEE", 1), ("NEWSKU", 1)], 0)
        _order(conn, "B-ADDR", [("TEE", 1)], 1, receiver_phone="")
        _order(conn, "C-STOCK", [("MUG", 2)], 2)
        _order(conn, "D-BULK", [("TEE", 25)], 3)
    return engine


def _state(engine: Engine, no: str) -> tuple[str, str]:
    with engine.connect() as conn:
        r = conn.execute(select(ORDERS.c.state, ORDERS.c.hold_reason)
                         .where(ORDERS.c.order_no == no)).one()
    return r.state, r.hold_reason


def _kinds(engine: Engine, no: str) -> list[tuple[str, dict[str, Any]]]:
    with engine.connect() as conn:
        return [(k, json.loads(p)) for k, p in conn.execute(
            select(EVENTS.c.kind, EVENTS.c.payload).join(ORDERS, ORDERS.c.id == EVENTS.c.order_id)
            .where(ORDERS.c.order_no == no).order_by(EVENTS.c.id))]


def test_reasons_gone_release_with_no_supervisor(store: Engine, config: Config,
                                                  tmp_path: Path) -> None:
    first = release(store, config, CLERK)
    assert first.ready == 0 and first.held_total == 4
    assert _state(store, "A-SKU") == ("held", "unknown SKU: NEWSKU")
    assert _state(store, "C-STOCK") == ("held", "short of stock: MUG")
    before = {no: len(_kinds(store, no)) for no in ("A-SKU", "B-ADDR", "C-STOCK", "D-BULK")}
    # nothing changed: a second release writes nothing
    again = release(store, config, CLERK)
    assert (again.ready, again.cleared) == (0, 0)
    assert {no: len(_kinds(store, no)) for no in before} == before

    cat = tmp_path / "catalog.csv"
    cat.write_text("sku,name,barcodes,on_hand\nNEWSKU,新品,6901234567892,30\n", encoding="utf-8")
    import_catalog(store, cat, skip_bad=False)  # the SKU is imported since
    with write_tx(store) as conn:  # the address completed, stock arrived
        conn.execute(update(ORDERS).where(ORDERS.c.order_no == "B-ADDR")
                     .values(receiver_phone="13900000000"))
        conn.execute(update(SKUS).where(SKUS.c.sku == "MUG").values(on_hand=40))
    res = release(store, config, CLERK)
    assert (res.cleared, res.ready) == (3, 3)
    for no in ("A-SKU", "B-ADDR", "C-STOCK"):
        assert _state(store, no) == ("ready", "")
        kinds = _kinds(store, no)
        assert [k for k, _ in kinds] == ["held", "hold_cleared", "released"]
        assert kinds[1][1]["by"] == "re-audit" and kinds[1][1]["reason"] == kinds[0][1]["reason"]
    assert _state(store, "D-BULK")[0] == "held"  # a bulk order's reason is never gone by itself
    assert len(_kinds(store, "D-BULK")) == before["D-BULK"]


def test_a_reason_that_changed_is_recorded(store: Engine, config: Config,
                                           tmp_path: Path) -> None:
    release(store, config, CLERK)
    with write_tx(store) as conn:
        conn.execute(insert(SKUS).values(sku="NEWSKU", name="新品", on_hand=0))
    res = release(store, config, CLERK)
    assert res.cleared == 0
    assert _state(store, "A-SKU") == ("held", "short of stock: NEWSKU")
    kind, payload = _kinds(store, "A-SKU")[-1]
    assert kind == "held" and payload["was"] == "unknown SKU: NEWSKU" and payload["audit"]


def test_waybills_imported_since(store: Engine, config: Config, tmp_path: Path) -> None:
    with write_tx(store) as conn:
        conn.execute(WAYBILLS.delete())
        _order(conn, "E-WAYBILL", [("TEE", 1)], 4)
    release(store, config, CLERK)
    assert _state(store, "E-WAYBILL") == ("held", "no waybill left for YTO")
    pool = tmp_path / "waybills.csv"
    pool.write_text("courier,tracking_no\nZTO,73100000001\n", encoding="utf-8")
    n = len(_kinds(store, "E-WAYBILL"))
    release(store, config, CLERK)  # still none: nothing written
    assert len(_kinds(store, "E-WAYBILL")) == n
    import_waybills(store, pool, skip_bad=False)
    res = release(store, config, CLERK)
    assert _state(store, "E-WAYBILL") == ("ready", "") and res.cleared == 1


def test_remark_hold_waits_for_the_acknowledgement(store: Engine, config: Config) -> None:
    with write_tx(store) as conn:
        oid = _order(conn, "F-REMARK", [("TEE", 1)], 5, state="held", held_from="new",
                     buyer_remark="周五前送到", hold_reason="remark to acknowledge")
        conn.execute(insert(EVENTS).values(uuid="f" * 32, order_id=oid, kind="held", at=PAID,
                                           payload='{"reason": "remark to acknowledge"}'))
    release(store, config, CLERK)
    assert _state(store, "F-REMARK") == ("held", "remark to acknowledge")
    assert len(_kinds(store, "F-REMARK")) == 1
    with write_tx(store) as conn:
        conn.execute(update(ORDERS).where(ORDERS.c.id == oid).values(remark_ack=True))
    release(store, config, CLERK)
    assert _state(store, "F-REMARK") == ("ready", "")


def test_manual_and_station_holds_stay(store: Engine, config: Config) -> None:
    with write_tx(store) as conn:
        weigh = _order(conn, "G-WEIGHT", [("TEE", 1)], 6, state="held", held_from="weighed",
                       hold_reason="weight 1500 g, expected 214 g")
        desk = _order(conn, "H-DESK", [("TEE", 1)], 7, state="held", held_from="new",
                      hold_reason="short of stock: buyer asked to wait")
        conn.execute(insert(EVENTS).values(uuid="a" * 32, order_id=weigh, kind="weight_exception",
                                           at=PAID, payload="{}"))
        conn.execute(insert(EVENTS).values(
            uuid="b" * 32, order_id=desk, kind="held", at=PAID,
            payload='{"reason": "short of stock: buyer asked to wait", "audit": false}'))
    release(store, config, CLERK)
    assert _state(store, "G-WEIGHT") == ("held", "weight 1500 g, expected 214 g")
    assert _state(store, "H-DESK") == ("held", "short of stock: buyer asked to wait")
    assert len(_kinds(store, "G-WEIGHT")) == len(_kinds(store, "H-DESK")) == 1


def test_cli_release_says_how_many_holds_it_cleared(store: Engine, config: Config,
                                                    tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    from pickpack.cli import main

    (tmp_path / "config.toml").write_text(f'[store]\nurl = "{config.store.url}"\n',
                                          encoding="utf-8")
    assert main(["release"]) == 0
    with write_tx(store) as conn:
        conn.execute(update(ORDERS).where(ORDERS.c.order_no == "B-ADDR")
                     .values(receiver_phone="13900000000"))
    assert main(["release", "--json"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].endswith("; 0 holds cleared by the re-audit")
    assert json.loads(out[1])["cleared"] == 1 and json.loads(out[1])["ready"] == 1
