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
    """The symbol ``qrcode`` makes for ``data`` (level M, border 2), module for module: the same
    version, data and mask. Only the mask is chosen here: ``qrcode`` lays the data out and
    scores each of the 8 masks in Python loops (most of a font-less printer's slip time); here
    the 8 candidates are scored with the matrix as one integer per direction, by the same rules
    (:func:`_penalty`), and the first lowest wins, as in ``qrcode``."""
    code = qrcode.QRCode(border=2, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(data)
    code.best_fit(start=code.version)
    code.makeImpl(True, 0)  # the test symbol with mask 0: format bits blank, as qrcode scores
    n = code.modules_count
    rows = _as_int(code.modules)
    cols = _as_int([list(col) for col in zip(*code.modules, strict=True)])
    deltas = _mask_deltas(code.version)
    scores = [_penalty(rows ^ by_row, cols ^ by_col, n) for by_row, by_col in deltas]
    best = scores.index(min(scores))
    # makeImpl(False, best) without laying the data out again: mask 0's data modules flipped
    # to mask ``best``, then the format (and version) bits of that mask written over.
    bits = f"{rows ^ deltas[best][0]:0{n * n}b}"[::-1]
    code.modules = [[bit == "1" for bit in bits[r * n : (r + 1) * n]] for r in range(n)]
    code.setup_type_info(False, best)
    if code.version >= 7:
        code.setup_type_number(False)
    return tuple(tuple(bool(cell) for cell in row) for row in code.get_matrix())


def _as_int(modules: list[list[bool | None]]) -> int:
    """The modules as one integer: bit ``r * n + c`` is row ``r``, column ``c`` (1 = dark)."""
    return int("".join("1" if cell else "0" for row in reversed(modules) for cell in reversed(row))
               or "0", 2)


@lru_cache(maxsize=41)
def _mask_deltas(version: int) -> tuple[tuple[int, int], ...]:
    """Per mask, the data modules it flips differently from mask 0, by row and by column: the
    test symbol of mask ``i`` is mask 0's XOR these (the other modules are the same)."""
    probe = qrcode.QRCode(version=version, error_correction=qrcode.constants.ERROR_CORRECT_M)
    n = probe.modules_count = version * 4 + 17
    probe.modules = [[None] * n for _ in range(n)]  # as makeImpl lays out a blank symbol
    probe.setup_position_probe_pattern(0, 0)
    probe.setup_position_probe_pattern(n - 7, 0)
    probe.setup_position_probe_pattern(0, n - 7)
    probe.setup_position_adjust_pattern()
    probe.setup_timing_pattern()
    probe.setup_type_info(True, 0)
    if version >= 7:
        probe.setup_type_number(True)
    data = [(r, c) for r in range(n) for c in range(n) if probe.modules[r][c] is None]
    base = qrcode.util.mask_func(0)
    out = []
    for mask in range(8):
        func = qrcode.util.mask_func(mask)
        flipped = [(r, c) for r, c in data if func(r, c) != base(r, c)]
        out.append((sum(1 << (r * n + c) for r, c in flipped),
                    sum(1 << (c * n + r) for r, c in flipped)))
    return tuple(out)


@lru_cache(maxsize=41)
def _starts(n: int, length: int) -> int:
    """Bits of the cells a window of ``length`` cells along a line can start at."""
    return sum(((1 << (n - length + 1)) - 1) << (line * n) for line in range(n))


FINDER_LIKE = ((1, 0, 1, 1, 1, 0, 1, 0, 0, 0, 0), (0, 0, 0, 0, 1, 0, 1, 1, 1, 0, 1))
"""The 1:1:3:1:1 patterns with four light modules after or before (``qrcode``'s level 3)."""


def _line_penalty(lines: int, n: int) -> int:
    """Rules 1 and 3 along one direction (``lines``: bit ``line * n + i``)."""
    full = (1 << (n * n)) - 1
    light = lines ^ full
    same = (lines ^ (lines >> 1)) ^ full  # cell i equals cell i + 1
    run4 = same & (same >> 1) & (same >> 2) & (same >> 3) & _starts(n, 5)
    # A run of L >= 5 holds L - 4 windows of five and scores L - 2: one more per extra cell.
    runs = (run4 & ~(run4 << 1)).bit_count()
    score = run4.bit_count() + 2 * runs
    starts = _starts(n, 11)
    for pattern in FINDER_LIKE:
        hit = starts
        for k, dark in enumerate(pattern):
            hit &= (lines if dark else light) >> k
        score += 40 * hit.bit_count()
    return score


def _penalty(rows: int, cols: int, n: int) -> int:
    """``qrcode.util.lost_point`` of a symbol given by row (``rows``) and by column (``cols``)."""
    full = (1 << (n * n)) - 1
    across = (rows ^ (rows >> 1)) ^ full
    down = (rows ^ (rows >> n)) ^ full
    blocks = across & down & (across >> n) & _starts(n, 2) & ((1 << (n * (n - 1))) - 1)
    percent = float(rows.bit_count()) / (n**2)
    return (_line_penalty(rows, n) + _line_penalty(cols, n) + 3 * blocks.bit_count()
            + int(abs(percent * 100 - 50) / 5) * 10)


def qr_image(data: str, module: int, dots: int) -> Image.Image:
    """QR code (model 2, level M) as an image, ``module`` dots per cell (shrunk to fit ``dots``)."""
    matrix = _qr_matrix(data)
    size = len(matrix)
    module = fit_module(size, module, dots)
    img = Image.new("L", (size, size), 255)
    img.putdata([0 if cell else 255 for row in matrix for cell in row])
    return img.resize((size * module, size * module), Image.Resampling.NEAREST)
