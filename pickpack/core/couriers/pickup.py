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

from pickpack.core.couriers.rules import PICKUP
from pickpack.core.handover import HandoverCount, HandoverParcel, last_close
from pickpack.core.tables import EVENTS, ORDERS, PRINT_JOBS

__all__ = ["PICKUP", "packing_printed", "pickup_count"]


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
