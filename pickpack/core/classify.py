"""Scan classification by shape: what a scanned code may be, from configurable patterns.

Pure: no store here. :meth:`Classifier.candidates` gives every reading the shapes allow (a
command, a badge, a basket, a tracking number per courier pattern, an order number, a bin, a
retail or GS1 code); :meth:`Classifier.classify` gives the one reading, or ``ambiguous`` when two
claim the code. What the store knows comes first and is asked by ``pickpack.core.resolve``.

Retail codes are compared in one normal form, the GTIN-14 (``gtin``): EAN-8, UPC-A, EAN-13,
ITF-14 and GTIN-14, bare or in GS1 data, UPC-E expanded. ``forms`` are the spellings a catalog may
hold the same code in, for an indexed look-up. A retail code with a wrong check digit is a
misread (``invalid``) unless the store holds it as it was scanned (shops' own codes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from pickpack.config import BarcodesConfig, CouriersConfig
from pickpack.i18n import N_

GS = "\x1d"
MISREAD = N_("check digit wrong (misread barcode?)")
KINDS = ("item", "tracking", "order", "basket", "operator", "location", "command", "sscc",
         "ambiguous", "invalid", "unknown")
"""Every kind a scan can get (``unknown``: only ``pickpack scan`` says it, for a code neither
its shape nor the store knows)."""


@dataclass(frozen=True, slots=True)
class Classified:
    """A classified scan. For items ``value`` is the code to look up (the GTIN inside GS1 data,
    without its leading zero when it has one), ``gtin`` its GTIN-14, ``forms`` the spellings to
    look it up by; ``lot``/``expiry`` (ISO date) come from GS1 AIs; ``reason`` says why a code is
    invalid, ambiguous or an SSCC; ``readings`` are the shapes that claimed an ambiguous code."""

    kind: str
    value: str
    courier: str | None = None
    argument: str | None = None
    lot: str | None = None
    reason: str = ""
    expiry: str | None = None
    gtin: str | None = field(default=None, compare=False)
    forms: tuple[str, ...] = field(default=(), compare=False)
    readings: tuple[Classified, ...] = field(default=(), compare=False)

    @property
    def lookup(self) -> tuple[str, ...]:
        """The codes a catalog look-up tries: ``forms``, else the value itself."""
        return self.forms or (self.value,)


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
        """The one reading of a code by its shape; ``ambiguous`` when several claim it.
        ``symbology`` is the scanner's AIM identifier when it sent one. Never raises."""
        found = self.candidates(raw, symbology)
        if len(found) == 1:
            return found[0]
        names = ", ".join(_name(c) for c in found)
        return Classified("ambiguous", found[0].value, reason=f"claimed by {names}",
                          readings=found)

    def candidates(self, raw: str, symbology: str | None = None) -> tuple[Classified, ...]:
        """Every reading the shapes allow, most specific first (at least one)."""
        try:
            return self._candidates(raw, symbology)
        except (RecursionError, MemoryError, ValueError, IndexError) as exc:  # total: a reading
            return (Classified("invalid", _shown(raw), reason=f"unreadable code ({exc})"),)

    def _candidates(self, raw: str, symbology: str | None) -> tuple[Classified, ...]:
        code = raw.strip().strip("\r\n")
        if not code:
            return (Classified("invalid", code, reason=N_("empty scan")),)
        if symbology in GS1_SYMBOLOGIES or _looks_gs1(code):
            return (gs1(code),)
        if code.upper().startswith(self.prefix):
            return (_command(code[len(self.prefix):]),)
        if _is_sscc(code):
            return (_sscc(code),)
        found: list[Classified] = []
        misread = ""
        if self.operator.fullmatch(code):
            found.append(Classified("operator", code))
        if self.basket.fullmatch(code):
            found.append(Classified("basket", code))
        for courier, pattern in self.tracking:
            if pattern.fullmatch(code):
                if S10.fullmatch(code) and not s10_check_ok(code):
                    misread = N_("UPU S10 check digit wrong (misread label?)")
                    continue
                found.append(Classified("tracking", code, courier=courier))
        if self.order.fullmatch(code):
            found.append(Classified("order", code))
        if self.location.fullmatch(code):
            found.append(Classified("location", code))
        retail = classify_item(code)
        if retail.kind == "item" and retail.gtin is not None:
            found.append(retail)  # a valid GTIN: one more reading
        elif not found:
            if misread:
                return (Classified("invalid", code, reason=misread, forms=(code,)),)
            return (retail,)
        return tuple(found)


def _name(c: Classified) -> str:
    return f"{c.kind} {c.courier}" if c.courier else c.kind


def _shown(code: str) -> str:
    return code.replace(GS, "<GS>").encode("unicode_escape").decode()


def _command(body: str) -> Classified:
    name, _, arg = body.strip().partition(":")
    name = name.upper()
    if not name:
        return Classified("invalid", body, reason=N_("empty command"))
    if name == "QTY" and (not _digits(arg) or not 0 < int(arg) <= 9999):
        return Classified("invalid", body, reason=f"bad quantity in command: {arg!r}")
    return Classified("command", name, argument=arg or None)


GS1_SYMBOLOGIES = frozenset({"]C1", "]e0", "]d2", "]Q3", "]J1"})
S10 = re.compile(r"[A-Z]{2}\d{9}[A-Z]{2}")
"""The UPU S10 shape of international (and EMS) postal items: EA123456785CN."""
DIGITAL_LINK = re.compile(r"https?://[^/\s]+(?:/[^\s]*)?/0[01]/\d{14,18}(?:[/?#][^\s]*)?",
                          re.IGNORECASE)
"""A GS1 Digital Link URI (https://id.gs1.org/01/09506000134352/10/ABC?17=261231)."""


def _looks_gs1(code: str) -> bool:
    """GS1 data by its look: an element string starting with a GTIN (AI 01 and 14 digits, its
    check digit right or not), human-readable ``(01)…``/``(00)…``, or a Digital Link URI."""
    if code.startswith("01") and len(code) >= 16 and _digits(code[2:16]):
        return True
    if code.startswith(("(01)", "(02)", "(00)", "(17)", "(10)")):
        return True
    return GS in code or bool(DIGITAL_LINK.fullmatch(code))


def _digits(text: str) -> bool:
    """ASCII digits only: ``str.isdigit`` also takes ², ① and other scripts' digits."""
    return text.isascii() and text.isdigit()


def ean_check_ok(digits: str) -> bool:
    """GS1 mod-10 check digit (EAN-8, UPC-A, EAN-13, GTIN-14, SSCC)."""
    if not _digits(digits) or len(digits) < 8:
        return False
    body, check = digits[:-1], int(digits[-1])
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == check


def s10_check_ok(code: str) -> bool:
    """The UPU S10 check digit (weights 8 6 4 2 3 5 9 7, mod 11) of ``AA123456785CN``."""
    if not S10.fullmatch(code):
        return False
    total = sum(int(d) * w for d, w in zip(code[2:10], (8, 6, 4, 2, 3, 5, 9, 7), strict=True))
    check = 11 - total % 11
    return int(code[10]) == {10: 0, 11: 5}.get(check, check)


def upce_to_upca(code: str) -> str | None:
    """UPC-E (8 digits: number system 0/1, six digits, check) expanded to its UPC-A."""
    if len(code) != 8 or not _digits(code) or code[0] not in "01":
        return None
    ns, d, check = code[0], code[1:7], code[7]
    last = d[5]
    if last in "012":
        body = d[0:2] + last + "0000" + d[2:5]
    elif last == "3":
        body = d[0:3] + "00000" + d[3:5]
    elif last == "4":
        body = d[0:4] + "00000" + d[4]
    else:
        body = d[0:5] + "0000" + last
    upca = ns + body + check
    return upca if ean_check_ok(upca) else None


def gtin_forms(gtin14: str) -> tuple[str, ...]:
    """The spellings a catalog may hold a GTIN-14 in: itself, and without its leading zeros as
    EAN-13, UPC-A and EAN-8 where they are zeros."""
    forms = [gtin14]
    for width in (13, 12, 8):
        if gtin14[: 14 - width] == "0" * (14 - width):
            forms.append(gtin14[14 - width:])
    return tuple(forms)


@lru_cache(maxsize=4096)
def classify_item(code: str) -> Classified:
    """An item code: EAN/UPC/GTIN with a valid check digit (in its normal form), a GS1 element
    string, or any other printable code a catalog may hold."""
    if _digits(code) and len(code) in (8, 12, 13, 14):
        readings: list[str] = []
        if ean_check_ok(code):
            readings.append(code.zfill(14))
        upca = upce_to_upca(code)
        if upca is not None:
            readings.append(upca.zfill(14))
        if not readings:  # the store may still hold it as scanned (a shop's own code)
            forms = tuple(dict.fromkeys((code, *gtin_forms(code.zfill(14)))))
            return Classified("invalid", code, reason=MISREAD, forms=forms)
        forms = tuple(dict.fromkeys((code, *(f for g in readings for f in gtin_forms(g)))))
        return Classified("item", code, gtin=readings[0], forms=forms)
    if GS in code or (code.startswith("01") and len(code) > 16 and _digits(code[:16])):
        return gs1(code)
    if code.isprintable():
        return Classified("item", code)
    return Classified("invalid", _shown(code), reason=N_("unreadable code"))


HRI = re.compile(r"\((\d{2,4})\)([^()]*)")


def _from_hri(code: str) -> str:
    """``(01)09506000134352(10)ABC`` as the element string it prints (groups joined by GS)."""
    if not code.startswith("("):
        return code
    groups = HRI.findall(code)
    if not groups or "".join(f"({a}){v}" for a, v in groups) != code:
        return code
    return GS.join(a + v for a, v in groups)


def _is_sscc(code: str) -> bool:
    return len(code) == 20 and code.startswith("00") and _digits(code) and ean_check_ok(code[2:])


def _sscc(code: str) -> Classified:
    return Classified("sscc", code[2:], reason=N_("a cage or pallet label (SSCC), not a parcel"))


def gs1(code: str) -> Classified:
    """GS1 data (element string, human-readable or Digital Link URI) read with biip."""
    shown = code.replace(GS, "<GS>")
    plain = _from_hri(code)
    head = plain.lstrip(GS)
    if head.startswith("01") and len(head) >= 16 and _digits(head[2:16]) and not ean_check_ok(
            head[2:16]):
        return Classified("invalid", shown, reason=MISREAD, forms=gtin_forms(head[2:16]))
    from biip import ParseError, parse  # 40–55 ms to import: only once a code looks like GS1

    try:
        result = parse(plain)
    except (ParseError, ValueError, IndexError, TypeError) as exc:  # biip: IndexError on scraps
        return Classified("invalid", shown, reason=f"GS1 data: {exc}")
    link = result.gs1_digital_link_uri
    msg = link if link is not None else result.gs1_message
    if msg is None:
        return Classified("invalid", shown, reason="not a GS1 element string")
    found = {es.ai.ai: es for es in msg.element_strings}
    if "00" in found:
        sscc = found["00"]
        if sscc.sscc_error:
            return Classified("invalid", shown, reason=MISREAD)
        return _sscc("00" + sscc.value)
    if any(es.gtin_error for es in msg.element_strings):
        digits = (found.get("01") or found.get("02"))
        forms = gtin_forms(digits.value) if digits is not None else ()
        return Classified("invalid", shown, reason=MISREAD, forms=forms)
    gtin_es = found.get("01") or found.get("02")
    if gtin_es is None:
        return Classified("invalid", shown, reason="GS1 data without a GTIN (01)")
    gtin = gtin_es.value
    expiry = found.get("17")
    day = expiry.date.isoformat() if expiry is not None and expiry.date is not None else None
    lot = found.get("10")
    value = gtin[1:] if gtin.startswith("0") else gtin
    return Classified("item", value, lot=lot.value if lot else None, expiry=day, gtin=gtin,
                      forms=tuple(dict.fromkeys((value, *gtin_forms(gtin)))))

