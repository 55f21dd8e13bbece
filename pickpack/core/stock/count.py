"""A stock count by bin (盘点): scan the bin, then every item in it; the ledger takes the count.

Stock leaves at ship, so the ledger's number for a SKU's home bin includes the units that
baskets hold (orders picked and not yet shipped, and cancelled orders not yet put away): those
are not on the shelf, and the count expects the shelf without them. A full count (the default)
counts every SKU the ledger has in the bin: one not scanned was counted 0. A partial count
changes only the SKUs counted. Each SKU's difference is a ``count`` movement (0 when it matched:
the count is on record either way), all under one ``stock_count`` event.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import Connection, func, or_, select

from pickpack.core.classify import classify_item
from pickpack.core.context import Floor
from pickpack.core.events import Actor, append_event
from pickpack.core.lifecycle import CANCELLED, PACKED, PICKED, PICKING, SHIPPED, VERIFIED, WEIGHED
from pickpack.core.refusal import Refusal
from pickpack.core.stock.ledger import STOCK_BINS, Move, bins_of, record_movements
from pickpack.core.tables import BARCODES, BASKETS, LINES, ORDERS, SKUS

OFF_SHELF = (PICKING, PICKED, VERIFIED, PACKED, WEIGHED)
"""Orders whose goods have left their bins for a basket (stock leaves the ledger at ship)."""
MAX_COUNT = 1_000_000


@dataclass(frozen=True, slots=True)
class CountLine:
    sku: str
    expected: int
    """What the ledger says lies on the shelf (its number less what baskets hold)."""
    counted: int
    in_baskets: int

    @property
    def delta(self) -> int:
        return self.counted - self.expected


@dataclass(frozen=True, slots=True)
class CountResult:
    bin: str
    lines: list[CountLine] = field(default_factory=list)

    @property
    def differences(self) -> list[CountLine]:
        return [line for line in self.lines if line.delta]

    def to_json(self) -> dict[str, Any]:
        return {"bin": self.bin, "lines": [{**asdict(line), "delta": line.delta}
                                           for line in self.lines]}


def item_units(conn: Connection, code: str) -> tuple[str, int]:
    """A scanned item (or a typed SKU) as (SKU, units): a case barcode counts as N units."""
    code = code.strip()
    sku = conn.execute(select(SKUS.c.sku).where(SKUS.c.sku == code)).scalar()
    if sku is not None:
        return str(sku), 1
    item = classify_item(code)
    if item.kind != "item":
        raise Refusal("bad_item", "Not an item code {scanned}: {reason}", scanned=code,
                      reason=item.reason)
    for value in dict.fromkeys((code, item.value)):
        row = conn.execute(select(BARCODES.c.sku, BARCODES.c.units)
                           .where(BARCODES.c.code == value)).first()
        if row is not None:
            return str(row.sku), int(row.units)
    raise Refusal("unknown_item", "Unknown item {scanned}: not in the catalog", scanned=code)


def tally(conn: Connection, scans: Iterable[tuple[str, int]]) -> dict[str, int]:
    """Units per SKU from (code, times) pairs: each scanned code (or SKU) ``times`` over."""
    units: dict[str, int] = defaultdict(int)
    for code, times in scans:
        if not 0 <= times <= MAX_COUNT:
            raise ValueError(f"{code}: a count is a whole number 0–{MAX_COUNT}, not {times}")
        sku, per = item_units(conn, code)
        units[sku] += per * times
    return dict(units)


def in_baskets(conn: Connection, skus: Iterable[str]) -> dict[str, int]:
    """Units per SKU that baskets hold: orders picked and not shipped, cancelled orders not yet
    put away."""
    wanted = sorted(set(skus))
    if not wanted:
        return {}
    bound = select(BASKETS.c.order_id).where(BASKETS.c.order_id.is_not(None))
    rows = conn.execute(
        select(LINES.c.sku, func.sum(LINES.c.qty))
        .join(ORDERS, ORDERS.c.id == LINES.c.order_id)
        .where(LINES.c.sku.in_(wanted), ORDERS.c.state != SHIPPED,
               or_(ORDERS.c.state.in_(OFF_SHELF),
                   (ORDERS.c.state == CANCELLED) & ORDERS.c.id.in_(bound)))
        .group_by(LINES.c.sku))
    return {sku: int(n) for sku, n in rows}


def _skus_in(conn: Connection, bin_code: str) -> set[str]:
    homes = set(conn.execute(select(SKUS.c.sku).where(SKUS.c.bin == bin_code)).scalars())
    return homes | set(conn.execute(select(STOCK_BINS.c.sku).where(STOCK_BINS.c.bin == bin_code))
                       .scalars())


def count_bin(floor: Floor, actor: Actor, bin_code: str, counted: dict[str, int], *,
              partial: bool = False, note: str = "") -> CountResult:
    """Take a count of ``bin`` (SKU → units counted): the ledger moves to it, each SKU's
    difference a ``count`` movement, all under one ``stock_count`` event."""
    bin_code = bin_code.strip()
    if not bin_code or len(bin_code) > 32 or not bin_code.isprintable():
        raise Refusal("bad_bin", "Not a bin {scanned}", scanned=bin_code)
    for sku, qty in counted.items():
        if not 0 <= qty <= MAX_COUNT:
            raise ValueError(f"{sku}: a count is a whole number 0–{MAX_COUNT}, not {qty}")

    def tx(conn: Connection) -> CountResult:
        here = _skus_in(conn, bin_code)
        if not here and not counted:
            raise Refusal("empty_bin", "Bin {bin} holds nothing in the ledger: scan its items",
                          bin=bin_code)
        skus = sorted(set(counted) if partial else here | set(counted))
        homes = {s: str(b or "") for s, b in conn.execute(
            select(SKUS.c.sku, SKUS.c.bin).where(SKUS.c.sku.in_(skus)))}
        unknown = sorted(set(skus) - set(homes))
        if unknown:
            raise Refusal("unknown_sku", "Unknown SKU {sku}", sku=", ".join(unknown))
        away = in_baskets(conn, [s for s in skus if homes[s] == bin_code])
        lines = []
        for sku in skus:
            ledger = bins_of(conn, sku).get(bin_code, 0)
            out = away.get(sku, 0)
            lines.append(CountLine(sku, ledger - out, counted.get(sku, 0), out))
        result = CountResult(bin_code, lines)
        event = append_event(conn, actor, "stock_count", None,
                             {**result.to_json(), "partial": partial, "note": note[:200]})
        record_movements(conn, actor, [Move(line.sku, line.delta, bin_code, None, note)
                                       for line in lines], "count", event_uuid=event)
        return result

    return floor.run(actor, tx)


__all__ = ["CountLine", "CountResult", "count_bin", "in_baskets", "item_units", "tally"]
