"""The third check of a short or wrong claim: count the SKU's stock at its bin.

An investigation proposes the counts (the SKU, its bin, what the store says is on hand); the
count itself is done at the bin and recorded through the stock room (``pickpack stock count``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select

from pickpack.core.tables import SKUS


@dataclass(frozen=True, slots=True)
class CountProposal:
    sku: str
    bin: str
    on_hand: int
    """What the store holds for the SKU now: a count at the bin that finds one more unit
    confirms a short parcel."""


def propose_counts(conn: Connection, skus: list[str]) -> list[CountProposal]:
    """One count per SKU (in the order given, each once) at its bin."""
    wanted = list(dict.fromkeys(skus))
    rows = {r.sku: r for r in conn.execute(
        select(SKUS.c.sku, SKUS.c.bin, SKUS.c.on_hand).where(SKUS.c.sku.in_(wanted)))}
    return [CountProposal(sku, rows[sku].bin or "", int(rows[sku].on_hand))
            for sku in wanted if sku in rows]
