"""A platform order closed or refunded while it travels merged with others in one parcel.

The desk's merge (pickpack.core.desk.parcels) makes one ``orders`` row the parcel: the other
orders' lines move onto it (``desk_line.origin_id`` remembers whose) and those orders are
``merged``. A later order export closing one of them (pickpack.intake.writer) or a refund
export refunding it (pickpack.core.aftersales.refunds) must act on the parcel, never cancel it
whole for one order, and never ship the refunded order's lines:

- **a merged order closed**: it is cancelled; while the parcel can still change (new, held or
  ready, express slip not out) its lines go back to it and off the parcel, which goes back to
  ``new`` to be audited again at the next round (event ``reaudit``); after that, the parcel is
  held naming the refunded order (the desk takes its lines out). A parcel already gone is left
  to after-sales.
- **the parcel's own order closed**: the orders merged into it go back to ``new`` with their
  lines (the next audit round releases them); the parcel is then cancelled as any closed order
  (intercepted on the floor).

Every change is an event in the caller's transaction. ``reason`` says why in the events
(``platform_closed`` for the order export, ``platform_refund`` for the refund export).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Row, or_, select, update

from pickpack.core.context import lock_order, move
from pickpack.core.desk.parcels import CHANGEABLE, MERGED
from pickpack.core.desk.rows import DESK_LINES, DESK_ORDERS, set_desk
from pickpack.core.desk.waybills import slip_out
from pickpack.core.events import Actor, append_event
from pickpack.core.lifecycle import CANCELLED, HELD, NEW, ON_FLOOR, READY
from pickpack.core.tables import LINES

REFUNDED_HOLD = "merged order {no} refunded on the platform (合并订单已退款): take its lines out"
"""The parcel's hold when a merged order closes after its slip is out (stored as written,
like the other import holds: English with the platform's words)."""


def parcels_with_merged(conn: Connection, order_ids: list[int]) -> set[int]:
    """Which of ``order_ids`` are parcels that orders are merged into."""
    found: set[int] = set()
    for start in range(0, len(order_ids), 900):
        found.update(int(p) for p in conn.execute(
            select(DESK_ORDERS.c.parcel_id).where(
                DESK_ORDERS.c.parcel_id.in_(order_ids[start:start + 900]))).scalars())
    return found


def _lines_of(conn: Connection, parcel_id: int, origin_id: int) -> list[int]:
    return list(conn.execute(
        select(LINES.c.id).join(DESK_LINES, DESK_LINES.c.line_id == LINES.c.id)
        .where(LINES.c.order_id == parcel_id, DESK_LINES.c.origin_id == origin_id)
        .order_by(LINES.c.id)).scalars())


def _take_back(conn: Connection, parcel: Row[Any], child_id: int) -> list[int]:
    """The child's lines off the parcel and back on the child (not picked any more)."""
    back = _lines_of(conn, parcel.id, child_id)
    if back:
        conn.execute(update(LINES).where(LINES.c.id.in_(back))
                     .values(order_id=child_id, scanned=0))
    set_desk(conn, child_id, parcel_id=None)
    return back


def parcel_of(conn: Connection, order_id: int) -> int | None:
    """The parcel a ``merged`` platform order travels in (None: it is no merged order)."""
    found = conn.execute(select(DESK_ORDERS.c.parcel_id)
                         .where(DESK_ORDERS.c.order_id == order_id)).scalar()
    return None if found is None else int(found)


def own_line_ids(conn: Connection, order_id: int) -> list[int]:
    """The lines of a parcel that are its own platform order's (not merged into it)."""
    return list(conn.execute(
        select(LINES.c.id).outerjoin(DESK_LINES, DESK_LINES.c.line_id == LINES.c.id)
        .where(LINES.c.order_id == order_id,
               or_(DESK_LINES.c.origin_id.is_(None), DESK_LINES.c.origin_id == order_id))
        .order_by(LINES.c.id)).scalars())


def close_merged(conn: Connection, actor: Actor, child_id: int,
                 where: dict[str, Any], reason: str = "platform_closed") -> str | None:
    """A merged order closed: see the module docstring. Returns ``cancelled``, ``unchanged``
    (its parcel has left), or None when the order is not merged (any more)."""
    child = lock_order(conn, child_id)
    parcel_id = conn.execute(select(DESK_ORDERS.c.parcel_id)
                             .where(DESK_ORDERS.c.order_id == child_id)).scalar()
    if child.state != MERGED or parcel_id is None:
        return None
    parcel = lock_order(conn, int(parcel_id))
    closed = {"reason": reason}
    info = {**closed, **where, "parcel": parcel.order_no}
    if parcel.state == CANCELLED:
        back = _take_back(conn, parcel, child.id)
        move(conn, actor, child, CANCELLED, "cancelled", {**info, "lines": back})
        return "cancelled"
    if parcel.state in CHANGEABLE and not slip_out(conn, parcel.id):
        back = _take_back(conn, parcel, child.id)
        move(conn, actor, child, CANCELLED, "cancelled", {**info, "lines": back})
        append_event(conn, actor, "unmerged", parcel.id,
                     {**closed, "orders": [child.order_no], "lines": back})
        fresh = lock_order(conn, parcel.id)
        if fresh.state == READY:
            move(conn, actor, fresh, NEW, "reaudit", {"why": "parcel changed", **closed,
                                                      "order": child.order_no})
        return "cancelled"
    if parcel.state in ON_FLOOR or parcel.state == HELD:
        move(conn, actor, child, CANCELLED, "cancelled", {**info, "lines_in_parcel": True})
        hold = REFUNDED_HOLD.format(no=child.order_no)
        if parcel.state == HELD:
            append_event(conn, actor, "held", parcel.id,
                         {"reason": hold, "refunded_order": child.order_no})
        else:
            move(conn, actor, parcel, HELD, "held",
                 {"reason": hold, "refunded_order": child.order_no},
                 hold_reason=hold[:200], held_from=parcel.state)
        return "cancelled"
    return "unchanged"  # the parcel left: the refund is after-sales' (a return)


def give_back_merged(conn: Connection, actor: Actor, parcel_id: int,
                     where: dict[str, Any], reason: str = "platform_closed") -> list[str]:
    """The parcel's own order closed: every order merged into it back to ``new`` with its
    lines (event ``unmerged`` on each and on the parcel); their order numbers."""
    parcel = lock_order(conn, parcel_id)
    children = list(conn.execute(select(DESK_ORDERS.c.order_id)
                                 .where(DESK_ORDERS.c.parcel_id == parcel_id)
                                 .order_by(DESK_ORDERS.c.order_id)).scalars())
    names: list[str] = []
    for child_id in children:
        child = lock_order(conn, int(child_id))
        back = _take_back(conn, parcel, child.id)
        if child.state == MERGED:
            move(conn, actor, child, NEW, "unmerged",
                 {"reason": reason, **where, "parcel": parcel.order_no, "lines": back})
        names.append(child.order_no)
    if names:
        append_event(conn, actor, "unmerged", parcel.id, {"reason": reason, "orders": names})
    return names
