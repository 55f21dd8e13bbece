"""Supervisor overrides: accept a weight out of tolerance, release a held order, ship short.

Each needs a supervisor proven by badge and PIN (:func:`pickpack.core.authority.prove_supervisor`)
and a reason code, and is recorded as an ``override`` event naming both the supervisor and the
operator at the station. A ship-short ships what was counted: each short line keeps only its
counted quantity (so stock leaves, and the parcel is weighed, for what is in it) and what is owed
to the buyer is in the event's ``owed``.
"""

from __future__ import annotations

from sqlalchemy import Connection, select

from pickpack.core.authority import still_supervisor
from pickpack.core.context import Floor, lock_order, move
from pickpack.core.events import Actor
from pickpack.core.lifecycle import HELD, VERIFIED, WEIGHED, states_before
from pickpack.core.operators import OperatorInfo
from pickpack.core.orders import OrderView, load_order
from pickpack.core.pick import release_basket
from pickpack.core.refusal import Refusal
from pickpack.core.tables import LINES
from pickpack.i18n import N_

REASONS: dict[str, str] = {
    "R1": N_("packaging differs from standard"),
    "R2": N_("scale or item weight data wrong"),
    "R3": N_("customer agreed (short or split shipment)"),
    "R4": N_("audit problem resolved"),
    "R5": N_("stock shortage confirmed, ship what is there"),
}
KINDS = ("accept_weight", "release_hold", "ship_short")
KIND_NAMES: dict[str, str] = {
    "accept_weight": N_("accept the weight"),
    "release_hold": N_("release the hold"),
    "ship_short": N_("ship short"),
    "manual_weight": N_("typed weight"),
}
"""Each override's name in words, as a station names it (translated where shown)."""


def override(
    floor: Floor, actor: Actor, supervisor: OperatorInfo, order_id: int, kind: str, reason: str
) -> OrderView:
    """``supervisor`` comes from ``prove_supervisor`` (badge + PIN); it is checked again here
    (still an active, unlocked supervisor) in the override's own transaction."""
    if kind not in KINDS:
        raise Refusal("bad_override", "Unknown override {kind}", kind=kind)
    if reason not in REASONS:
        raise Refusal("bad_reason", "Unknown reason code {reason}", reason=reason)

    def tx(conn: Connection) -> OrderView:
        sup = still_supervisor(conn, supervisor)
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
            owed = [
                {"sku": r.sku, "line": r.id, "ordered": r.qty, "counted": r.scanned,
                 "missing": r.qty - r.scanned}
                for r in conn.execute(select(LINES).where(LINES.c.order_id == order_id)
                                      .order_by(LINES.c.id))
                if r.scanned < r.qty
            ]
            for line in owed:  # the parcel holds what was counted; stock leaves for that only
                conn.execute(LINES.update().where(LINES.c.id == line["line"])
                             .values(qty=line["counted"]))
            move(conn, actor, row, VERIFIED, "override",
                 {**payload, "short": [{"sku": o["sku"], "missing": o["missing"]} for o in owed],
                  "owed": owed}, verifier=actor.operator)
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
