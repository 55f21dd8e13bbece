"""Local pickup (自提): an order whose courier is ``PICKUP`` needs no waybill.

It is made so by the export (its courier column) or by the desk (the acknowledged remark's
courier, ``desk_order.courier = "PICKUP"``); release then makes it ready with no tracking
number. At ship it is handed over by its order number onto the ``PICKUP`` manifest: the
express-slip rule excepts it, its packing slip must have printed instead, and the close
counts it against the packing slips printed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from sqlalchemy import Connection, select

from pickpack.config import Config
from pickpack.core.couriers.rules import PICKUP
from pickpack.core.events import Actor, append_event
from pickpack.core.handover import HandoverCount, HandoverParcel, last_close
from pickpack.core.lifecycle import HELD, NEW, READY
from pickpack.core.refusal import Refusal
from pickpack.core.tables import EVENTS, ORDERS, PRINT_JOBS

__all__ = ["PICKUP", "mark_pickup", "packing_printed", "pickup_count"]


def mark_pickup(conn: Connection, cfg: Config, actor: Actor, key: str, on: bool = True) -> str:
    """The desk makes the order a local-pickup one (``on``) or a courier parcel again, before
    its express slip printed: its waybill goes back to the pool and it is audited again (the
    event ``local_pickup``). Returns the desk's note (``ready PICKUP -``, ``held: …``)."""
    from pickpack.core.context import lock_order
    from pickpack.core.desk.rows import desk_row, set_desk
    from pickpack.core.desk.waybills import after_change, slip_out
    from pickpack.core.orders import require_order_id

    order_id = require_order_id(conn, key)
    row = lock_order(conn, order_id)
    if row.state not in (NEW, HELD, READY) or (row.state == HELD and row.held_from != NEW):
        raise Refusal("pickup_too_late", "Order {order_no} is {state}: local pickup is decided "
                      "before its slips print", order_no=row.order_no, state=row.state,
                      order_id=order_id)
    if row.tracking_no and slip_out(conn, order_id):
        raise Refusal("pickup_too_late", "The express slip of {order_no} is printed already: "
                      "it ships as a parcel", order_no=row.order_no, order_id=order_id)
    desk = desk_row(conn, order_id)
    was = desk.courier if desk is not None else ""
    set_desk(conn, order_id, courier=PICKUP if on else ("" if was == PICKUP else was))
    if not on and row.courier == PICKUP:
        conn.execute(ORDERS.update().where(ORDERS.c.id == order_id).values(courier=None))
    append_event(conn, actor, "local_pickup", order_id, {"on": on, "courier_was": row.courier})
    return after_change(conn, cfg, actor, order_id, "local pickup" if on else "no local pickup")


def packing_printed(conn: Connection, order_id: int) -> bool:
    """True once a packing slip of the order came out of a printer (its print job is
    ``printed``, or a ``slip_printed`` event of kind ``packing`` says so)."""
    if conn.execute(select(PRINT_JOBS.c.id).where(
            PRINT_JOBS.c.order_id == order_id, PRINT_JOBS.c.kind == "packing",
            PRINT_JOBS.c.state == "printed").limit(1)).first() is not None:
        return True
    return any(json.loads(p or "{}").get("kind") == "packing" for p in conn.execute(
        select(EVENTS.c.payload).where(EVENTS.c.order_id == order_id,
                                       EVENTS.c.kind == "slip_printed")).scalars())


def pickup_count(conn: Connection, courier: str, manifest_id: int,
                 left_out: Iterable[int] = ()) -> HandoverCount:
    """A pickup manifest's count: its parcels against their packing slips (each was checked
    printed when it was scanned on; one reprinted since is not counted twice)."""
    out = set(left_out)
    rows = [r for r in conn.execute(select(ORDERS.c.id, ORDERS.c.order_no).where(
        ORDERS.c.manifest_id == manifest_id)) if r.id not in out]
    unslipped = [HandoverParcel(r.order_no, "") for r in rows
                 if not packing_printed(conn, r.id)]
    return HandoverCount(courier, last_close(conn, courier), len(rows),
                         len(rows) - len(unslipped), [], unslipped)
