"""What the store knows a scanned code as: it comes before the code's shape.

A code that is an order number, a tracking number (on an order or in the waybill pool), a
basket, a badge, a bin or a catalog barcode (in any of its GTIN spellings) of this store is
that, whatever its shape; the shape patterns (``pickpack.core.classify``) only classify what the
store does not know. One read, every table at once (:func:`store_knows`).

The verify count is the one scan that does not come here first: it looks its barcode up in its
own statement (``pickpack.core.verify``, one round trip on PostgreSQL), and only a code the
catalog does not hold is asked about here afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, bindparam, text
from sqlalchemy.exc import DBAPIError

from db.engine import is_sqlite, read_tx
from pickpack.core.classify import Classified
from pickpack.core.context import Floor
from pickpack.core.events import Actor
from pickpack.core.refusal import Refusal
from pickpack.scan import Scan

_KNOWS = text(
    "SELECT 'order' AS kind, courier, CAST(NULL AS TEXT) AS sku, CAST(NULL AS INTEGER) AS units,"
    " order_no FROM orders WHERE order_no = :code"
    " UNION ALL SELECT 'tracking', courier, NULL, NULL, order_no FROM orders"
    " WHERE tracking_no = :code"
    " UNION ALL SELECT 'tracking', w.courier, NULL, NULL, o.order_no FROM waybill w"
    " LEFT JOIN orders o ON o.id = w.order_id WHERE w.tracking_no = :code"
    " UNION ALL SELECT 'basket', NULL, NULL, NULL, o.order_no FROM basket b"
    " LEFT JOIN orders o ON o.id = b.order_id WHERE b.code = :code"
    " UNION ALL SELECT 'operator', NULL, NULL, NULL, NULL FROM operator WHERE code = :code"
    " UNION ALL SELECT 'location', NULL, NULL, NULL, NULL"
    " WHERE EXISTS (SELECT 1 FROM sku WHERE bin = :code)"
    " UNION ALL SELECT 'item', NULL, sku, units, code FROM barcode WHERE code IN :forms"
).bindparams(bindparam("forms", expanding=True))
"""Everything the store holds under one code (``order_no`` is the matching barcode for items)."""


@dataclass(frozen=True, slots=True)
class Known:
    """One thing the store holds under a code."""

    kind: str
    courier: str | None = None
    sku: str | None = None
    units: int | None = None
    order_no: str | None = None
    """The order it opens (orders, tracking numbers, baskets); for items the barcode held."""


@dataclass(frozen=True, slots=True)
class Resolution:
    """What a scan means (``scan``) and what the store holds under it (``known``)."""

    scan: Classified
    known: tuple[Known, ...] = ()


def store_knows(conn: Connection, code: str, forms: tuple[str, ...] = ()) -> tuple[Known, ...]:
    """What the store holds under ``code`` (items also under each of ``forms``)."""
    rows = conn.execute(_KNOWS, {"code": code, "forms": list(dict.fromkeys((code, *forms)))})
    return tuple(Known(r.kind, r.courier, r.sku, r.units, r.order_no) for r in rows)


def item_forms(scan: Classified) -> tuple[str, ...]:
    """The catalog spellings of every item reading of ``scan`` (a misread too: a shop's own
    code may have a wrong check digit)."""
    readings = scan.readings or (scan,)
    return tuple(f for r in readings if r.kind in ("item", "invalid") for f in r.lookup)


def resolve(conn: Connection, scan: Classified) -> Resolution:
    """``scan`` (its shape's reading) as the store knows it. Commands and empty scans are
    left as they are; a code the store knows as one thing is that thing; one it knows as
    several (not the same order) is ambiguous; one it does not know keeps its shape's reading."""
    if scan.kind == "command" or not scan.value:
        return Resolution(scan)
    known = store_knows(conn, scan.value, item_forms(scan))
    return Resolution(decide(scan, known), known)


def decide(scan: Classified, known: tuple[Known, ...]) -> Classified:
    """The reading the store's answer ``known`` gives ``scan``."""
    kinds = list(dict.fromkeys(k.kind for k in known))
    if not kinds:
        return scan
    orders = {k.order_no for k in known if k.kind != "item"}
    if len(kinds) > 1 and not ("item" not in kinds and len(orders) == 1):
        names = ", ".join(kinds)
        return Classified("ambiguous", scan.value, reason=f"this store knows it as {names}",
                          readings=scan.readings or (scan,))
    kind = scan.kind if scan.kind in kinds else kinds[0]
    if kind == "item":
        held = next(k.order_no for k in known if k.kind == "item")
        return _item(scan, held or scan.value)
    if kind == "tracking":
        courier = next((k.courier for k in known if k.kind == "tracking" and k.courier), None)
        shaped = next((r.courier for r in (scan.readings or (scan,)) if r.kind == "tracking"),
                      None)
        return Classified("tracking", scan.value, courier=courier or shaped)
    return Classified(kind, scan.value)


def _item(scan: Classified, held: str) -> Classified:
    """The item reading of ``scan`` with the spelling the catalog holds (``held``) as its
    value, so a station's exact look-up finds it: its GS1 or GTIN reading (lot, expiry, normal
    form kept) when it has one; a misread the catalog holds is that code."""
    for reading in scan.readings or (scan,):
        if reading.kind == "item":
            return replace(reading, value=held, forms=(held, *reading.lookup), readings=())
    return Classified("item", held, lot=scan.lot, expiry=scan.expiry, forms=(held,))


def meaning(floor: Floor, scan: Scan, *, counting: bool = False,
            actor: Actor | None = None) -> Classified:
    """What ``scan`` means at a station: the store's answer first, else its shape's. With
    ``counting`` (an order open at verify) an item is left to the count, whose own statement
    looks its barcode up; commands are never looked up. On SQLite a deferred read; on
    PostgreSQL one statement on the station's kept connection (one round trip, no BEGIN)."""
    shape = floor.classifier.classify(scan.code, scan.symbology)
    if shape.kind == "command" or (counting and shape.kind == "item"):
        return shape
    for _ in range(2):  # the store may go away under the first try: the second meets the journal
        try:
            if is_sqlite(floor.engine):
                with read_tx(floor.engine) as conn:
                    return resolve(conn, shape).scan
            return floor.run_one(actor or Actor("", ""), lambda conn: resolve(conn, shape).scan)
        except (DBAPIError, Refusal):  # the station switched to its journal (or could not)
            continue
    return shape  # neither answered: the shape's reading


_SHELF_DAYS = text(
    "SELECT b.code, s.sku, s.min_shelf_days FROM barcode b JOIN sku s ON s.sku = b.sku"
    " WHERE b.code IN :forms").bindparams(bindparam("forms", expanding=True))
"""The SKU a barcode (in any of its spellings) belongs to, and its own minimum shelf life."""


@dataclass(frozen=True, slots=True)
class ShelfRule:
    """The minimum shelf life a scanned lot is held to: ``days``, and the SKU whose own
    (catalog) value it is, or None for ``[barcodes] min_shelf_days``."""

    days: int
    sku: str | None = None


def own_shelf_days(conn: Connection, item: Classified) -> tuple[str, int] | None:
    """(SKU, its own minimum shelf life) for the catalog item ``item`` is, when the catalog
    sets one; None for a code the catalog does not hold or a SKU without its own value."""
    forms = list(dict.fromkeys((item.value, *item.lookup)))
    held = {r.code: (r.sku, r.min_shelf_days) for r in conn.execute(_SHELF_DAYS,
                                                                    {"forms": forms})}
    sku, days = next((held[f] for f in forms if f in held), (None, None))
    return (sku, int(days)) if sku is not None and days is not None else None


def shelf_rule(floor: Floor, item: Classified) -> ShelfRule:
    """The minimum shelf life for ``item``: its SKU's own when the catalog sets one, else
    ``[barcodes] min_shelf_days`` (also when the store cannot be read: the station is going
    offline, and the next scan meets the journal)."""
    default = ShelfRule(floor.config.barcodes.min_shelf_days)

    def read(conn: Connection) -> tuple[str, int] | None:
        return own_shelf_days(conn, item)

    try:
        if is_sqlite(floor.engine):
            with read_tx(floor.engine) as conn:
                own = read(conn)
        else:
            own = floor.run_one(Actor("", ""), read)
    except (DBAPIError, Refusal):
        return default
    return default if own is None else ShelfRule(own[1], own[0])


def check_shelf_life(floor: Floor, item: Classified, today: date | None = None,
                     rule: ShelfRule | None = None) -> None:
    """Refuse an item whose GS1 expiry (17) has passed, or is closer than its minimum shelf
    life (``rule``; by default :func:`shelf_rule`: the SKU's own from the catalog, else
    ``[barcodes] min_shelf_days``), naming the date and the days; ``today`` in the floor's
    time zone by default."""
    if not item.expiry:
        return
    expiry = date.fromisoformat(item.expiry)
    if today is None:
        today = datetime.now(ZoneInfo(floor.config.floor.timezone)).date()
    lot = item.lot or "-"
    if expiry < today:
        raise Refusal("expired", "EXPIRED: lot {lot} of {scanned} expired on {expiry}: put it "
                      "aside", lot=lot, scanned=item.value, expiry=item.expiry)
    rule = rule or shelf_rule(floor, item)
    if (expiry - today).days >= rule.days:
        return
    if rule.sku is None:
        raise Refusal("short_dated", "SHORT-DATED: lot {lot} of {scanned} expires on {expiry}, "
                      "within the {days} days' minimum shelf life: put it aside", lot=lot,
                      scanned=item.value, expiry=item.expiry, days=rule.days)
    raise Refusal("short_dated", "SHORT-DATED: lot {lot} of {scanned} expires on {expiry}, "
                  "within {sku}'s own minimum shelf life of {days} days: put it aside",
                  lot=lot, scanned=item.value, expiry=item.expiry, days=rule.days, sku=rule.sku)
