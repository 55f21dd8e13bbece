"""The refusal for a scan a station does not take, saying what the code is and what to scan."""

from __future__ import annotations

from sqlalchemy import Connection, select

from pickpack.core.classify import Classified
from pickpack.core.context import Floor
from pickpack.core.events import Actor
from pickpack.core.refusal import Refusal
from pickpack.core.tables import BARCODES, SKUS


def not_expected(floor: Floor, actor: Actor, item: Classified, instead: str) -> Refusal:
    """A scan not taken here. An item code names the item it is (or says it is unknown), with
    ``instead``, the station's prompt: what to scan now. Other codes are "not expected here"."""
    if item.kind != "item":
        return Refusal("unexpected", "Not expected here: {scanned}", scanned=item.value)

    def known(conn: Connection) -> tuple[str, str] | None:
        row = conn.execute(select(SKUS.c.sku, SKUS.c.name)
                           .join(BARCODES, BARCODES.c.sku == SKUS.c.sku)
                           .where(BARCODES.c.code == item.value)).first()
        return (row.sku, row.name) if row else None

    found = floor.run(actor, known)
    if found is None:
        return Refusal("unknown_code", "Unknown code {scanned}: not in the catalog. {instead}",
                       scanned=item.value, instead=instead)
    return Refusal("unexpected", "{scanned} is item {sku} {name}: items are not scanned here. "
                   "{instead}", scanned=item.value, sku=found[0], name=found[1], instead=instead)
