"""Ready orders made with plain inserts, for the wave tests (rules, priority, print, pick)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, insert, select

from db.engine import write_tx
from pickpack.config import Config
from pickpack.core.context import Floor
from pickpack.core.events import Actor, append_event
from pickpack.core.tables import LINES, OPERATORS, ORDERS, WAYBILLS
from pickpack.store import open_store
from tests.conftest import make_config
from tests.core.floorkit import PAID, seed

BARCODE = {"TEE-BK-XL": "6901661318609", "MUG-WH": "6952890786660", "SOCK-3": "6917777412155"}

DESK = Actor("D1", "OP9001", "supervisor")
PICKER = Actor("P1", "OP1001", "picker")
TRACKING = {"ZTO": "79{n:012d}", "SF": "SF{n:012d}", "YTO": "YT{n:010d}"}
"""Tracking numbers of each courier's shape (79…: apart from floorkit's ZTO pool, 70…)."""
Lines = Sequence[tuple[str, int]]
"""(sku, qty) of an order's lines; SKUs of floorkit.SKU_ROWS."""


def store(tmp_path: Path, **sections: dict[str, object]) -> tuple[Engine, Config, Floor]:
    cfg = make_config(tmp_path, **sections)
    engine = open_store(cfg)
    seed_floor(engine)
    return engine, cfg, Floor(engine, cfg)


def seed_floor(engine: Engine) -> None:
    """floorkit's catalog, couriers and operators, and a second picker (for the claims)."""
    seed(engine, orders=0)
    with write_tx(engine) as conn:
        conn.execute(insert(OPERATORS).values(code="OP1002", name="周拣货", role="picker",
                                              roles="picker", active=True))


def ready(engine: Engine, lines: Lines, *, courier: str = "ZTO", paid: datetime = PAID,
          state: str = "ready") -> int:
    """One released order with a waybill of ``courier``; returns its id."""
    with write_tx(engine) as conn:
        n = len(conn.execute(select(ORDERS.c.id)).all())
        tracking = TRACKING[courier].format(n=n)
        oid = int(conn.execute(insert(ORDERS).values(
            order_no=f"48{n:018d}", receiver_name="张三", receiver_phone="13812341234",
            province="浙江省", city="杭州市", street="长江路1号", paid_at=paid, state=state,
            courier=courier, tracking_no=tracking,
            platform_status="买家已付款，等待卖家发货")).inserted_primary_key[0])  # type: ignore[index]
        conn.execute(insert(WAYBILLS).values(tracking_no=tracking, courier=courier,
                                             order_id=oid))
        for sku, qty in lines:
            conn.execute(insert(LINES).values(order_id=oid, sku=sku, name=sku, qty=qty))
    return oid


def acknowledge_urgent(engine: Engine, order_id: int, *, negated: bool = False) -> None:
    """What the desk's remark reader writes when a clerk acknowledges 加急 (the contract)."""
    with write_tx(engine) as conn:
        append_event(conn, DESK, "remark_acked", order_id, {"actions": [
            {"kind": "urgent", "value": "加急", "negated": negated}]})


def hours(n: float) -> timedelta:
    return timedelta(hours=n)
