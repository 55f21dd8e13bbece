"""Barcodes and QR codes: the printer's own CODE128 payload, and images that scan as well.

Native CODE128 (``GS k 73``) needs the code set chosen by the sender: ``{B`` for text, ``{C``
for digit runs, where each pair of digits travels as one byte of value 0-99. Tracking numbers
are mostly digits, so set C keeps them short enough to scan on 58 mm paper.

Printers whose profile has no native barcode or QR get images drawn here from the symbol's own
modules at a whole number of dots per module: no resampling, so the bars are as crisp as the
printer's own.
"""

from __future__ import annotations

import re
from functools import lru_cache

import qrcode
from barcode.codex import Code128
from PIL import Image

QUIET_MODULES = 10
"""Blank modules left and right of a CODE128 symbol (the standard asks for 10)."""
MIN_DIGIT_RUN = 4
"""Shortest digit run worth switching to code set C (the switch costs one symbol)."""


def code128_payload(data: str) -> str:
    """The ``GS k 73`` data for ``data``: ``{B`` text, ``{C`` digit pairs packed as bytes.

    >>> code128_payload("SF1234") == "{BSF{C" + chr(12) + chr(34)
    True
    """
    if not data or not data.isascii() or not data.isprintable():
        raise ValueError(f"CODE128 takes printable ASCII, not {data!r}")
    out: list[str] = []
    current = ""
    for match in re.finditer(r"\d+|\D+", data):
        part = match.group()
        if part.isdigit() and len(part) >= MIN_DIGIT_RUN:
            if len(part) % 2:
                if current != "B":
                    out.append("{B")
                    current = "B"
                out.append(part[0])
                part = part[1:]
            if current != "C":
                out.append("{C")
                current = "C"
            out.extend(chr(int(part[i : i + 2])) for i in range(0, len(part), 2))
        else:
            if current != "B":
                out.append("{B")
                current = "B"
            out.append(part.replace("{", "{{"))
    payload = "".join(out)
    if len(payload) > 255:
        raise ValueError(f"barcode data too long: {data!r}")
    return payload


def code128_modules(data: str) -> int:
    """Width of the native symbol in modules: quiet zones, start, data, check and stop."""
    payload = code128_payload(data)
    symbols = 0
    i = 0
    while i < len(payload):
        # "{B"/"{C" is a start or code-set switch, "{{" a literal brace: one symbol each.
        i += 2 if payload[i] == "{" else 1
        symbols += 1
    return QUIET_MODULES * 2 + 11 * (symbols + 1) + 13


def fit_module(modules: int, wanted: int, dots: int) -> int:
    """Largest module width ≤ ``wanted`` so that ``modules`` fit in ``dots`` (at least 1)."""
    return max(1, min(wanted, dots // max(modules, 1)))


@lru_cache(maxsize=256)
def _bars(data: str) -> str:
    return Code128(data).build()[0]


def barcode_image(data: str, module: int, height: int, dots: int) -> Image.Image:
    """CODE128 as a black-on-white image, ``module`` dots per module (shrunk to fit ``dots``)."""
    bars = "0" * QUIET_MODULES + _bars(data) + "0" * QUIET_MODULES
    module = fit_module(len(bars), module, dots)
    row = Image.new("L", (len(bars), 1), 255)
    row.putdata([0 if bar == "1" else 255 for bar in bars])
    return row.resize((len(bars) * module, height), Image.Resampling.NEAREST)


@lru_cache(maxsize=256)
def _qr_matrix(data: str) -> tuple[tuple[bool, ...], ...]:
    code = qrcode.QRCode(border=2, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(data)
    code.make(fit=True)
    return tuple(tuple(row) for row in code.get_matrix())


def qr_image(data: str, module: int, dots: int) -> Image.Image:
    """QR code (model 2, level M) as an image, ``module`` dots per cell (shrunk to fit ``dots``)."""
    matrix = _qr_matrix(data)
    size = len(matrix)
    module = fit_module(size, module, dots)
    img = Image.new("L", (size, size), 255)
    img.putdata([0 if cell else 255 for row in matrix for cell in row])
    return img.resize((size * module, size * module), Image.Resampling.NEAREST)
