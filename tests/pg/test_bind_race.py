"""Binding one new basket code from twenty PostgreSQL stations at once (issue 14 item 7): one
binds, the others are told "basket in use"; no IntegrityError on basket_pkey."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from pickpack.core.events import Actor
from pickpack.core.pick import basket_scanned, bind_basket, put_away
from pickpack.core.tables import EVENTS, ORDERS
from tests.core.bind_race import race, ready_orders
from tests.pg.conftest import PgStore


def test_twenty_processes_binding_new_baskets_on_postgresql(pg: PgStore, tmp_path: Path) -> None:
    race(pg.engine, pg.url, tmp_path)


def test_put_away_frees_a_cancelled_orders_basket_on_postgresql(pg: PgStore) -> None:
    numbers = ready_orders(pg.engine, 2)
    floor = pg.floor()
    bind_basket(floor, Actor("P1", "OP1001"), "B001", numbers[0])
    with pg.engine.begin() as conn:
        conn.execute(ORDERS.update().where(ORDERS.c.order_no == numbers[0])
                     .values(state="cancelled"))
    assert basket_scanned(floor, Actor("P2", "OP1001"), "B001") == numbers[0]
    lines = put_away(floor, Actor("P2", "OP1001"), "B001")
    assert lines == [{"sku": "TEE-BK-XL", "qty": 1, "bin": "A-01-02"}]
    assert basket_scanned(floor, Actor("P2", "OP1001"), "B001") is None
    bind_basket(floor, Actor("P2", "OP1001"), "B001", numbers[1])  # free again
    with pg.engine.connect() as conn:
        assert conn.execute(select(EVENTS.c.kind).where(EVENTS.c.kind == "put_away")
                            ).scalars().all() == ["put_away"]
