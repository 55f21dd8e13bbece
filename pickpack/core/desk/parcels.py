"""Merge and split: which platform orders travel in which parcel (see docs/DESK.md)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Row, select

from pickpack.core.desk.rows import DESK_ORDERS
from pickpack.core.tables import ORDERS


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
        .where(DESK_ORDERS.c.split_from == platform_id, ORDERS.c.state != "merged")
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
