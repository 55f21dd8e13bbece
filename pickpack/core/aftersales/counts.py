"""The third check of a short or wrong claim: count the SKU's stock at its bins.

An investigation proposes the counts: each bin the stock ledger holds the SKU in (its home bin
first) with what the store says lies there. The count itself is done at the bin and recorded
through the stock room: ``pickpack stock count BIN SKU=QTY --partial`` (its count). A
count that finds one unit more than the store says confirms a short parcel.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection

from pickpack.core.refusal import Refusal
from pickpack.core.stock.ledger import bins_of


@dataclass(frozen=True, slots=True)
class CountProposal:
    sku: str
    bin: str
    on_hand: int
    """What the store says lies in that bin now."""


def propose_counts(conn: Connection, skus: list[str]) -> list[CountProposal]:
    """One count per SKU and bin (SKUs in the order given, each once; unknown ones left out)."""
    out: list[CountProposal] = []
    for sku in dict.fromkeys(skus):
        try:
            bins = bins_of(conn, sku)
        except Refusal as refusal:  # a SKU no longer in the catalog has no bin to count
            if refusal.code != "unknown_sku":
                raise
            continue
        out.extend(CountProposal(sku, b, n) for b, n in bins.items())
    return out
