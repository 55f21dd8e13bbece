"""Supervisor overrides: accept a weight out of tolerance, release a held order, ship short.

Each needs a supervisor's badge and a reason code and is recorded as an ``override`` event
naming both the supervisor and the operator at the station.
"""

from __future__ import annotations

from sqlalchemy import Connection, select

from pickpack.core.context import Floor, lock_order, move
from pickpack.core.events import Actor
from pickpack.core.lifecycle import HELD, VERIFIED, WEIGHED, states_before
from pickpack.core.operators import require_supervisor
from pickpack.core.orders import OrderView, load_order
from pickpack.core.pick import release_basket
from pickpack.core.refusal import Refusal
from pickpack.core.tables import LINES

REASONS: dict[str, str] = {
    "R1": "packaging differs from standard",
    "R2": "scale or item weight data wrong",
    "R3": "customer agreed (short or split shipment)",
    "R4": "audit problem resolved",
    "R5": "stock shortage confirmed, ship what is there",
}
KINDS = ("accept_weight", "release_hold", "ship_short")


def override(
    floor: Floor, actor: Actor, supervisor_badge: str, order_id: int, kind: str, reason: str
) -> OrderView:
    if kind not in KINDS:
        raise Refusal("bad_override", "Unknown override {kind}", kind=kind)
    if reason not in REASONS:
        raise Refusal("bad_reason", "Unknown reason code {reason}", reason=reason)

    def tx(conn: Connection) -> OrderView:
        sup = require_supervisor(conn, supervisor_badge)
        row = lock_order(conn, order_id)
        payload = {"override": kind, "supervisor": sup.code, "reason": reason,
                   "reason_text": REASONS[reason]}
        if kind == "accept_weight":
            if row.state != HELD or row.weight_g is None:
                raise Refusal("not_weight_held", "Order {order_no} has no weight exception",
                              order_no=row.order_no)
            move(conn, actor, row, WEIGHED, "override", payload, hold_reason="", held_from=None)
        elif kind == "release_hold":
            if row.state != HELD:
                raise Refusal("not_held", "Order {order_no} is not held", order_no=row.order_no)
            back = row.held_from or "new"
            move(conn, actor, row, back, "override", payload, hold_reason="", held_from=None)
        else:
            if row.state not in states_before("verify", floor.route):
                raise Refusal("not_at_verify", "Order {order_no} is not at verify",
                              order_no=row.order_no)
            short = [
                {"sku": r.sku, "missing": r.qty - r.scanned}
                for r in conn.execute(select(LINES).where(LINES.c.order_id == order_id))
                if r.scanned < r.qty
            ]
            move(conn, actor, row, VERIFIED, "override", {**payload, "short": short},
                 verifier=actor.operator)
            release_basket(conn, order_id)
        return load_order(conn, order_id)

    return floor.run(actor, tx, order_id=order_id)


def hold(floor: Floor, actor: Actor, order_id: int, reason: str) -> OrderView:
    """Put an order aside with a reason (CMD:HOLD at a station, or the desk)."""

    def tx(conn: Connection) -> OrderView:
        row = lock_order(conn, order_id)
        if row.state in (HELD, "cancelled", "shipped"):
            raise Refusal("cannot_hold", "Order {order_no} is {state}", order_no=row.order_no,
                          state=row.state)
        move(conn, actor, row, HELD, "held", {"reason": reason}, hold_reason=reason,
             held_from=row.state)
        return load_order(conn, order_id)

    return floor.run(actor, tx, order_id=order_id)
