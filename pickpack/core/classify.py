"""Scan classification: what a scanned code is, by configurable patterns, first match wins.

Order: command (``CMD:``), operator badge, basket, tracking number (one pattern per courier,
which also tells the courier), platform order number, bin location, and last an item code
(EAN-13 with its check digit, GS1 element strings with application identifiers, or any other
code the catalog may hold). Classification is pure; looking a code up is the services' job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from biip import ParseError, parse

from pickpack.config import BarcodesConfig, CouriersConfig

GS = "\x1d"


@dataclass(frozen=True, slots=True)
class Classified:
    """A classified scan. ``kind``: operator | basket | command | tracking | order | location |
    item | invalid. For items, ``value`` is the code to look up (a GTIN from GS1 data when
    present); ``lot``/``expiry`` come from GS1 AIs; ``reason`` says why a code is invalid."""

    kind: str
    value: str
    courier: str | None = None
    argument: str | None = None
    lot: str | None = None
    reason: str = ""


class Classifier:
    """Compiled patterns for one config."""

    def __init__(self, barcodes: BarcodesConfig, couriers: CouriersConfig) -> None:
        self.prefix = barcodes.command_prefix.upper()  # scans are matched upper-cased
        self.operator = re.compile(barcodes.operator)
        self.basket = re.compile(barcodes.basket)
        self.order = re.compile(barcodes.order)
        self.location = re.compile(barcodes.location)
        self.tracking = [(c, re.compile(p)) for c, p in couriers.patterns.items()]

    def classify(self, raw: str, symbology: str | None = None) -> Classified:
        """Classify a code; ``symbology`` is the scanner's AIM identifier when it sent one."""
        code = raw.strip().strip("\r\n")
        if not code:
            return Classified("invalid", code, reason="empty scan")
        if symbology in GS1_SYMBOLOGIES or _looks_gs1(code):
            return _gs1(code)
        if code.upper().startswith(self.prefix):
            return _command(code[len(self.prefix):])
        if self.operator.fullmatch(code):
            return Classified("operator", code)
        if self.basket.fullmatch(code):
            return Classified("basket", code)
        for courier, pattern in self.tracking:
            if pattern.fullmatch(code):
                return Classified("tracking", code, courier=courier)
        if self.order.fullmatch(code):
            return Classified("order", code)
        if self.location.fullmatch(code):
            return Classified("location", code)
        return classify_item(code)


def _command(body: str) -> Classified:
    name, _, arg = body.strip().partition(":")
    name = name.upper()
    if not name:
        return Classified("invalid", body, reason="empty command")
    if name == "QTY" and (not _digits(arg) or not 0 < int(arg) <= 9999):
        return Classified("invalid", body, reason=f"bad quantity in command: {arg!r}")
    return Classified("command", name, argument=arg or None)


GS1_SYMBOLOGIES = frozenset({"]C1", "]e0", "]d2", "]Q3", "]J1"})


def _looks_gs1(code: str) -> bool:
    """A GS1 element string starting with a GTIN (AI 01) whose check digit holds."""
    return (
        code.startswith("01")
        and len(code) >= 16
        and _digits(code[2:16])
        and ean_check_ok(code[2:16])
    )


def _digits(text: str) -> bool:
    """ASCII digits only: ``str.isdigit`` also takes ², ① and other scripts' digits."""
    return text.isascii() and text.isdigit()


def ean_check_ok(digits: str) -> bool:
    """GS1 mod-10 check digit (EAN-8, UPC-A, EAN-13, GTIN-14)."""
    if not _digits(digits) or len(digits) < 8:
        return False
    body, check = digits[:-1], int(digits[-1])
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == check


@lru_cache(maxsize=4096)
def classify_item(code: str) -> Classified:
    """An item code: EAN/UPC/GTIN with a valid check digit, a GS1 element string, or other."""
    if _digits(code) and len(code) in (8, 12, 13, 14):
        if not ean_check_ok(code):
            return Classified("invalid", code, reason="check digit wrong (misread barcode?)")
        return Classified("item", code)
    if GS in code or (code.startswith("01") and len(code) > 16 and _digits(code[:16])):
        return _gs1(code)
    if code.isprintable():
        return Classified("item", code)
    return Classified("invalid", code.encode("unicode_escape").decode(), reason="unreadable code")


def _gs1(code: str) -> Classified:
    try:
        result = parse(code)
    except (ParseError, ValueError, IndexError) as exc:  # biip raises IndexError on some scraps
        return Classified("invalid", code.replace(GS, "<GS>"), reason=f"GS1 data: {exc}")
    msg = result.gs1_message
    if msg is None:
        return Classified("invalid", code.replace(GS, "<GS>"), reason="not a GS1 element string")
    if any(es.gtin_error for es in msg.element_strings):
        return Classified("invalid", code.replace(GS, "<GS>"),
                          reason="check digit wrong (misread barcode?)")
    found = {es.ai.ai: es.value for es in msg.element_strings}
    gtin = found.get("01") or found.get("02")
    if gtin is None:
        return Classified("invalid", code.replace(GS, "<GS>"), reason="GS1 data without a GTIN (01)")
    value = gtin[1:] if gtin.startswith("0") else gtin
    return Classified("item", value, lot=found.get("10"))
