"""Verify: open an order by slip, basket or order no., then count each item scan against it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, select, text, update
from sqlalchemy.exc import NoResultFound

from db.engine import fetch_one
from pickpack.core.classify import Classified
from pickpack.core.context import (
    Floor,
    OrderAt,
    check_at_step,
    is_sqlite_conn,
    lock_order,
    move,
)
from pickpack.core.events import Actor, append_event, now
from pickpack.core.lifecycle import VERIFIED, states_before
from pickpack.core.orders import OrderView, load_order, require_order_id
from pickpack.core.pick import release_basket
from pickpack.core.refusal import Refusal, scan_fields
from pickpack.core.tables import BARCODES, EVENTS, LINES, ORDERS


@dataclass(frozen=True, slots=True)
class ItemCounted:
    """An item scan that was counted and committed."""

    sku: str
    units: int
    scanned: int
    qty: int
    complete: bool
    line_id: int = 0


def open_for_verify(floor: Floor, actor: Actor, key: str) -> OrderView:
    """The order behind a scanned slip, basket or order no., checked to be at verify."""

    def tx(conn: Connection) -> OrderView:
        order_id = require_order_id(conn, key)
        row = lock_order(conn, order_id)
        check_at_step(conn, actor, row, "verify", floor.route)
        policy = floor.config.workflow.verify_own_pick
        if row.picker and row.picker == actor.operator and policy != "allow":
            if policy == "refuse":
                raise Refusal("own_pick", "You picked order {order_no} yourself: another "
                              "verifier checks it", order_no=row.order_no, order_id=order_id)
            append_event(conn, actor, "own_pick_warned", order_id, {"picker": row.picker})
        append_event(conn, actor, "verify_opened", order_id, {"key": key, **scan_fields(key)})
        return load_order(conn, order_id)

    return floor.run(actor, tx)


def lookup_barcode(conn: Connection, code: str) -> tuple[str, int] | None:
    row = conn.execute(select(BARCODES.c.sku, BARCODES.c.units).where(BARCODES.c.code == code)).first()
    return (row.sku, row.units) if row else None


# The hot path: one read, one count, one event; statements built once, no ORM. The same SQL
# serves both stores: ``:name`` placeholders for SQLAlchemy on SQLite, ``%(name)s`` for psycopg.
_SCAN = (
    "SELECT o.order_no, o.state, o.picker, b.sku, b.units, l.id AS line_id, l.qty, l.scanned"
    " FROM orders o LEFT JOIN barcode b ON b.code IN (:c0, :c1, :c2, :c3, :c4, :c5, :c6, :c7)"
    " LEFT JOIN order_line l ON l.sku = b.sku AND l.order_id = o.id"
    " WHERE o.id = :oid ORDER BY l.qty - l.scanned DESC, b.code <> :c0, l.id LIMIT 1"
)
FORMS = 8
"""The barcode is looked up by up to this many spellings of the code (its GTIN forms, revision
0013: EAN-13, UPC-A, ITF-14 and GTIN-14 of one product find the same item)."""
_SCAN_SQLITE = text(_SCAN)
_COUNT = text(
    "UPDATE order_line SET scanned = scanned + :units WHERE id = :lid AND scanned + :units <= qty"
    " RETURNING scanned"
)
_LEFT = text("SELECT sum(qty - scanned) FROM order_line WHERE order_id = :oid")
#
# On PostgreSQL the whole count is one call of the server-side function pickpack_count_item
# (migrations 0004, 0005): it locks the order, finds the line, counts, appends the event and, on
# the last unit, moves the order to verified and frees its basket, in one round trip and without
# an explicit transaction (Floor.run_one). It returns one row: ``order_no`` NULL when there is no
# such order; ``counted`` false when it refused the scan, wrote nothing, and the row says why.
# It runs on the driver's kept cursor with positional parameters (db.engine.fetch_one): a
# server shared by twenty stations is short of client CPU and round trips, not of SQL.
# Revision 0011 added the raw code as scanned and its symbology (the payload's last two keys);
# 0012 frees the basket only when asked (a route with no pack step).
_COUNT_PG = ("SELECT * FROM pickpack_count_item(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, "
             "%s, %s, %s)")
# Revision 0013: the barcode's spellings as a text[] literal, and the GS1 expiry (17) for the
# payload ("expiry", only when the scan had one).


def count_item(
    floor: Floor, actor: Actor, order_id: int, item: Classified, times: int = 1
) -> ItemCounted:
    """Count ``times`` scans of an item (a case barcode counts N units each) against the order.

    Wrong item, too many and unknown codes are refused and recorded; the refusal names the
    picker who filled the basket so the error goes back to them too. The order row is locked
    (BEGIN IMMEDIATE on SQLite, FOR UPDATE on PostgreSQL), so counts never race.
    """

    def tx(conn: Connection) -> ItemCounted:
        if is_sqlite_conn(conn):
            return _count_sqlite(conn, floor, actor, order_id, item, times)
        return _count_pg(conn, floor, actor, order_id, item, times)

    return floor.run_one(actor, tx, order_id=order_id)


def _count_sqlite(conn: Connection, floor: Floor, actor: Actor, order_id: int, item: Classified,
                  times: int) -> ItemCounted:
    forms = _forms(item)
    row = conn.execute(_SCAN_SQLITE, {"oid": order_id, **{f"c{i}": f for i, f in
                                                           enumerate(forms)}}).one()
    if row.state not in states_before("verify", floor.route):
        check_at_step(conn, actor, lock_order(conn, order_id), "verify", floor.route)
    if row.sku is None or row.line_id is None:
        raise _refusal(row, item, order_id, row.units)
    units = row.units * times
    counted = conn.execute(_COUNT, {"units": units, "lid": row.line_id}).first()
    if counted is None:
        raise _refusal(row, item, order_id, row.units)
    append_event(conn, actor, "item_scanned", order_id,
                 {"sku": row.sku, "code": item.value, "units": units, "lot": item.lot,
                  **({"expiry": item.expiry} if item.expiry else {}),
                  **scan_fields(item.value)})
    complete = int(conn.execute(_LEFT, {"oid": order_id}).scalar_one()) == 0
    if complete:
        # _SCAN read the order row under SQLite's write lock: no second read
        move(conn, actor, OrderAt(order_id, row.state, row.order_no), VERIFIED, "verified",
             {"picker": row.picker}, verifier=actor.operator)
        if frees_basket(floor.route):
            release_basket(conn, order_id)
    return ItemCounted(row.sku, units, counted.scanned, row.qty, complete, row.line_id)


def _count_pg(conn: Connection, floor: Floor, actor: Actor, order_id: int, item: Classified,
              times: int) -> ItemCounted:
    scan = scan_fields(item.value)
    params = (order_id, item.value, times, item.lot, _pg_states(tuple(floor.config.workflow.route)),
              VERIFIED, actor.station, actor.operator, now(), scan["raw"], scan["symbology"],
              frees_basket(floor.route), _pg_forms(item), item.expiry)
    row = fetch_one(conn, _COUNT_PG, params)
    if row.order_no is None:
        raise NoResultFound(f"order id {order_id} is not in the store")
    if row.counted:
        return ItemCounted(row.sku, row.units, row.scanned, row.qty, row.complete, row.line_id)
    if row.state not in states_before("verify", floor.route):
        check_at_step(conn, actor, lock_order(conn, order_id), "verify", floor.route)
        raise Refusal("conflict", "Order {order_no} was changed at another station just now; "
                      "scan again", order_no=row.order_no, order_id=order_id)
    raise _refusal(row, item, order_id, (row.units or times) // times)  # the store's: × times


def _forms(item: Classified) -> list[str | None]:
    """The item's catalog spellings, its value first, padded with NULLs to FORMS."""
    unique = list(dict.fromkeys((item.value, *item.lookup)))[:FORMS]
    padding: list[str | None] = [None] * (FORMS - len(unique))
    return [*unique, *padding]


def _pg_forms(item: Classified) -> str:
    """The item's catalog spellings as a PostgreSQL text[] literal, its value first."""
    quoted = (f.replace("\\", "\\\\").replace('"', '\\"') for f in _forms(item) if f is not None)
    return "{" + ",".join(f'"{f}"' for f in quoted) + "}"


def frees_basket(route: tuple[str, ...] | list[str]) -> bool:
    """Verify frees the basket only on a route with no pack step: otherwise the verified goods
    wait in it for the packer, and packing frees it."""
    return "pack" not in route


@lru_cache(maxsize=8)
def _pg_states(route: tuple[str, ...]) -> str:
    """The states an order may be in at verify, as a PostgreSQL text[] literal (built once per
    route: a Python list would be adapted afresh on every scan)."""
    return "{" + ",".join(f'"{state}"' for state in states_before("verify", route)) + "}"


def _refusal(row: Any, item: Classified, order_id: int, case_units: int | None) -> Refusal:
    """Why a count was refused: unknown code, an item not in the order, a case barcode where
    fewer than a case are wanted (``case_units``: the units one scan of the code is, before a
    CMD:QTY multiplier), or too many."""
    if row.sku is None:
        return Refusal("unknown_code", "Unknown barcode {scanned}", scanned=item.value,
                       order_id=order_id, picker=row.picker)
    if row.line_id is None:
        return Refusal("wrong_item", "WRONG ITEM: {sku} is not in order {order_no}: put it back",
                       sku=row.sku, order_no=row.order_no, order_id=order_id, picker=row.picker,
                       scanned=item.value)
    units = int(case_units or 1)
    if units > 1:  # a case's units would be too many: the case is not counted at all
        return case_refused(row.sku, item.value, units, order_id=order_id, picker=row.picker)
    return Refusal("too_many", "TOO MANY: {sku} needs {qty}, {scanned} already counted",
                   sku=row.sku, qty=row.qty, scanned=row.scanned, order_id=order_id,
                   picker=row.picker, item_code=item.value)


def case_refused(sku: str, code: str, units: int, **params: object) -> Refusal:
    """A case barcode where fewer than a case are still wanted: say it is a case, and what to
    do (open it, scan the single units); nothing is counted."""
    return Refusal("case_code", "CASE CODE {code}: one case is {units} units of {sku}, nothing "
                   "counted; open the case and scan the single units", code=code, units=units,
                   sku=sku, **params)


def uncount_last(floor: Floor, actor: Actor, order_id: int) -> ItemCounted:
    """CMD:UNDO: take back this order's last counted item scan, recorded."""

    def tx(conn: Connection) -> ItemCounted:
        row = lock_order(conn, order_id)
        check_at_step(conn, actor, row, "verify", floor.route)
        last = conn.execute(
            select(EVENTS.c.payload).where(EVENTS.c.order_id == order_id,
                                           EVENTS.c.kind.in_(("item_scanned", "item_unscanned")))
            .order_by(EVENTS.c.id.desc()).limit(1)
        ).scalar()
        info = json.loads(last) if last else {}
        if not last or info.get("undone_by_next"):
            raise Refusal("nothing_to_undo", "Nothing to undo on order {order_no}",
                          order_no=row.order_no, order_id=order_id)
        sku, units = info["sku"], int(info["units"])
        line = conn.execute(select(LINES.c.id, LINES.c.qty, LINES.c.scanned).where(
            LINES.c.order_id == order_id, LINES.c.sku == sku, LINES.c.scanned >= units)).first()
        if line is None:
            raise Refusal("nothing_to_undo", "Nothing to undo on order {order_no}",
                          order_no=row.order_no, order_id=order_id)
        conn.execute(update(LINES).where(LINES.c.id == line.id)
                     .values(scanned=LINES.c.scanned - units))
        append_event(conn, actor, "item_unscanned", order_id,
                     {"sku": sku, "units": units, "undone_by_next": True, **scan_fields()})
        return ItemCounted(sku, -units, line.scanned - units, line.qty, False, line.id)

    return floor.run(actor, tx, order_id=order_id)


def reset_counts(floor: Floor, actor: Actor, order_id: int) -> OrderView:
    """Start the order's count again (CMD:UNDO of a whole order), recorded."""

    def tx(conn: Connection) -> OrderView:
        row = lock_order(conn, order_id)
        check_at_step(conn, actor, row, "verify", floor.route)
        conn.execute(update(LINES).where(LINES.c.order_id == order_id).values(scanned=0))
        conn.execute(update(ORDERS).where(ORDERS.c.id == order_id).values(verifier=None))
        append_event(conn, actor, "verify_reset", order_id, scan_fields())
        return load_order(conn, order_id)

    return floor.run(actor, tx, order_id=order_id)
