"""Merge: platform orders of one buyer to one address travel as one parcel (docs/DESK.md).

The model, decided once: **a parcel is an ``orders`` row** — the row the floor works on (one
waybill, one basket, its lines). A platform order is an ``orders`` row too; usually the two are
the same row. Merging makes the first paid order (or the parcel already made) the parcel: the
other orders' lines move to it (``desk_line.origin_id`` remembers whose they are) and those
orders go to the desk state ``merged`` with ``desk_order.parcel_id`` naming the parcel, so no
station and no audit takes them; their order numbers lead a station to the parcel
(:func:`pickpack.core.orders.require_order_id`). Undoable until the parcel's express slip
prints. Split is the other way (pickpack.core.desk.split).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import Connection, Row, select, update

from pickpack.core.context import Floor, lock_order, move
from pickpack.core.desk.rows import DESK_LINES, DESK_ORDERS, desk_row, set_desk
from pickpack.core.desk.waybills import give_back, slip_out
from pickpack.core.events import Actor, append_event
from pickpack.core.lifecycle import HELD, NEW, READY
from pickpack.core.refusal import Refusal
from pickpack.core.release import release_one, remark_problem
from pickpack.core.tables import LINES, ORDERS
from pickpack.i18n import N_, _

MERGED = "merged"
"""The desk state of a platform order that travels in another order's parcel."""
CHANGEABLE = (NEW, HELD, READY)
"""A parcel's lines change only before picking, and only while its express slip is unprinted."""
SAME = ("buyer", "platform", "receiver_name", "receiver_phone", "province", "city", "district",
        "street")


@dataclass(frozen=True, slots=True)
class ParcelChange:
    parcel: str
    state: str
    orders: list[str]
    action: str
    tracking_no: str | None = None
    parcels: list[str] = field(default_factory=list)
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def parcel_summary(conn: Connection, row: Row[Any], desk: Row[Any] | None) -> dict[str, Any] | None:
    """The parcel a platform order travels in and every platform order in it; for a split
    platform order, each of its parcels. None for an order that is one parcel of its own."""
    host_id = desk.parcel_id if desk is not None and desk.parcel_id is not None else row.id
    platform_id = desk.split_from if desk is not None and desk.split_from is not None else row.id
    members = list(conn.execute(
        select(ORDERS.c.order_no).join(DESK_ORDERS, DESK_ORDERS.c.order_id == ORDERS.c.id)
        .where(DESK_ORDERS.c.parcel_id == host_id).order_by(ORDERS.c.id)).scalars())
    splits = conn.execute(
        select(ORDERS.c.order_no, ORDERS.c.tracking_no, ORDERS.c.state)
        .join(DESK_ORDERS, DESK_ORDERS.c.order_id == ORDERS.c.id)
        .where(DESK_ORDERS.c.split_from == platform_id, ORDERS.c.state != MERGED)
        .order_by(ORDERS.c.id)).all()
    if not members and not splits:
        return None
    host = conn.execute(select(ORDERS.c.order_no, ORDERS.c.tracking_no, ORDERS.c.courier,
                               ORDERS.c.state).where(ORDERS.c.id == host_id)).one()
    platform = conn.execute(select(ORDERS.c.order_no, ORDERS.c.tracking_no, ORDERS.c.state)
                            .where(ORDERS.c.id == platform_id)).one()
    parcels = [{"order_no": p.order_no, "tracking_no": p.tracking_no, "state": p.state}
               for p in (platform, *splits)]
    return {"order_no": host.order_no, "tracking_no": host.tracking_no, "courier": host.courier,
            "state": host.state, "orders": [host.order_no, *members],
            "parcels": parcels if splits else []}


def platform_orders(conn: Connection, order_id: int, order_no: str) -> list[str]:
    """The platform order numbers a parcel answers for (``export shipped``): its own (a split
    parcel: its platform order's) and every order merged into it."""
    desk = desk_row(conn, order_id)
    own = order_no
    if desk is not None and desk.split_from is not None:
        own = conn.execute(select(ORDERS.c.order_no)
                           .where(ORDERS.c.id == desk.split_from)).scalar_one()
    merged = conn.execute(select(ORDERS.c.order_no)
                          .join(DESK_ORDERS, DESK_ORDERS.c.order_id == ORDERS.c.id)
                          .where(DESK_ORDERS.c.parcel_id == order_id).order_by(ORDERS.c.id))
    return [own, *merged.scalars()]


def changeable(conn: Connection, row: Row[Any], what: str) -> None:
    """Refuse a parcel that is on the floor or whose express slip printed."""
    if row.state not in CHANGEABLE or slip_out(conn, row.id):
        raise Refusal("parcel_printed", "Order {order_no} is {state} and its express slip may be "
                      "out: it can no longer be {what}", order_no=row.order_no, state=row.state,
                      what=_(what), order_id=row.id)


def _children(conn: Connection, host_id: int) -> list[int]:
    return list(conn.execute(select(DESK_ORDERS.c.order_id)
                             .where(DESK_ORDERS.c.parcel_id == host_id)
                             .order_by(DESK_ORDERS.c.order_id)).scalars())


def _check_pair(host: Row[Any], other: Row[Any]) -> None:
    for name in SAME:
        if (getattr(host, name) or "") != (getattr(other, name) or ""):
            raise Refusal("not_same_parcel", "Orders {a} and {b} differ in {field}: one parcel "
                          "goes to one buyer at one address", a=host.order_no, b=other.order_no,
                          field=name, order_id=other.id)


def _fold_flags(conn: Connection, host_id: int, child_id: int) -> None:
    """The parcel keeps what any of its orders' acknowledged remarks asked for."""
    child, host = desk_row(conn, child_id), desk_row(conn, host_id)
    if child is None:
        return
    message = " / ".join(m for m in ((host.gift_message if host else ""), child.gift_message) if m)
    set_desk(conn, host_id, invoice=bool(child.invoice or (host and host.invoice)),
             no_price=bool(child.no_price or (host and host.no_price)),
             urgent=bool(child.urgent or (host and host.urgent)), gift_message=message,
             courier=(host.courier if host and host.courier else child.courier))


def merge_orders(floor: Floor, actor: Actor, order_ids: list[int]) -> ParcelChange:
    """Merge orders into one parcel (see the module docstring)."""
    cfg = floor.config

    def tx(conn: Connection) -> ParcelChange:
        rows = [lock_order(conn, oid) for oid in dict.fromkeys(order_ids)]
        if len(rows) < 2:
            raise Refusal("merge_one", "A merge takes two orders or more")
        for r in rows:
            if r.state == MERGED:
                raise Refusal("in_parcel", "Order {order_no} is already in a parcel: merge with "
                              "that parcel", order_no=r.order_no, order_id=r.id)
            changeable(conn, r, N_("merged into a parcel"))
            desk = desk_row(conn, r.id)
            if desk is not None and desk.split_from is not None:
                raise Refusal("split_parcel", "Order {order_no} is a split parcel: undo the "
                              "split first", order_no=r.order_no, order_id=r.id)
            problem = remark_problem(r, cfg)
            if problem:
                raise Refusal("remark_first", "Order {order_no}: {reason} first (order ack)",
                              order_no=r.order_no, reason=problem, order_id=r.id)
        hosts = [r for r in rows if _children(conn, r.id)]
        host = hosts[0] if hosts else min(rows, key=lambda r: (r.paid_at is None, r.paid_at, r.id))
        others = [r for r in rows if r.id != host.id]
        for other in others:
            _check_pair(host, other)
        for other in others:
            moved = list(conn.execute(select(LINES.c.id).where(LINES.c.order_id == other.id))
                         .scalars())
            conn.execute(update(LINES).where(LINES.c.order_id == other.id)
                         .values(order_id=host.id))
            _origin(conn, moved, other.id)
            _fold_flags(conn, host.id, other.id)
            set_desk(conn, other.id, parcel_id=host.id)
            give_back(conn, other)
            move(conn, actor, other, MERGED, "merged_into",
                 {"parcel": host.order_no, "lines": moved, "waybill_back": other.tracking_no},
                 courier=None, tracking_no=None, hold_reason="", held_from=None)
        names = [host.order_no, *(o.order_no for o in others)]
        append_event(conn, actor, "merged", host.id,
                     {"orders": names, "parcel": host.order_no})
        note = reaudit_parcel(conn, floor, actor, host)
        return parcel_change(conn, host.id, "merge", note)

    return floor.run(actor, tx)


def _origin(conn: Connection, line_ids: list[int], origin: int) -> None:
    """Lines moved off their platform order remember it (a gift line keeps its own)."""
    have = set(conn.execute(select(DESK_LINES.c.line_id)
                            .where(DESK_LINES.c.line_id.in_(line_ids))).scalars())
    for lid in line_ids:
        if lid not in have:
            conn.execute(DESK_LINES.insert().values(line_id=lid, origin_id=origin, gift=False))


def reaudit_parcel(conn: Connection, floor: Floor, actor: Actor, row: Row[Any]) -> str:
    """A parcel released before the change is audited again now (its lines changed); one still
    ``new`` waits for its audit round."""
    fresh = lock_order(conn, row.id)
    if fresh.state != READY:
        return ""
    move(conn, actor, fresh, NEW, "reaudit", {"why": "parcel changed"})
    problem = release_one(conn, floor.config, actor, row.id)
    return f"held: {problem}" if problem else ""


def parcel_change(conn: Connection, host_id: int, action: str, note: str,
            parcels: list[str] | None = None) -> ParcelChange:
    host = conn.execute(select(ORDERS).where(ORDERS.c.id == host_id)).one()
    names = platform_orders(conn, host_id, host.order_no)
    return ParcelChange(host.order_no, host.state, names, action, host.tracking_no,
                        parcels or [], note)


def unmerge(floor: Floor, actor: Actor, order_id: int) -> ParcelChange:
    """Undo a merge (``order_id``: the parcel or any order in it) while its slip is unprinted:
    every order gets its own lines back and is ``new`` again (audited at the next round)."""

    def tx(conn: Connection) -> ParcelChange:
        desk = desk_row(conn, order_id)
        host_id = desk.parcel_id if desk is not None and desk.parcel_id else order_id
        host = lock_order(conn, host_id)
        children = _children(conn, host_id)
        if not children:
            raise Refusal("not_merged", "Order {order_no} is not a merged parcel",
                          order_no=host.order_no, order_id=host.id)
        changeable(conn, host, N_("taken apart"))
        for child_id in children:
            child = lock_order(conn, child_id)
            back = list(conn.execute(
                select(LINES.c.id).join(DESK_LINES, DESK_LINES.c.line_id == LINES.c.id)
                .where(LINES.c.order_id == host_id, DESK_LINES.c.origin_id == child_id)).scalars())
            if back:
                conn.execute(update(LINES).where(LINES.c.id.in_(back)).values(order_id=child_id))
            set_desk(conn, child_id, parcel_id=None)
            move(conn, actor, child, NEW, "unmerged", {"parcel": host.order_no, "lines": back})
        append_event(conn, actor, "unmerged", host_id, {"orders": children})
        note = reaudit_parcel(conn, floor, actor, host)
        return parcel_change(conn, host_id, "unmerge", note)

    return floor.run(actor, tx, order_id=order_id)
