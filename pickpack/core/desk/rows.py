"""The desk's rows (db.models_desk) as Core tables, and the one upsert every desk change uses."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Row, Table, insert, select, update

from db import models_desk

DESK_ORDERS: Table = models_desk.DeskOrder.__table__  # type: ignore[attr-defined]
DESK_LINES: Table = models_desk.DeskLine.__table__  # type: ignore[attr-defined]
VOID_WAYBILLS: Table = models_desk.VoidWaybill.__table__  # type: ignore[attr-defined]


def desk_row(conn: Connection, order_id: int) -> Row[Any] | None:
    return conn.execute(select(DESK_ORDERS).where(DESK_ORDERS.c.order_id == order_id)).first()


def set_desk(conn: Connection, order_id: int, **values: Any) -> None:
    """Write ``values`` into the order's desk row, made when it has none."""
    if desk_row(conn, order_id) is None:
        conn.execute(insert(DESK_ORDERS).values(order_id=order_id, **values))
    elif values:
        conn.execute(update(DESK_ORDERS).where(DESK_ORDERS.c.order_id == order_id).values(**values))


def approvals(conn: Connection, order_id: int) -> frozenset[str]:
    """Audit checks a supervisor waived for this order (``bulk``, ``stock``)."""
    row = desk_row(conn, order_id)
    return frozenset(a for a in (row.approved if row else "").split(",") if a)
