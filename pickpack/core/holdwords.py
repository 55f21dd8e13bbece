"""The audit's hold reasons in words: stored as the audit writes them (``unknown SKU: GIFT-X``,
the desk's queue groups by them), shown in the station's language."""

from __future__ import annotations

import re

from pickpack.i18n import N_, _

HOLD_WORDS = {"not paid": N_("not paid"), "address incomplete": N_("address incomplete"),
              "no order lines": N_("no order lines"), "unknown SKU": N_("unknown SKU"),
              "short of stock": N_("short of stock"), "no waybill left": N_("no waybill left"),
              "remark to acknowledge": N_("remark to acknowledge"),
              "no courier for this address": N_("no courier for this address")}
"""The audit's hold reasons as it stores them (pickpack.core.release), each with its words."""
ADDRESS_FIELDS = {"receiver_name": N_("receiver_name"), "receiver_phone": N_("receiver_phone"),
                  "province": N_("province"), "city": N_("city"), "street": N_("street")}
_BULK = re.compile(r"bulk order \((\d+) units\): supervisor to look before release")


def hold_words(hold_reason: str) -> str:
    """An audit hold's stored reason (``unknown SKU: GIFT-X``) as a person reads it: the
    audit's words, then what it names (SKUs as they are, address fields in words). The stored
    text stays as the audit wrote it (the queue groups by it); a reason typed by a person, and
    English, as written."""
    bulk = _BULK.fullmatch(hold_reason)
    if bulk:
        return _("bulk order ({n} units): supervisor to look before release").format(n=bulk[1])
    what, _sep, detail = hold_reason.partition(": ")
    if what not in HOLD_WORDS:
        return hold_reason
    if not _sep:
        return _(HOLD_WORDS[what])
    if what == "address incomplete":
        detail = ", ".join(_(ADDRESS_FIELDS.get(f, f)) for f in detail.split(", "))
    elif what == "remark to acknowledge":  # the remark's actions by kind (gift, no_price…)
        from pickpack.core.desk.view import REMARK_ACTIONS

        detail = ", ".join(_(REMARK_ACTIONS.get(k, k)) for k in detail.split(", "))
    return _("{what}: {detail}").format(what=_(HOLD_WORDS[what]), detail=detail)
