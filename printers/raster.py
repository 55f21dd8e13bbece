"""Text as pixels: the characters the printer's font lacks (as its user-defined characters,
:mod:`printers.glyphs`), a line too full of them, and previews.

Lines are drawn on the printer's own grid (12 dots per half-width cell, 24 dots per line,
multiplied by the character size), so a raster line lines up with the printed ones around it.
Each glyph comes from the first font found on the machine that has it (printers/fonts.py): a
Latin font for ASCII, a CJK font for Han, so a CJK font without Latin (Droid Sans Fallback)
never turns the digits of a phone or tracking number into boxes.
"""

from __future__ import annotations

from functools import lru_cache

from PIL import Image, ImageChops, ImageDraw, ImageFont

from printers.chinese import char_width, normalize
from printers.doc import CELL_DOTS, Text
from printers.fonts import FONT_ENV, FontFace, font_chain, pillow_font

__all__ = ["FONT_ENV", "LINE_DOTS", "blank", "glyph_cell", "raster_command", "stack", "text_image",
           "threshold"]

LINE_DOTS = 24
FONT_SIZE = LINE_DOTS - 2
MIN_SIZE = 12
BASELINE = 19
"""Dots from the top of a line to the baseline of its text (the descent fits below it)."""


def glyph_cell(char: str, cell: int, face: FontFace | None, bold: bool) -> Image.Image:
    """``char`` drawn with ``face`` alone in a white cell ``cell`` dots wide: centred, on the
    line's baseline, made smaller where the glyph is wider than its cell (a 22-dot Latin ``m``
    is wider than the printer's 12-dot cell and would smudge its neighbours)."""
    return _glyph_cell(char, cell, face, bold).copy()


@lru_cache(maxsize=8192)
def _glyph_cell(char: str, cell: int, face: FontFace | None, bold: bool) -> Image.Image:
    room = cell - (1 if bold else 0)
    font = pillow_font(face, FONT_SIZE)
    anchor = "ls" if isinstance(font, ImageFont.FreeTypeFont) else None
    y = BASELINE if anchor else 1
    left, _top, right, _bottom = font.getbbox(char, anchor=anchor) if anchor else font.getbbox(char)
    if right - left > room:
        font = pillow_font(face, max(MIN_SIZE, FONT_SIZE * room // (right - left)))
        left, _top, right, _bottom = font.getbbox(char, anchor=anchor) if anchor else font.getbbox(char)
    img = Image.new("L", (cell, LINE_DOTS), 255)
    ImageDraw.Draw(img).text(((room - (right - left)) / 2 - left, y), char, font=font, fill=0,
                             anchor=anchor)
    if bold:  # the glyph again one dot to the right
        shifted = Image.new("L", img.size, 255)
        shifted.paste(img.crop((0, 0, cell - 1, LINE_DOTS)), (1, 0))
        img = ImageChops.darker(img, shifted)
    return img


def text_image(line: Text, dots: int) -> Image.Image:
    """One text line as a white ``dots``-wide image, aligned and sized as the printer would."""
    text = normalize(line.text)
    cells = sum(char_width(c) for c in text)
    base = Image.new("L", (max(cells, 1) * CELL_DOTS, LINE_DOTS), 255)
    chain = font_chain()
    x = 0
    for char in text:
        w = char_width(char) * CELL_DOTS
        if w and not char.isspace():
            base.paste(_glyph_cell(char, w, chain.face_for(char), line.bold), (x, 0))
        x += w
    scaled = base.resize(
        (base.width * line.width, base.height * line.height), Image.Resampling.NEAREST
    )
    scaled = scaled.crop((0, 0, min(scaled.width, dots), scaled.height))
    out = Image.new("L", (dots, scaled.height), 255)
    offset = {"left": 0, "center": (dots - scaled.width) // 2, "right": dots - scaled.width}
    out.paste(scaled, (offset[line.align], 0))
    return out


def stack(images: list[Image.Image], dots: int) -> Image.Image:
    """Images one under another on a white ``dots``-wide strip, each centred."""
    height = sum(img.height for img in images)
    out = Image.new("L", (dots, max(height, 1)), 255)
    y = 0
    for img in images:
        out.paste(img, ((dots - img.width) // 2, y))
        y += img.height
    return out


def blank(dots: int, height: int) -> Image.Image:
    """White space ``height`` dots high."""
    return Image.new("L", (dots, height), 255)


INK_BELOW = 160
"""Grey levels below this print as a dot."""
FRAGMENT = 960
"""python-escpos sends an image higher than this as several (its ``fragment_height``)."""
_INK = [255 if v < INK_BELOW else 0 for v in range(256)]
_PAPER = [0 if v < INK_BELOW else 255 for v in range(256)]


def threshold(img: Image.Image) -> Image.Image:
    """Pure black and white, as the print head will see it."""
    return img.point(_PAPER, mode="1")


def raster_command(img: Image.Image, dots: int) -> bytes:
    """``GS v 0`` for greyscale ``img`` centred on a ``dots``-wide line, byte for byte what
    python-escpos's ``image(threshold(img), impl="bitImageRaster", center=True)`` sends (for an
    image no wider than ``dots`` nor higher than :data:`FRAGMENT`), without its conversions
    through RGBA, inversion and dithering: one table look-up and PIL's own bit packing."""
    ink = img.point(_INK, mode="1")
    if ink.width != dots:
        line = Image.new("1", (dots, ink.height), 0)
        line.paste(ink, (int((dots - ink.width) / 2), 0))
        ink = line
    width_bytes = (dots + 7) >> 3
    return (b"\x1dv0\x00" + width_bytes.to_bytes(2, "little") + ink.height.to_bytes(2, "little")
            + ink.tobytes("raw", "1"))
