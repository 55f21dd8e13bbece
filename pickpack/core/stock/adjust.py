"""Stock adjustments with a reason: goods received, damaged, lost, found, a correction.

Goods received (到货入库) are booked in by anyone on the floor; every other adjustment changes
stock without a count, so it needs a supervisor (badge + PIN, proven by the caller with
:func:`pickpack.core.authority.prove_supervisor`). Each is an ``adjust`` movement and a
``stock_adjust`` event naming who, why and who authorised it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection

from pickpack.core.authority import still_supervisor
from pickpack.core.context import Floor
from pickpack.core.events import Actor, append_event
from pickpack.core.operators import OperatorInfo
from pickpack.core.refusal import Refusal
from pickpack.core.stock.ledger import Move, bins_of, record_movements
from pickpack.i18n import _

ADJUST_REASONS: dict[str, str] = {
    "received": "goods received into stock",
    "damaged": "damaged, written off",
    "lost": "lost or missing",
    "found": "found on the floor",
    "correction": "a booking error corrected",
    "sample": "taken as a sample or for a photo shoot",
}
"""Reason codes of an adjustment; only ``received`` (a positive one) needs no supervisor."""
OPEN_REASONS = ("received",)


@dataclass(frozen=True, slots=True)
class Adjusted:
    sku: str
    bin: str
    delta: int
    bin_on_hand: int
    on_hand: int
    reason: str


def parse_change(text: str) -> tuple[str, int]:
    """``+5`` / ``-2`` (a change) or ``=12`` (the bin now holds 12) as (how, number)."""
    text = text.strip()
    how = "set" if text.startswith("=") else "by"
    digits = text[1:] if text[:1] in "=+-" else text
    if not digits.isascii() or not digits.isdigit() or len(digits) > 7:
        raise ValueError(_("not a stock change {text}: +N, -N or =N (whole units)").format(
            text=repr(text)))
    number = int(digits)
    return how, -number if text.startswith("-") else number


def adjust_stock(floor: Floor, actor: Actor, sku: str, change: str, reason: str, *,
                 bin_code: str | None = None, note: str = "",
                 supervisor: OperatorInfo | None = None) -> Adjusted:
    """Adjust ``sku`` in ``bin`` (its home bin when None) by ``change`` (see :func:`parse_change`)
    for ``reason``; refused with one line when the reason needs a supervisor and none proved."""
    how, number = parse_change(change)
    if reason not in ADJUST_REASONS:
        raise ValueError(f"unknown reason {reason!r}: one of {', '.join(ADJUST_REASONS)}")
    if bin_code is not None and (not bin_code.strip() or len(bin_code) > 32
                                 or not bin_code.isprintable()):
        raise ValueError(f"not a bin {bin_code!r}")

    def tx(conn: Connection) -> Adjusted:
        bins = bins_of(conn, sku)
        where = next(iter(bins)) if bin_code is None else bin_code
        here = bins.get(where, 0)
        delta = number - here if how == "set" else number
        if here + delta < 0:
            raise Refusal("stock_below_zero", "{sku} in {bin} holds {n}: it cannot go below 0",
                          sku=sku, bin=where or "-", n=here)
        if supervisor is not None:
            still_supervisor(conn, supervisor)
        elif reason not in OPEN_REASONS or delta < 0:
            raise Refusal("needs_supervisor", "Adjusting stock for {reason} needs a supervisor "
                          "(badge + PIN)", reason=reason)
        event = append_event(conn, actor, "stock_adjust", None, {
            "sku": sku, "bin": where, "delta": delta, "before": here, "reason": reason,
            "note": note[:200], "supervisor": supervisor.code if supervisor else None})
        total = record_movements(conn, actor, [Move(sku, delta, where, None,
                                                    f"{reason}: {note}" if note else reason)],
                                 "adjust", event_uuid=event)[sku]
        return Adjusted(sku, where, delta, here + delta, total, reason)

    return floor.run(actor, tx)
