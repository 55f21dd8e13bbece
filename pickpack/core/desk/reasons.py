"""The desk's reason codes: one fixed table, so the trail and the reports group by code.

A hold, a release by hand and a cancel each name a code; the text is translated where it is
shown (``reason_text``), the code is what the trail keeps. Codes are upper case and short enough
to type at a CLI (``--reason BUYER``) and to print on a command sheet (``CMD:R:BUYER``).
"""

from __future__ import annotations

from pickpack.core.refusal import Refusal
from pickpack.i18n import N_, _

HOLD_REASONS: dict[str, str] = {
    "BUYER": N_("the buyer asked to wait"),
    "ADDRESS": N_("address to confirm with the buyer"),
    "REMARK": N_("a remark to settle with the buyer"),
    "STOCK": N_("waiting for stock"),
    "CHECK": N_("order to check (suspected fraud or error)"),
    "MERGE": N_("waiting for the buyer's other order"),
    "OTHER": N_("other, see the trail"),
}
"""Why the desk puts an order aside."""

RELEASE_REASONS: dict[str, str] = {
    "FIXED": N_("the problem is solved"),
    "BUYER": N_("the buyer confirmed"),
    "BULK_OK": N_("bulk order looked at and approved"),
    "SHIP_PART": N_("ship what is in stock, the rest later"),
    "STOCK_OK": N_("stock is on its way, release now"),
    "WEIGHT_OK": N_("weight or count checked again, it is right"),
    "OTHER": N_("other, see the trail"),
}
"""Why a held order goes back to the floor by hand."""

CANCEL_REASONS: dict[str, str] = {
    "REFUND": N_("refunded before shipping"),
    "BUYER": N_("the buyer cancelled"),
    "DUPLICATE": N_("duplicate order"),
    "FRAUD": N_("suspected fraud"),
    "NO_STOCK": N_("cannot be supplied"),
    "OTHER": N_("other, see the trail"),
}
"""Why an order is cancelled (it never ships)."""

EDIT_REASONS: dict[str, str] = {
    "BUYER": N_("the buyer asked for the change"),
    "WRONG": N_("the address was wrong or incomplete"),
    "AREA": N_("the courier does not serve the area"),
    "OTHER": N_("other, see the trail"),
}
"""Why the desk changes an order's receiver or address."""

TABLES = {"hold": HOLD_REASONS, "release": RELEASE_REASONS, "cancel": CANCEL_REASONS,
          "edit": EDIT_REASONS}


def reason_code(action: str, code: str) -> str:
    """``code`` (any case) as a known reason code of ``action``; a refusal naming the codes."""
    table = TABLES[action]
    upper = code.strip().upper()
    if upper not in table:
        raise Refusal("bad_reason", "Unknown reason code {reason}: one of {codes}",
                      reason=code, codes=", ".join(table))
    return upper


def reason_text(action: str, code: str) -> str:
    """The reason's words in the station's language."""
    return _(TABLES[action].get(code, code))


def held_words(hold_reason: str) -> str:
    """An order's stored hold reason as a person reads it: a desk hold (``BUYER: the buyer
    asked to wait — note``) by its code's words, an audit hold by the audit's words."""
    from pickpack.core.holdwords import hold_words

    code, sep, rest = hold_reason.partition(": ")
    words = HOLD_REASONS.get(code)
    if sep and words is not None and rest.startswith(words):
        return f"{code}: {_(words)}{rest[len(words):]}"
    return hold_words(hold_reason)
