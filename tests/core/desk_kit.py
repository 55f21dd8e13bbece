"""A released floor for the desk's tests (floorkit's three orders, the supervisor OP9001)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Engine, select, update

from db.engine import write_tx
from pickpack.config import Config
from pickpack.core.authority import prove_supervisor
from pickpack.core.context import Floor
from pickpack.core.events import Actor, append_event
from pickpack.core.operators import OperatorInfo
from pickpack.core.orders import find_order_id
from pickpack.core.tables import EVENTS, ORDERS
from pickpack.store import open_store
from tests.core.floorkit import SUPERVISOR_PIN, seed

CLERK = Actor("D1", "OP5001", "clerk")


def supervisor(floor: Floor) -> OperatorInfo:
    return prove_supervisor(floor, CLERK, "OP9001", SUPERVISOR_PIN)


def oid(engine: Engine, key: str) -> int:
    with engine.connect() as conn:
        found = find_order_id(conn, key)
    assert found is not None, key
    return found


def row(engine: Engine, key: str) -> Any:
    with engine.connect() as conn:
        return conn.execute(select(ORDERS).where(ORDERS.c.id == oid(engine, key))).one()


def events(engine: Engine, key: str, kind: str | None = None) -> list[tuple[str, dict[str, Any]]]:
    with engine.connect() as conn:
        q = select(EVENTS.c.kind, EVENTS.c.payload).where(EVENTS.c.order_id == oid(engine, key))
        if kind:
            q = q.where(EVENTS.c.kind == kind)
        return [(k, json.loads(p)) for k, p in conn.execute(q.order_by(EVENTS.c.id))]


def set_order(engine: Engine, key: str, **values: Any) -> None:
    order_id = oid(engine, key)
    with write_tx(engine) as conn:
        conn.execute(update(ORDERS).where(ORDERS.c.id == order_id).values(**values))


def express_printed(engine: Engine, key: str) -> None:
    """The order's express slip came out of a printer (its ``slip_printed`` event)."""
    order_id = oid(engine, key)
    with write_tx(engine) as conn:
        append_event(conn, Actor("D1", "printer"), "slip_printed", order_id,
                     {"kind": "express", "printer": "test"})


def seeded(config: Config, orders: int = 3) -> Iterator[Engine]:
    """A fixture's store: floorkit's catalog, operators and ``orders`` new orders."""
    engine = open_store(config, create=True)
    seed(engine, orders=orders)
    yield engine
    engine.dispose()
