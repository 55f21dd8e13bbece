"""Pick: bind a free basket to a released order, show the lines in pick-path order, confirm."""

from __future__ import annotations

from sqlalchemy import Connection, bindparam, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from pickpack.core.context import Floor, check_at_step, lock_order, move
from pickpack.core.events import Actor, append_event, now
from pickpack.core.lifecycle import CANCELLED, PICKED, PICKING
from pickpack.core.orders import OrderView, load_order, require_order_id
from pickpack.core.refusal import Refusal, scan_fields
from pickpack.core.tables import BASKETS, LINES, ORDERS, SKUS
from pickpack.core.waves.views import wave_of


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
        wave = wave_of(conn, order_id)
        if wave is not None:
            raise Refusal("in_wave", "Order {order_no} is in wave {wave}: it is picked with its "
                          "wave", order_no=row.order_no, wave=wave, order_id=order_id)
        if not _take_basket(conn, basket, order_id, actor.operator):
            raise Refusal("basket_in_use", "Basket {basket} is already in use", basket=basket)
        move(conn, actor, row, PICKING, "pick_started", {"basket": basket, **scan_fields()},
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
        move(conn, actor, row, PICKED, "picked", {"basket": row.basket, **scan_fields()})
        return load_order(conn, order_id)

    return floor.run(actor, tx, order_id=order_id)


_FREE_BASKET = update(BASKETS).where(BASKETS.c.order_id == bindparam("oid")).values(order_id=None)


def release_basket(conn: Connection, order_id: int) -> None:
    """Free the order's basket once its goods have left it (after verify)."""
    conn.execute(_FREE_BASKET, {"oid": order_id})


def basket_scanned(floor: Floor, actor: Actor, basket: str) -> str | None:
    """A basket scanned at pick as the next one to fill: None when it is empty; the order no.
    when it holds a cancelled order's goods (they can be put away); refused when it holds an
    order still in progress."""

    def tx(conn: Connection) -> str | None:
        held = conn.execute(
            select(ORDERS.c.id, ORDERS.c.order_no, ORDERS.c.state)
            .join(BASKETS, BASKETS.c.order_id == ORDERS.c.id).where(BASKETS.c.code == basket)
        ).first()
        if held is None:
            return None
        if held.state == CANCELLED:
            return str(held.order_no)
        raise Refusal("basket_in_use", "Basket {basket} holds order {order_no} ({state}): it is "
                      "not empty", basket=basket, order_no=held.order_no, state=held.state)

    return floor.run(actor, tx)


def put_away(floor: Floor, actor: Actor, basket: str) -> list[dict[str, object]]:
    """Put a cancelled order's goods back to their bins and free its basket: a stock movement,
    recorded as ``put_away`` with the lines (sku, qty, bin). The units were never taken off
    ``on_hand`` (stock leaves at ship) and a cancelled order no longer commits them, so they are
    on hand for release again. Refused for an empty basket or an order still in progress."""

    def tx(conn: Connection) -> list[dict[str, object]]:
        order_id = conn.execute(select(BASKETS.c.order_id).where(BASKETS.c.code == basket)).scalar()
        if order_id is None:
            raise Refusal("basket_empty", "Basket {basket} is empty: nothing to put away",
                          basket=basket)
        row = lock_order(conn, order_id)
        if row.state != CANCELLED:
            raise Refusal("not_intercepted", "Basket {basket} holds order {order_no} ({state}): "
                          "only a cancelled order's goods are put away", basket=basket,
                          order_no=row.order_no, state=row.state, order_id=order_id)
        lines = [{"sku": line.sku, "qty": int(line.qty), "bin": line.bin}
                 for line in conn.execute(
                     select(LINES.c.sku, LINES.c.qty, SKUS.c.bin)
                     .join(SKUS, SKUS.c.sku == LINES.c.sku, isouter=True)
                     .where(LINES.c.order_id == order_id).order_by(LINES.c.id))]
        conn.execute(update(BASKETS).where(BASKETS.c.code == basket, BASKETS.c.order_id == order_id)
                     .values(order_id=None))
        append_event(conn, actor, "put_away", order_id,
                     {"basket": basket, "lines": lines, **scan_fields()})
        return lines

    return floor.run(actor, tx)
