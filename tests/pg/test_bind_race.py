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


def test_verified_goods_keep_their_basket_until_packed_on_postgresql(pg: PgStore) -> None:
    """The count on PostgreSQL (pickpack_count_item, revision 0012) frees the basket only on a
    route with no pack step, as the SQLite path does."""
    from pickpack.core.flows import make_flow
    from pickpack.core.tables import BASKETS
    from pickpack.scan import Scan

    numbers = ready_orders(pg.engine, 1)
    floor = pg.floor()

    def bound() -> int | None:
        with pg.engine.connect() as conn:
            return conn.execute(select(BASKETS.c.order_id).where(BASKETS.c.code == "B050")).scalar()

    from pickpack.core.pick import confirm_pick

    picked = bind_basket(floor, Actor("P1", "OP1001"), "B050", numbers[0])
    confirm_pick(floor, Actor("P1", "OP1001"), picked.id)
    verify = make_flow(floor, "verify", "V1")
    for code in ("OP2001", "B050", "6901661318609"):
        assert verify.handle(Scan(code)).ok, code
    with pg.engine.connect() as conn:
        state = conn.execute(select(ORDERS.c.state).where(ORDERS.c.order_no == numbers[0])).scalar()
    assert state == "verified" and bound() is not None
    pack = make_flow(floor, "pack", "K1")
    for code in ("OP3001", "B050", "CMD:CARTON:M"):
        assert pack.handle(Scan(code)).ok, code
    assert bound() is None
