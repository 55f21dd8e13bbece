"""The CLI's text lines for what the core hands back as machine words: the note a desk change
returns (``ready ZTO 7000…``, ``held: …``, ``void … → new waybill …``) and an order's trail of
events. ``--json`` keeps the machine words; these are what a person reads."""

from __future__ import annotations

import re
from typing import Any

from pickpack.core.couriers.rules import PICKUP
from pickpack.core.desk.reasons import TABLES
from pickpack.core.holdwords import hold_words
from pickpack.core.lifecycle import STATE_NAMES, event_name, state_name
from pickpack.i18n import _


def courier_word(code: str | None) -> str:
    """A courier's code as it is (ZTO, SF…), local pickup (``PICKUP``, no courier) in words."""
    if code == PICKUP:
        return _("local pickup")
    return code or "-"


def reason_words(reason: str) -> str:
    """A stored hold reason in words: the desk's (``BUYER: the buyer asked to wait``, its code
    as typed, its text translated) or the audit's (:func:`hold_words`)."""
    code, sep, text = reason.partition(": ")
    if sep and any(text in table.values() for table in TABLES.values()):
        return f"{code}: {_(text)}"
    return hold_words(reason)


_VOID = re.compile(r"void (\S+) → new waybill (\S+)")


def change_note(note: str) -> str:
    """The note of ``pickpack.core.desk.waybills.after_change`` in the station's language."""
    void = _VOID.fullmatch(note)
    if void:
        return _("void {old} → new waybill {new}").format(old=void[1], new=void[2])
    if note.startswith("held: "):
        return _("held: {reason}").format(reason=reason_words(note.removeprefix("held: ")))
    state, sep, rest = note.partition(" ")
    if state in STATE_NAMES:
        courier, sep2, tracking = rest.partition(" ")
        return f"{state_name(state)}{sep}{courier_word(courier)}{sep2}{tracking}"
    return note


CODES = ("courier", "tracking_no", "basket", "sku", "code", "lot", "parcel", "wave", "file",
         "bin", "supervisor", "override", "job")
"""Payload values a trail line shows as they are: codes a person scans, copies or looks up."""


def event_details(payload: dict[str, Any]) -> str:
    """An event's payload as a trail shows it: the state it moved between in words, the hold
    reason in words, the codes it names; the rest is in ``order show --json``."""
    out: list[str] = []
    if "from" in payload and "to" in payload:
        out.append(f"{state_name(str(payload['from']))} → {state_name(str(payload['to']))}")
    elif "state" in payload:
        out.append(state_name(str(payload["state"])))
    reason = payload.get("reason")
    if isinstance(reason, str) and reason:
        out.append(reason_words(reason))
    out += [str(payload[k]) for k in CODES if payload.get(k) not in (None, "", [], {})
            and not isinstance(payload[k], (dict, list))]
    if isinstance(payload.get("row"), int):
        out.append(_("row {row}").format(row=payload["row"]))
    if isinstance(payload.get("units"), int):
        out.append(f"×{payload['units']}")
    return "  ".join(out)


def event_line(event: dict[str, Any]) -> str:
    """One line of an order's trail: when, where, who, what happened and what it names."""
    return (f"  {event['at'][:19]} {event['station']:<4} {event['operator']:<8} "
            f"{event_name(event['kind'])}  {event_details(event['payload'] or {})}").rstrip()
