"""A desk's floor for the desk screen's tests: a clerk, orders held for two reasons, one new."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, insert, select, update

from db.engine import write_tx
from pickpack.config import Config
from pickpack.core.events import Actor
from pickpack.core.operators import add_operator
from pickpack.core.release import release
from pickpack.core.tables import BASKETS, EVENTS, LINES, ORDERS
from pickpack.store import open_store
from tests.core.floorkit import PAID, seed
from tests.stations.conftest import station_config

CLERK = "OP5001"
READY, SKU_HELD, ADDR_HELD, NEW = (f"390000000000000000{i}" for i in range(4))
"""Released (it has the buyer remark), held for an unknown SKU, held for the address, new."""
OTHER = "OTHER-BUYER"
"""Held at a station (another buyer, receiver 王五, phone ending 6789)."""


def desk_config(tmp_path: Path, language: str = "en") -> Config:
    return station_config(tmp_path, station={"id": "D1", "mode": "desk", "language": language})


def desk_floor(config: Config) -> Engine:
    engine = open_store(config)
    seed(engine, orders=3)
    add_operator(engine, CLERK, "孙文员", "clerk")
    with write_tx(engine) as conn:
        conn.execute(update(LINES).where(LINES.c.order_id == 2, LINES.c.sku == "MUG-WH")
                     .values(sku="GIFT-X"))
        conn.execute(update(ORDERS).where(ORDERS.c.id == 3).values(street=""))
    release(engine, config, Actor("D0", "seed"))
    with write_tx(engine) as conn:
        oid = conn.execute(insert(ORDERS).values(
            order_no=NEW, buyer="tb1", receiver_name="张三", receiver_phone="13812341234",
            province="浙江省", city="杭州市", district="滨江区", street="长江路1号",
            paid_at=PAID + timedelta(hours=1), state="new")).inserted_primary_key[0]
        conn.execute(insert(LINES).values(order_id=oid, sku="SOCK-3", name="袜子", qty=1))
        conn.execute(insert(ORDERS).values(
            order_no=OTHER, buyer="小明的店", receiver_name="王五",
            receiver_phone="021-5555 6789", province="上海市", city="上海市", street="南京路1号",
            paid_at=PAID, state="held", hold_reason="item damaged", held_from="ready"))
    return engine


def events(engine: Engine, order_no: str, kind: str | None = None) -> list[dict[str, Any]]:
    """The order's events (kind, operator, payload), oldest first."""
    query = (select(EVENTS.c.kind, EVENTS.c.operator, EVENTS.c.payload)
             .join(ORDERS, ORDERS.c.id == EVENTS.c.order_id)
             .where(ORDERS.c.order_no == order_no).order_by(EVENTS.c.id))
    with engine.connect() as conn:
        rows = [{"kind": k, "operator": o, **json.loads(p)} for k, o, p in conn.execute(query)]
    return [r for r in rows if kind is None or r["kind"] == kind]


def state(engine: Engine, order_no: str) -> tuple[str, str]:
    with engine.connect() as conn:
        r = conn.execute(select(ORDERS.c.state, ORDERS.c.hold_reason)
                         .where(ORDERS.c.order_no == order_no)).one()
    return r.state, r.hold_reason


def bind_basket(engine: Engine, basket: str, order_no: str) -> None:
    """The order is in ``basket`` (what pick leaves)."""
    with write_tx(engine) as conn:
        oid = conn.execute(select(ORDERS.c.id).where(ORDERS.c.order_no == order_no)).scalar_one()
        conn.execute(insert(BASKETS).values(code=basket, order_id=oid))


def set_state(engine: Engine, order_no: str, to: str) -> None:
    with write_tx(engine) as conn:
        conn.execute(update(ORDERS).where(ORDERS.c.order_no == order_no).values(state=to))


def set_remark(engine: Engine, order_no: str, remark: str) -> None:
    with write_tx(engine) as conn:
        conn.execute(update(ORDERS).where(ORDERS.c.order_no == order_no)
                     .values(buyer_remark=remark))


def order_id(engine: Engine, order_no: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(ORDERS.c.id).where(ORDERS.c.order_no == order_no))
                   .scalar_one())
