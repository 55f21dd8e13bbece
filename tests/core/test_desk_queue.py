"""The desk's audit queue (issue 16 item 1): new and held orders grouped by why each is not
ready, with the fix; audit rounds take orders paid before the previous round's boundary and
propose merges of one buyer's orders first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, insert, update

from db.engine import write_tx
from pickpack.config import Config, parse_config
from pickpack.core.desk.queue import (
    GROUP_FIX,
    UNAUDITED,
    audit_queue,
    audit_round,
    reason_group,
    round_boundary,
)
from pickpack.core.events import Actor
from pickpack.core.release import release
from pickpack.core.tables import LINES, ORDERS
from tests.core.floorkit import PAID, seed

CLERK = Actor("D1", "OP5001", "clerk")


def _order(engine: Engine, no: str, **values: object) -> int:
    row: dict[str, object] = dict(
        order_no=no, buyer="tb9", receiver_name="李四", receiver_phone="13900009999",
        province="浙江省", city="杭州市", district="西湖区", street="文三路2号", paid_at=PAID,
        state="new")
    row.update(values)
    with write_tx(engine) as conn:
        oid = int(conn.execute(insert(ORDERS).values(**row)).inserted_primary_key[0])
        conn.execute(insert(LINES).values(order_id=oid, sku="TEE-BK-XL", name="T恤", qty=1))
    return oid


def test_orders_grouped_by_reason_with_the_fix(engine: Engine, config: Config) -> None:
    seed(engine, orders=2)
    _order(engine, "X-SKU", paid_at=PAID + timedelta(minutes=5))
    _order(engine, "X-ADDR", street="", paid_at=PAID + timedelta(minutes=6))
    _order(engine, "X-BULK", paid_at=PAID + timedelta(minutes=7))
    with write_tx(engine) as conn:
        conn.execute(update(LINES).where(LINES.c.order_id == 3).values(sku="NOPE"))
        conn.execute(update(LINES).where(LINES.c.order_id == 5).values(qty=30))
    release(engine, config, CLERK)
    _order(engine, "X-NEW", paid_at=PAID + timedelta(minutes=8))
    with engine.connect() as conn:
        groups = {g.key: g for g in audit_queue(conn)}
    assert set(groups) == {UNAUDITED, "unknown_sku", "address", "bulk"}
    assert [e.order_no for e in groups["unknown_sku"].entries] == ["X-SKU"]
    assert groups["unknown_sku"].entries[0].hold_reason == "unknown SKU: NOPE"
    assert groups["address"].count == 1 and groups[UNAUDITED].count == 1
    assert groups["bulk"].fix == GROUP_FIX["bulk"] and "supervisor" in groups["bulk"].fix


def test_counts_stay_exact_when_the_list_is_cut(engine: Engine) -> None:
    for i in range(5):
        _order(engine, f"N{i}", paid_at=PAID + timedelta(minutes=i))
    with engine.connect() as conn:
        (group,) = audit_queue(conn, rows=2)
    assert group.count == 5
    assert [e.order_no for e in group.entries] == ["N0", "N1"]  # first paid first


def test_reason_groups() -> None:
    assert reason_group("new", "") == UNAUDITED
    assert reason_group("held", "short of stock: MUG") == "stock"
    assert reason_group("held", "no waybill left for ZTO (pdd e-waybill pool)") == "waybill"
    assert reason_group("held", "weight 950 g, expected 600–700 g") == "weight"
    assert reason_group("held", "item damaged") == "other"


def test_round_boundaries_on_the_warehouse_clock() -> None:
    cfg = parse_config({"floor": {"audit_round_min": 30}}, "test")
    at = datetime(2026, 11, 20, 2, 47, tzinfo=UTC)  # 10:47 in Shanghai
    b = round_boundary(at, cfg)
    assert (b.hour, b.minute) == (10, 30) and b.utcoffset() == timedelta(hours=8)
    cfg40 = parse_config({"floor": {"audit_round_min": 40}}, "test")
    assert round_boundary(at, cfg40).strftime("%H:%M") == "10:40"  # 16 × 40 min from midnight


def test_round_takes_orders_paid_before_the_previous_boundary(engine: Engine,
                                                              config: Config) -> None:
    # PAID is 17:00 Shanghai: the round at 17:47 (boundary 17:30) takes orders paid before 17:00
    _order(engine, "EARLY", paid_at=PAID - timedelta(minutes=1))
    _order(engine, "LATE", paid_at=PAID + timedelta(minutes=10))
    _order(engine, "UNPAID", paid_at=None)
    with engine.connect() as conn:
        plan = audit_round(conn, config, PAID + timedelta(minutes=47))
    assert plan.boundary.strftime("%H:%M") == "17:30" and plan.cutoff.strftime("%H:%M") == "17:00"
    assert [e.order_no for e in plan.due] == ["EARLY"]
    assert plan.waiting == 2
    (merge,) = plan.merges  # one buyer, one address; the unpaid order is left out

    assert merge.order_nos == ("EARLY", "LATE") and merge.buyer == "tb9"


def test_merges_need_the_same_address_and_a_due_order(engine: Engine, config: Config) -> None:
    _order(engine, "A1", paid_at=PAID - timedelta(minutes=40))
    _order(engine, "A2", paid_at=PAID - timedelta(minutes=35), street="别的路9号")
    _order(engine, "B1", buyer="other", paid_at=PAID + timedelta(minutes=1))
    _order(engine, "B2", buyer="other", paid_at=PAID + timedelta(minutes=2))
    with engine.connect() as conn:
        plan = audit_round(conn, config, PAID + timedelta(minutes=47))
    assert [e.order_no for e in plan.due] == ["A1", "A2"]
    assert plan.merges == ()  # A1/A2: two addresses; B1/B2: neither due in this round


def test_a_round_releases_only_its_own_orders(engine: Engine, config: Config) -> None:
    from pickpack.core.context import Floor
    from pickpack.core.desk.queue import run_round
    from pickpack.core.tables import SKUS, WAYBILLS

    seed(engine, orders=0)  # catalog, couriers with 5 waybills, operators
    with write_tx(engine) as conn:
        conn.execute(insert(WAYBILLS).values(tracking_no="7999", courier="ZTO"))
    gone = _order(engine, "HELD-GONE", paid_at=PAID - timedelta(hours=2))
    with write_tx(engine) as conn:
        conn.execute(update(LINES).where(LINES.c.order_id == gone).values(sku="LATER"))
    release(engine, config, CLERK)  # held: unknown SKU LATER
    with write_tx(engine) as conn:
        conn.execute(insert(SKUS).values(sku="LATER", name="新品", on_hand=50))
    _order(engine, "EARLY", paid_at=PAID - timedelta(minutes=1), buyer="a")
    _order(engine, "LATE", paid_at=PAID + timedelta(minutes=10), buyer="b")
    floor = Floor(engine, config)
    with engine.connect() as conn:
        plan = audit_round(conn, config, PAID + timedelta(minutes=47))
    result = run_round(floor, CLERK, plan)
    assert (result.ready, result.held, result.cleared, result.skipped) == (2, 0, 1, 0)
    with engine.connect() as conn:
        states = dict(conn.execute(ORDERS.select().with_only_columns(
            ORDERS.c.order_no, ORDERS.c.state)).all())
    assert states == {"HELD-GONE": "ready", "EARLY": "ready", "LATE": "new"}
    again = run_round(floor, CLERK, plan)  # another desk took the round already
    assert (again.ready, again.skipped) == (0, 1)
