"""A text line whose characters the printer's own font partly lacks: the rest stays text.

A slip line is sent as text in the printer's resident font (ASCII always; GB18030 on printers
with a Chinese font), and only the characters that font cannot print are drawn — glyph by glyph
from the machine's fonts (:mod:`printers.fonts`) — and sent as the printer's *user-defined
characters*: ``ESC & 3 c1 c2`` loads a 12 × 24-dot bitmap (one half-width cell of font A) into
each code ``c1``..``c2`` of the single-byte range, ``ESC % 1`` … ``ESC % 0`` prints those codes
from the loaded bitmaps instead of the resident font. A wide character takes two codes, its left
and right halves.

Why user-defined characters, and not the line cut into text segments and small raster images:
a downloaded character is a character. The line stays one text line of exactly the cells the
layout counted (:func:`printers.chinese.char_width`), so columns (``pair()``, the manifest's
grid), centring and right alignment hold; character size (``GS !``: the double-height receiver
line, the triple-size sort code) and emphasis apply to it as to the printer's own glyphs, and
the ``.txt`` preview is the printed line cell for cell. A bit image inside a line (``ESC *``) is
at most 24 dots high and ignores character size, so a double-height line could not hold it;
``GS v 0`` always prints on a line of its own. Where a line needs more drawn cells than the 95
codes hold, or the printer is set up without user-defined characters, the renderer draws that
line whole as a raster line instead (:func:`printers.raster.text_image`: same grid, same
layout), and the printer font's digits give way to drawn ones on that line only.

Codes are loaded as lines need them and reused by later lines; when they run out the table
starts again from the first code (the lines that used the old bitmaps are printed by then:
each ended with its line feed). ``ESC @`` at the start of every job clears them.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import lru_cache

from PIL import Image

from printers.chinese import char_width
from printers.doc import CELL_DOTS
from printers.fonts import FONT_ENV, LATIN_ENV, font_chain
from printers.raster import LINE_DOTS, glyph_cell

FIRST_CODE, LAST_CODE = 0x20, 0x7E
CODES = LAST_CODE - FIRST_CODE + 1
"""User-defined codes the printer holds at once: one drawn half-width cell each."""
SELECT_DRAWN = b"\x1b%\x01"
"""ESC % 1 — print codes from the user-defined characters."""
SELECT_RESIDENT = b"\x1b%\x00"
"""ESC % 0 — back to the printer's own font."""
BYTES_PER_CELL = CELL_DOTS * LINE_DOTS // 8


def cell_bitmaps(char: str) -> tuple[bytes, ...]:
    """``char`` drawn as the printer's user-defined characters: per half-width cell, 12 columns
    of 3 bytes each, top to bottom, the high bit the top dot (the ``ESC &`` data for ``y = 3``)."""
    return _cell_bitmaps(char, os.environ.get(FONT_ENV, ""), os.environ.get(LATIN_ENV, ""))


@lru_cache(maxsize=4096)
def _cell_bitmaps(char: str, _cjk_env: str, _latin_env: str) -> tuple[bytes, ...]:
    """Cached per font set: the environment names the fonts :func:`font_chain` finds."""
    cells = char_width(char)
    img = glyph_cell(char, cells * CELL_DOTS, font_chain().face_for(char), False)
    ink = img.point(lambda v: 255 if v < 160 else 0).convert("1")
    # Transposed, each row of the bitmap is one printed column, packed high bit first.
    columns = ink.transpose(Image.Transpose.TRANSPOSE).tobytes()
    return tuple(
        columns[k * BYTES_PER_CELL : (k + 1) * BYTES_PER_CELL] for k in range(cells)
    )


@lru_cache(maxsize=4096)
def _load_data(char: str, cjk_env: str, latin_env: str) -> tuple[int, bytes]:
    """The cells ``char`` takes and their ``ESC &`` data (each cell: its width, its bitmap)."""
    bitmaps = _cell_bitmaps(char, cjk_env, latin_env)
    return len(bitmaps), b"".join(bytes([CELL_DOTS]) + bitmap for bitmap in bitmaps)


def drawn_chars(text: str, printable: Callable[[str], bool]) -> list[str]:
    """The characters of ``text`` the printer's font lacks and that take room, each once."""
    return [
        c for c in dict.fromkeys(text)
        if not printable(c) and not c.isspace() and char_width(c)
    ]


@lru_cache(maxsize=4096)
def _parts(
    text: str, printable: Callable[[str], bool], encode: Callable[[str], bytes]
) -> tuple[tuple[str, ...], int, tuple[bytes | str, ...]]:
    """A line cut once for every job that prints it: its drawn characters, the cells they
    take, and its parts in order (bytes in the printer's font, or a character to draw).
    ``printable`` and ``encode`` must be the same objects for the same printer font."""
    drawn = drawn_chars(text, printable)
    parts: list[bytes | str] = []
    run: list[str] = []
    for char in text:
        if printable(char):
            run.append(char)
            continue
        if run:
            parts.append(encode("".join(run)))
            run.clear()
        if char.isspace():
            parts.append(encode(" " * char_width(char)))
        elif char in drawn:
            parts.append(char)
    if run:
        parts.append(encode("".join(run)))
    return tuple(drawn), sum(map(char_width, drawn)), tuple(parts)


class GlyphTable:
    """The user-defined codes of one print job and the character each pair of codes draws."""

    def __init__(self) -> None:
        self.codes: dict[str, bytes] = {}
        self.next_code = FIRST_CODE
        self.fonts = (os.environ.get(FONT_ENV, ""), os.environ.get(LATIN_ENV, ""))

    def line(
        self, text: str, printable: Callable[[str], bool], encode: Callable[[str], bytes]
    ) -> bytes | None:
        """The bytes of one normalised text line (without its line feed): ``encode``d runs of
        characters the font prints, user-defined codes for the others, preceded by the ``ESC &``
        that loads the codes not loaded yet. None when its drawn characters need more cells
        than the printer has codes. ``printable`` and ``encode`` are the same functions for
        every job on one printer font (the line's parts are cached by them)."""
        drawn, cells, parts = _parts(text, printable, encode)
        if cells > CODES:
            return None
        out = bytearray(self._load([c for c in drawn if c not in self.codes], list(drawn)))
        codes = self.codes
        for part in parts:
            if isinstance(part, bytes):
                out += part
            else:
                out += SELECT_DRAWN + codes[part] + SELECT_RESIDENT
        return bytes(out)

    def _load(self, new: list[str], line_chars: list[str]) -> bytes:
        if not new:
            return b""
        if self.next_code + sum(map(char_width, new)) - 1 > LAST_CODE:
            self.codes.clear()  # every line using the old codes has been printed
            self.next_code = FIRST_CODE
            new = line_chars
        first = self.next_code
        data = bytearray()
        for char in new:
            cells, loaded = _load_data(char, *self.fonts)
            self.codes[char] = bytes(range(self.next_code, self.next_code + cells))
            self.next_code += cells
            data += loaded
        return b"\x1b&\x03" + bytes([first, self.next_code - 1]) + data
