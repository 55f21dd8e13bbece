"""Pick: bind a free basket to a released order, show the lines in pick-path order, confirm."""

from __future__ import annotations

from sqlalchemy import Connection, bindparam, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from pickpack.core.context import Floor, check_at_step, lock_order, move
from pickpack.core.events import Actor, now
from pickpack.core.lifecycle import PICKED, PICKING
from pickpack.core.orders import OrderView, load_order, require_order_id
from pickpack.core.refusal import Refusal
from pickpack.core.tables import BASKETS


def pick_path(view: OrderView) -> OrderView:
    """The order's lines sorted by bin location (the walk through the aisles)."""
    lines = sorted(view.lines, key=lambda line: (line.bin or "~", line.sku))
    return OrderView(**{**{f: getattr(view, f) for f in view.__dataclass_fields__}, "lines": lines})


def basket_free(conn: Connection, code: str) -> None:
    """Refuse a basket that is bound to an order still in progress."""
    bound = conn.execute(select(BASKETS.c.order_id).where(BASKETS.c.code == code)).scalar()
    if bound is not None:
        raise Refusal("basket_in_use", "Basket {basket} is already in use", basket=code)


def _take_basket(conn: Connection, basket: str, order_id: int, picker: str) -> bool:
    """Bind ``basket`` to the order if it is free, in one statement that cannot collide: a new
    code is inserted, a known free one updated, and a bound one left alone (False). Stations
    binding one new code at once each get bound or False, never a duplicate key."""
    insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    stmt = insert(BASKETS).values(code=basket, order_id=order_id, picker=picker, bound_at=now())
    upsert = stmt.on_conflict_do_update(
        index_elements=[BASKETS.c.code],
        set_={"order_id": stmt.excluded.order_id, "picker": stmt.excluded.picker,
              "bound_at": stmt.excluded.bound_at},
        where=BASKETS.c.order_id.is_(None),
    ).returning(BASKETS.c.code)  # (psycopg gives no rowcount for an upsert)
    return conn.execute(upsert).first() is not None


def bind_basket(floor: Floor, actor: Actor, basket: str, key: str) -> OrderView:
    """Bind ``basket`` to the order ``key`` names; the picker is recorded."""

    def tx(conn: Connection) -> OrderView:
        basket_free(conn, basket)
        order_id = require_order_id(conn, key)
        row = lock_order(conn, order_id)
        check_at_step(conn, actor, row, "pick", floor.route)
        if not _take_basket(conn, basket, order_id, actor.operator):
            raise Refusal("basket_in_use", "Basket {basket} is already in use", basket=basket)
        move(conn, actor, row, PICKING, "pick_started", {"basket": basket},
             basket=basket, picker=actor.operator)
        return pick_path(load_order(conn, order_id))

    return floor.run(actor, tx)


def confirm_pick(floor: Floor, actor: Actor, order_id: int) -> OrderView:
    """The picker confirms every line is in the basket."""

    def tx(conn: Connection) -> OrderView:
        row = lock_order(conn, order_id)
        check_at_step(conn, actor, row, "pick", floor.route, extra_states=(PICKING,))
        if row.state != PICKING:
            raise Refusal("no_basket", "Scan a basket for order {order_no} first",
                          order_no=row.order_no, order_id=order_id)
        move(conn, actor, row, PICKED, "picked", {"basket": row.basket})
        return load_order(conn, order_id)

    return floor.run(actor, tx, order_id=order_id)


_FREE_BASKET = update(BASKETS).where(BASKETS.c.order_id == bindparam("oid")).values(order_id=None)


def release_basket(conn: Connection, order_id: int) -> None:
    """Free the order's basket once its goods have left it (after verify)."""
    conn.execute(_FREE_BASKET, {"oid": order_id})
