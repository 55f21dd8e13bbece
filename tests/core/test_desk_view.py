"""One order as the desk sees it (issue 16 item 1): lines, remarks, trail and slips."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine, insert, update

from db.engine import write_tx
from pickpack.config import Config
from pickpack.core.context import Floor
from pickpack.core.desk.view import clock, desk_order, detail
from pickpack.core.events import Actor
from pickpack.core.overrides import hold
from pickpack.core.release import release
from pickpack.core.tables import EVENTS, ORDERS, PRINT_JOBS
from tests.core.floorkit import seed

CLERK = Actor("D1", "OP5001", "clerk")


def test_lines_remarks_trail_and_slips(engine: Engine, config: Config) -> None:
    seed(engine, orders=1)
    release(engine, config, CLERK)
    hold(Floor(engine, config), CLERK, 1, "address to confirm with the buyer")
    at = datetime(2026, 11, 20, 9, 5, tzinfo=UTC)
    with write_tx(engine) as conn:
        conn.execute(update(ORDERS).values(seller_memo="老客户", remark_ack=True))
        conn.execute(update(EVENTS).values(at=at))
        conn.execute(insert(PRINT_JOBS).values(kind="express", order_id=1, printer="express",
                                               state="printed", created_at=at, printed_at=at,
                                               attempts=1, station="V1"))
    with engine.connect() as conn:
        view = desk_order(conn, config, 1)
    assert [(line.sku, line.qty, line.bin) for line in view.order.lines] == [
        ("TEE-BK-XL", 1, "A-01-02"), ("MUG-WH", 2, "C-02-01")]
    assert view.buyer == "tb1"
    assert (view.remarks.buyer_remark, view.remarks.seller_memo,
            view.remarks.acknowledged) == ("送个小礼物", "老客户", True)
    assert [(t.kind, t.at) for t in view.trail] == [("released", "11-20 17:05"),
                                                   ("held", "11-20 17:05")]
    assert view.trail[1].detail == "ready→held  reason: address to confirm with the buyer"
    assert view.trail[0].detail.startswith("new→ready  courier: ZTO  tracking_no: 7")
    (slip,) = view.slips
    assert (slip.kind, slip.state, slip.printed, slip.station) == (
        "express", "printed", "11-20 17:05", "V1")


def test_clock_and_detail_of_odd_values(config: Config) -> None:
    assert clock(None, config) == ""
    assert clock(datetime(2026, 11, 20, 16, 30), config) == "11-21 00:30"  # naive is UTC
    assert detail({}) == ""
    assert detail({"reason": "", "code": "BUYER", "raw": None}) == "code: BUYER"
    assert detail({"code": "x", "reason": "Order {order_no} is {state}",
                   "order_no": "39"}) == "reason: Order {order_no} is {state}  code: x"
    assert detail({"code": "not_held", "reason": "Order {order_no} is not held",
                   "order_no": "39"}) == "reason: Order 39 is not held  code: not_held"
