"""A bin count as it is scanned: the bin first, then every item in it, then done.

:class:`BinCount` keeps the scans of one count in memory (nothing is written until ``finish``),
so a station screen (the desk) or a batch scanner's file drives the same steps: ``scan(code)``
for each code, ``finish()`` books the count (:func:`pickpack.core.stock.count.count_bin`) in one
transaction. A code that is neither the bin nor an item of the catalog is refused, one line.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import Connection, select

from db.engine import read_tx
from pickpack.core.context import Floor, record_refusal
from pickpack.core.events import Actor
from pickpack.core.refusal import Refusal
from pickpack.core.stock.count import CountResult, count_bin, item_units
from pickpack.core.stock.ledger import STOCK_BINS
from pickpack.core.tables import SKUS


def is_bin(conn: Connection, code: str, pattern: str) -> bool:
    """A bin: a code of the ``[barcodes] location`` shape, or a bin the store holds stock in."""
    if re.fullmatch(pattern, code):
        return True
    return (conn.execute(select(SKUS.c.sku).where(SKUS.c.bin == code).limit(1)).first()
            is not None or conn.execute(select(STOCK_BINS.c.sku)
                                        .where(STOCK_BINS.c.bin == code).limit(1)).first()
            is not None)


@dataclass
class BinCount:
    """One count in progress: ``bin_code`` once scanned, the units per SKU scanned since."""

    floor: Floor
    actor: Actor
    bin_code: str | None = None
    units: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def scan(self, code: str) -> tuple[str, int]:
        """The bin (the first scan) or an item: (what it was, units counted of it so far). A
        refused scan is recorded (``refused``) and raised."""
        try:
            return self._scan(code.strip())
        except Refusal as refusal:
            record_refusal(self.floor.engine, self.actor, refusal, None)
            raise

    def _scan(self, code: str) -> tuple[str, int]:
        with read_tx(self.floor.engine) as conn:
            if self.bin_code is None:
                if not is_bin(conn, code, self.floor.config.barcodes.location):
                    raise Refusal("scan_bin_first", "Scan the bin first, then its items: "
                                  "{scanned} is not a bin", scanned=code)
                self.bin_code = code
                return code, 0
            if code == self.bin_code:
                raise Refusal("bin_again", "Bin {bin} is being counted: scan its items",
                              bin=code)
            sku, per = item_units(conn, code)
        self.units[sku] += per
        return sku, self.units[sku]

    def finish(self, *, partial: bool = False, note: str = "") -> CountResult:
        """Book the count (refused when no bin was scanned)."""
        if self.bin_code is None:
            raise Refusal("scan_bin_first", "Scan the bin first, then its items: "
                          "{scanned} is not a bin", scanned="-")
        return count_bin(self.floor, self.actor, self.bin_code, dict(self.units),
                         partial=partial, note=note)
