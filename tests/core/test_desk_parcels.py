"""Merge and split (issue 16.4): one parcel for a buyer's orders, parcels of their own for a
split, undoable until the express slip prints, and through the whole floor to export shipped."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, insert, select

from db.engine import write_tx
from pickpack.config import Config
from pickpack.core.context import Floor
from pickpack.core.desk.holds import cancel_order, hold_order
from pickpack.core.desk.parcels import merge_orders, unmerge
from pickpack.core.desk.split import parse_lines, split_order, unsplit
from pickpack.core.flows import make_flow
from pickpack.core.orders import find_order_id, list_orders, load_order, require_order_id
from pickpack.core.refusal import Refusal
from pickpack.core.release import release
from pickpack.core.reports import export_shipped
from pickpack.core.tables import LINES, WAYBILLS
from pickpack.printing.queue import PrintQueue
from pickpack.scan import Scan
from tests.core.desk_kit import CLERK, events, express_printed, oid, row, seeded, set_order
from tests.core.floorkit import SKU_ROWS

A, B, C, D = (f"39000000000000000{i:02d}" for i in range(4))
BARCODE = {sku: code for sku, _n, code, _c, _w, _b, _h in SKU_ROWS}
WEIGHT = {sku: w for sku, _n, _c, _x, w, _b, _h in SKU_ROWS}


@pytest.fixture
def engine(config: Config) -> Iterator[Engine]:
    yield from seeded(config, orders=4)


@pytest.fixture
def floor(engine: Engine, config: Config) -> Floor:
    return Floor(engine, config)


def skus(engine: Engine, key: str) -> list[tuple[str, int]]:
    with engine.connect() as conn:
        return [(r.sku, r.qty) for r in conn.execute(
            select(LINES.c.sku, LINES.c.qty).where(LINES.c.order_id == oid(engine, key))
            .order_by(LINES.c.id))]


def line_of(engine: Engine, key: str, sku: str) -> int:
    order_id = oid(engine, key)
    with engine.connect() as conn:
        return next(line.id for line in load_order(conn, order_id).lines if line.sku == sku)


def test_merge_makes_one_parcel_every_order_number_leads_to(engine: Engine, config: Config,
                                                            floor: Floor) -> None:
    release(engine, config, CLERK)
    b_waybill = row(engine, B).tracking_no
    done = merge_orders(floor, CLERK, [oid(engine, B), oid(engine, A)])
    assert (done.parcel, done.orders, done.state) == (A, [A, B], "ready")
    assert skus(engine, A) == [("TEE-BK-XL", 1), ("MUG-WH", 2)] * 2
    b, a_id = row(engine, B), oid(engine, A)
    assert (b.state, b.tracking_no) == ("merged", None)
    with engine.connect() as conn:
        assert conn.execute(select(WAYBILLS.c.order_id)
                            .where(WAYBILLS.c.tracking_no == b_waybill)).scalar() is None
        assert require_order_id(conn, B) == a_id  # a station goes to the parcel
        assert find_order_id(conn, B) == b.id  # order show shows the platform order itself
        shown = load_order(conn, b.id, with_events=True)
        listed = {o["order_no"]: o for o in list_orders(conn)}
    assert shown.parcel is not None and shown.parcel["orders"] == [A, B]
    assert [line.sku for line in shown.lines] == ["TEE-BK-XL", "MUG-WH"]
    assert listed[B]["parcel"] == A and listed[B]["tracking_no"] == row(engine, A).tracking_no
    assert events(engine, B, "merged_into")[-1][1]["parcel"] == A
    assert events(engine, A, "merged")[-1][1]["orders"] == [A, B]
    with pytest.raises(Refusal, match=f"travels in parcel {A}: undo the merge first"):
        cancel_order(floor, CLERK, b.id, "REFUND")
    with pytest.raises(Refusal, match="a parcel of several orders: undo the merge first"):
        cancel_order(floor, CLERK, a_id, "REFUND")
    with pytest.raises(Refusal, match=f"travels in parcel {A}"):
        hold_order(floor, CLERK, b.id, "BUYER")
    back = unmerge(floor, CLERK, oid(engine, B))
    assert back.orders == [A] and skus(engine, B) == [("TEE-BK-XL", 1), ("MUG-WH", 2)]
    assert row(engine, B).state == "new" and skus(engine, A) == skus(engine, B)


def test_merge_refuses_another_address_a_printed_slip_or_a_remark_unread(
        engine: Engine, config: Config, floor: Floor) -> None:
    set_order(engine, C, street="长江路9号")
    set_order(engine, D, buyer_remark="不要放发票")
    release(engine, config, CLERK)
    with pytest.raises(Refusal, match="differ in street"):
        merge_orders(floor, CLERK, [oid(engine, A), oid(engine, C)])
    with pytest.raises(Refusal, match="remark to acknowledge: invoice first"):
        merge_orders(floor, CLERK, [oid(engine, A), oid(engine, D)])
    express_printed(engine, B)
    with pytest.raises(Refusal, match="can no longer be merged"):
        merge_orders(floor, CLERK, [oid(engine, A), oid(engine, B)])
    with pytest.raises(Refusal, match="two orders or more"):
        merge_orders(floor, CLERK, [oid(engine, A), oid(engine, A)])


def test_split_by_lines_gives_parcels_their_own_waybills(engine: Engine, config: Config,
                                                          floor: Floor) -> None:
    release(engine, config, CLERK)
    mug = line_of(engine, A, "MUG-WH")
    with pytest.raises(Refusal, match="has 2, not 3"):
        split_order(floor, CLERK, oid(engine, A), [(mug, 3)])
    done = split_order(floor, CLERK, oid(engine, A), parse_lines(f"{mug}:1"))
    part = f"{A}-2"
    assert done.parcels == [A, part]
    assert skus(engine, A) == [("TEE-BK-XL", 1), ("MUG-WH", 1)]
    assert skus(engine, part) == [("MUG-WH", 1)]
    a, p = row(engine, A), row(engine, part)
    assert a.state == p.state == "ready" and a.tracking_no and p.tracking_no != a.tracking_no
    with engine.connect() as conn:
        summary = load_order(conn, a.id, with_events=True).parcel
        listed = {o["order_no"]: o for o in list_orders(conn)}
    assert summary is not None and [x["order_no"] for x in summary["parcels"]] == [A, part]
    assert listed[part]["platform_order"] == A
    with pytest.raises(ValueError, match="LINE or LINE:QTY"):
        parse_lines("x:1")
    back = unsplit(floor, CLERK, p.id)
    assert back.parcel == A and skus(engine, A) == [("TEE-BK-XL", 1), ("MUG-WH", 2)]
    assert row(engine, part).state == "merged" and row(engine, part).tracking_no is None


def through_the_floor(floor: Floor, tracking: str, basket: str) -> None:
    """Pick, verify, pack, weigh, print and hand over one parcel, by scans."""
    def scan(flow, code: str):  # type: ignore[no-untyped-def]
        out = flow.handle(Scan(code))
        assert out.ok, (code, out.message)
        return out

    with floor.engine.connect() as conn:
        parcel = load_order(conn, require_order_id(conn, tracking))
    pick = make_flow(floor, "pick", "P1")
    for code in ("OP1001", basket, tracking, "CMD:DONE"):
        scan(pick, code)
    verify = make_flow(floor, "verify", "V1")
    scan(verify, "OP2001")
    scan(verify, basket)
    for line in parcel.lines:
        for _ in range(line.qty):
            scan(verify, BARCODE[line.sku])
    pack = make_flow(floor, "pack", "K1")
    for code in ("OP3001", tracking, "CMD:CARTON:M"):
        scan(pack, code)
    weigh = make_flow(floor, "weigh", "W1")
    scan(weigh, "OP3001")
    scan(weigh, tracking)
    grams = sum(WEIGHT[line.sku] * line.qty for line in parcel.lines) + 40
    assert weigh.on_weight(grams, stable=True).ok  # type: ignore[attr-defined]
    PrintQueue(floor.engine, floor.config).enqueue_slips(parcel.id)


def test_merged_and_split_parcels_through_the_floor_to_export_shipped(
        engine: Engine, config: Config, floor: Floor) -> None:
    with write_tx(engine) as conn:
        for i in range(4):
            conn.execute(insert(WAYBILLS).values(tracking_no=f"7{90 + i:013d}", courier="ZTO"))
    merge_orders(floor, CLERK, [oid(engine, A), oid(engine, B)])  # before the audit round
    mug = line_of(engine, C, "MUG-WH")
    split_order(floor, CLERK, oid(engine, C), [(mug, None)])
    result = release(engine, config, CLERK)
    assert result.ready == 4  # parcel A(+B), C, C-2, D
    parcels = [(row(engine, k).tracking_no, f"B00{i}") for i, k in
               enumerate((A, C, f"{C}-2"), start=1)]
    for tracking, basket in parcels:
        through_the_floor(floor, tracking, basket)
    assert PrintQueue(engine, config).run_once() == 6
    ship = make_flow(floor, "ship", "S1")
    ship.handle(Scan("OP3001"))
    for tracking, _ in parcels:
        assert ship.handle(Scan(tracking)).ok
    assert ship.handle(Scan("CMD:CLOSE")).ok
    rows = export_shipped(engine, CLERK)
    got = sorted((r["order_no"], r["tracking_no"]) for r in rows)
    t_a, t_c, t_c2 = (t for t, _ in parcels)
    assert got == sorted([(A, t_a), (B, t_a), (C, t_c), (C, t_c2)])
    assert row(engine, A).state == "shipped" and row(engine, B).state == "merged"
