"""The after-sales texts the system writes itself — a case's "what the buyer said" and "what
was done" when no person typed them — are stored as a machine code with its values
(``@stale_tracking {"days": 9}``) and put in words only when shown, in the reader's language
(the register, the desk, the CLI). A person's own words are stored and shown as typed.

Texts stored in words before the codes (English, as the system wrote them then) are matched
by their shape and put in words the same way, so an older register reads in one language too.
"""

from __future__ import annotations

import json
import re
from typing import Any

from pickpack.i18n import N_, _

MARK = "@"
TEXTS: dict[str, str] = {
    "unregistered_return": N_("return parcel with no registration"),
    "return_differs": N_("{sku}: declared {declared}, received {received}"),
    "ship_short": N_("shipped short by {supervisor} ({reason})"),
    "stale_tracking": N_("no tracking update for {days} days"),
    "tracking_status": N_("tracking: {status}"),
    "return_abandoned": N_("return abandoned at the station, nothing received"),
    "received_as_declared": N_("received as declared"),
}
"""Code → the words, a template of its values (translated when shown)."""
SEPARATOR = N_("; ")
"""Between the parts of a text of several (a return's differences)."""
LEGACY: list[tuple[str, re.Pattern[str]]] = [
    ("unregistered_return", re.compile(r"return parcel with no registration")),
    ("return_abandoned", re.compile(r"return abandoned at the station, nothing received")),
    ("received_as_declared", re.compile(r"received as declared")),
    ("return_differs", re.compile(r"(?P<sku>\S+): declared (?P<declared>\d+), "
                                  r"received (?P<received>\d+)")),
    ("ship_short", re.compile(r"shipped short by (?P<supervisor>\S+) \((?P<reason>.*)\)")),
    ("stale_tracking", re.compile(r"no tracking update for (?P<days>\d+) days")),
    ("tracking_status", re.compile(r"tracking: (?P<status>.*)")),
]
"""The shapes those texts had when they were stored in English words."""


def coded(code: str, parts: list[dict[str, Any]] | None = None, **values: Any) -> str:
    """The stored form of a system text: its code and values (``parts``: several of them)."""
    assert code in TEXTS, code
    args: Any = parts if parts is not None else values
    return MARK + code + (" " + json.dumps(args, ensure_ascii=False, sort_keys=True)
                          if args else "")


def _words(code: str, args: dict[str, Any]) -> str:
    return _(TEXTS[code]).format(**args)


def _legacy(text: str) -> str | None:
    parts = text.split("; ")
    out = []
    for part in parts:
        for code, shape in LEGACY:
            found = shape.fullmatch(part)
            if found:
                out.append(_words(code, found.groupdict()))
                break
        else:
            return None
    return _(SEPARATOR).join(out)


def in_words(text: str) -> str:
    """A stored text as the reader reads it: a code in words, a person's words as typed."""
    try:
        if not text.startswith(MARK):
            return _legacy(text) or text
        code, _sep, rest = text[len(MARK):].partition(" ")
        if code not in TEXTS:
            return text
        args = json.loads(rest) if rest else {}
        if isinstance(args, list):
            return _(SEPARATOR).join(_words(code, a) for a in args)
        return _words(code, args)
    except (ValueError, KeyError, IndexError, TypeError, AttributeError):
        return text  # not one of ours after all: shown as stored


def os_why(exc: OSError) -> str:
    """Why a file could not be written, in the reader's language (the OS says it in English)."""
    if isinstance(exc, FileNotFoundError):
        return _("no such folder")
    if isinstance(exc, PermissionError):
        return _("permission denied")
    if isinstance(exc, IsADirectoryError):
        return _("it is a folder")
    return _("the system refused it ({code})").format(code=exc.errno)


STATE_WORDS = (N_("expected"), N_("receiving"), N_("received"), N_("abandoned"),
               N_("requested"), N_("intercepted"), N_("failed"))
"""Return and intercept states as the CLI shows them (translated where shown; the store and
``--json`` keep the machine word)."""
