"""Seed helpers for the PostgreSQL tests (plain inserts, like tests/core/floorkit.py)."""

from __future__ import annotations

from sqlalchemy import Engine, func, insert, select

from db.engine import write_tx
from pickpack.core.tables import EVENTS, LINES, ORDERS
from tests.core.floorkit import PAID

TEE = "6901661318609"
"""The barcode of TEE-BK-XL in floorkit's catalog."""


def picked_order(engine: Engine, order_no: str, qty: int) -> int:
    """An order waiting at verify with one line of ``qty`` TEE-BK-XL (catalog from floorkit)."""
    with write_tx(engine) as conn:
        oid = conn.execute(insert(ORDERS).values(
            order_no=order_no, receiver_name="张三", receiver_phone="13812341234",
            province="浙江省", city="杭州市", street="长江路1号", paid_at=PAID, state="picked",
            courier="ZTO", tracking_no=f"T{order_no}", picker="OP1001",
        )).inserted_primary_key[0]
        conn.execute(insert(LINES).values(order_id=oid, sku="TEE-BK-XL", name="T恤", qty=qty))
    return int(oid)


def scanned(engine: Engine, order_id: int) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.sum(LINES.c.scanned))
                                .where(LINES.c.order_id == order_id)).scalar_one())


def state(engine: Engine, order_id: int) -> str:
    with engine.connect() as conn:
        return str(conn.execute(select(ORDERS.c.state).where(ORDERS.c.id == order_id)).scalar_one())


def kinds(engine: Engine, order_id: int | None = None) -> list[str]:
    query = select(EVENTS.c.kind).order_by(EVENTS.c.id)
    if order_id is not None:
        query = query.where(EVENTS.c.order_id == order_id)
    with engine.connect() as conn:
        return list(conn.execute(query).scalars())
