"""Stock as a ledger (issue 16.8): every movement a row and an event; reserved and available;
counts by bin; shipping through the ledger; the migration opening the ledger."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, func, select, text, update

from db.engine import make_engine, write_tx
from db.migrate import _alembic_config, upgrade
from pickpack.config import Config
from pickpack.core.authority import prove_supervisor
from pickpack.core.context import Floor
from pickpack.core.events import Actor, append_event
from pickpack.core.pick import bind_basket, confirm_pick
from pickpack.core.refusal import Refusal
from pickpack.core.release import release
from pickpack.core.ship import close_manifest, scan_parcel
from pickpack.core.stock.adjust import adjust_stock
from pickpack.core.stock.count import count_bin, tally
from pickpack.core.stock.ledger import MOVEMENTS, STOCK_BINS, bins_of, stock_view
from pickpack.core.tables import EVENTS, ORDERS, SKUS
from tests.core.floorkit import SUPERVISOR_PIN, seed

CLERK = Actor("D1", "OP7001", "clerk")


@pytest.fixture
def floor(engine: Engine, config: Config) -> Floor:
    seed(engine, orders=3)
    return Floor(engine, config)


def on_hand(floor: Floor, sku: str) -> int:
    with floor.engine.connect() as conn:
        return int(conn.execute(select(SKUS.c.on_hand).where(SKUS.c.sku == sku)).scalar_one())


def moves(floor: Floor, kind: str) -> list[dict[str, object]]:
    with floor.engine.connect() as conn:
        rows = conn.execute(select(MOVEMENTS).where(MOVEMENTS.c.kind == kind)
                            .order_by(MOVEMENTS.c.id)).all()
        uuids = set(conn.execute(select(EVENTS.c.uuid)).scalars())
    assert all(r.event_uuid in uuids for r in rows), "a movement without its event"
    return [r._asdict() for r in rows]


def events(floor: Floor, kind: str) -> list[dict[str, object]]:
    with floor.engine.connect() as conn:
        return [{"operator": o, **json.loads(p)} for o, p in conn.execute(
            select(EVENTS.c.operator, EVENTS.c.payload).where(EVENTS.c.kind == kind)
            .order_by(EVENTS.c.id))]


def test_reserved_by_released_orders_and_available_after_safety(floor: Floor) -> None:
    assert release(floor.engine, floor.config, CLERK).ready == 3
    with floor.engine.connect() as conn:
        mug = stock_view(conn, 3, sku="MUG-WH")[0]
    assert (mug.on_hand, mug.reserved, mug.safety, mug.available) == (40, 6, 3, 31)
    assert mug.bins == {"C-02-01": 40}


def test_shipping_takes_stock_out_through_the_ledger(floor: Floor) -> None:
    release(floor.engine, floor.config, CLERK)
    packer = Actor("S1", "OP3001", "packer")
    with write_tx(floor.engine) as conn:
        oid = conn.execute(select(ORDERS.c.id).order_by(ORDERS.c.id)).scalars().first()
        conn.execute(update(ORDERS).where(ORDERS.c.id == oid).values(state="weighed"))
        append_event(conn, packer, "slip_printed", oid, {"kind": "express"})
        order_no = conn.execute(select(ORDERS.c.order_no).where(ORDERS.c.id == oid)).scalar_one()
    manifest = scan_parcel(floor, packer, order_no)
    close_manifest(floor, packer, manifest.id)
    assert (on_hand(floor, "MUG-WH"), on_hand(floor, "TEE-BK-XL")) == (38, 49)
    shipped = moves(floor, "shipped")
    assert [(m["sku"], m["bin"], m["delta"], m["on_hand"], m["order_id"]) for m in shipped] == [
        ("TEE-BK-XL", "A-01-02", -1, 49, oid), ("MUG-WH", "C-02-01", -2, 38, oid)]
    [ev] = events(floor, "stock_shipped")
    assert ev["operator"] == "OP3001" and len(ev["moves"]) == 2  # type: ignore[arg-type]


def test_a_count_expects_the_shelf_without_what_baskets_hold(floor: Floor) -> None:
    release(floor.engine, floor.config, CLERK)
    picker = Actor("P1", "OP1001", "picker")
    with floor.engine.connect() as conn:
        first = conn.execute(select(ORDERS.c.id, ORDERS.c.order_no).order_by(ORDERS.c.id)).first()
    assert first is not None
    bind_basket(floor, picker, "B101", first.order_no)
    confirm_pick(floor, picker, first.id)  # 2 mugs left the bin for the basket
    result = count_bin(floor, CLERK, "C-02-01", {"MUG-WH": 37})
    [line] = result.lines
    assert (line.expected, line.counted, line.in_baskets, line.delta) == (38, 37, 2, -1)
    assert on_hand(floor, "MUG-WH") == 39  # 37 on the shelf + 2 in the basket
    [ev] = events(floor, "stock_count")
    assert ev["bin"] == "C-02-01" and ev["operator"] == "OP7001"
    assert [(m["sku"], m["delta"]) for m in moves(floor, "count")] == [("MUG-WH", -1)]


def test_a_full_count_counts_what_was_not_scanned_as_none(floor: Floor) -> None:
    adjust_stock(floor, CLERK, "SOCK-3", "+4", "received", bin_code="C-02-01")
    assert on_hand(floor, "SOCK-3") == 9
    with floor.engine.connect() as conn:
        assert bins_of(conn, "SOCK-3") == {"B-03-04": 5, "C-02-01": 4}
        counted = tally(conn, [("6961760313721", 6), ("6952890786660", 4)])  # 6 cases + 4
    assert counted == {"MUG-WH": 40}
    result = count_bin(floor, CLERK, "C-02-01", counted)
    assert {(li.sku, li.delta) for li in result.lines} == {("MUG-WH", 0), ("SOCK-3", -4)}
    assert on_hand(floor, "SOCK-3") == 5
    with floor.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(STOCK_BINS)).scalar() == 0
    partial = count_bin(floor, CLERK, "A-01-02", {"TEE-BK-XL": 51}, partial=True)
    assert [li.delta for li in partial.lines] == [1] and on_hand(floor, "TEE-BK-XL") == 51


def test_a_count_refuses_unknown_items_and_writes_nothing(floor: Floor) -> None:
    with floor.engine.connect() as conn, pytest.raises(Refusal, match="Unknown item 6900000000007"):
        tally(conn, [("6900000000007", 1)])
    with pytest.raises(Refusal, match="Unknown SKU NOPE"):
        count_bin(floor, CLERK, "C-02-01", {"NOPE": 1})
    with pytest.raises(Refusal, match="holds nothing"):
        count_bin(floor, CLERK, "Z-99-99", {})
    assert moves(floor, "count") == [] and events(floor, "refused")[-1]["code"] == "empty_bin"


def test_adjustments_need_a_reason_and_a_supervisor_but_for_goods_received(floor: Floor) -> None:
    with pytest.raises(Refusal, match="needs a supervisor"):
        adjust_stock(floor, CLERK, "MUG-WH", "-2", "damaged")
    with pytest.raises(Refusal, match="needs a supervisor"):
        adjust_stock(floor, CLERK, "MUG-WH", "-2", "received")
    with pytest.raises(ValueError, match="unknown reason"):
        adjust_stock(floor, CLERK, "MUG-WH", "-2", "because")
    sup = prove_supervisor(floor, CLERK, "OP9001", SUPERVISOR_PIN)
    with pytest.raises(Refusal, match="cannot go below 0"):
        adjust_stock(floor, CLERK, "SOCK-3", "-6", "lost", supervisor=sup)
    done = adjust_stock(floor, CLERK, "MUG-WH", "=35", "damaged", note="箱子压坏",
                        supervisor=sup)
    assert (done.delta, done.on_hand, done.bin) == (-5, 35, "C-02-01")
    [ev] = events(floor, "stock_adjust")
    assert (ev["supervisor"], ev["reason"], ev["before"], ev["note"]) == (
        "OP9001", "damaged", 40, "箱子压坏")
    [m] = moves(floor, "adjust")
    assert (m["delta"], m["reason"], m["operator"]) == (-5, "damaged: 箱子压坏", "OP7001")


def test_migration_opens_the_ledger_with_the_stock_already_on_hand(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    alembic = _alembic_config()
    with engine.begin() as conn:
        alembic.attributes["connection"] = conn
        command.upgrade(alembic, "0014")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO sku (sku, name, attributes, weight_g, bin, price, on_hand)"
                          " VALUES ('P1', 'T恤', '', 200, 'A-01-01', 89, 12),"
                          " ('P2', '短裤', '', 160, '', 59, 0)"))
    upgrade(engine)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT sku, bin, delta, on_hand, kind, event_uuid"
                                 " FROM stock_movement")).all()
        ev = conn.execute(text("SELECT uuid, payload FROM event WHERE kind = 'stock_opened'")).one()
    engine.dispose()
    assert [tuple(r[:5]) for r in rows] == [("P1", "A-01-01", 12, 12, "opening")]
    assert rows[0].event_uuid == ev.uuid and json.loads(ev.payload) == {"skus": 1, "units": 12}


def test_a_restocked_return_is_a_returned_movement_of_the_ledger(floor: Floor) -> None:
    from pickpack.core.aftersales.stockback import stock_back

    with write_tx(floor.engine) as conn:
        stock_back(conn, CLERK, "MUG-WH", 2, order_id=None, return_id=7)
    assert on_hand(floor, "MUG-WH") == 42
    [m] = moves(floor, "returned")
    assert (m["bin"], m["delta"], m["on_hand"], m["reason"]) == ("C-02-01", 2, 42, "return 7")
    assert events(floor, "stock_returned")[0]["moves"][0]["delta"] == 2  # type: ignore[index]


def test_a_count_scanned_bin_first_then_items(floor: Floor) -> None:
    from pickpack.core.stock.counting import BinCount

    session = BinCount(floor, CLERK)
    with pytest.raises(Refusal, match="Scan the bin first"):
        session.scan("6952890786660")
    assert session.scan("C-02-01") == ("C-02-01", 0)
    assert session.scan("6961760313721") == ("MUG-WH", 6)  # a case of six
    assert session.scan("6952890786660") == ("MUG-WH", 7)
    with pytest.raises(Refusal, match="Unknown item 6900000000007"):
        session.scan("6900000000007")
    with pytest.raises(Refusal, match="is being counted"):
        session.scan("C-02-01")
    result = session.finish()
    assert [(li.sku, li.counted, li.delta) for li in result.lines] == [("MUG-WH", 7, -33)]
    assert on_hand(floor, "MUG-WH") == 7
    assert [e["code"] for e in events(floor, "refused")] == [
        "scan_bin_first", "unknown_item", "bin_again"]
