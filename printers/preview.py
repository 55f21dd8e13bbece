"""What a slip looks like, without paper: a PNG at printer resolution and a plain-text rendering.

The text preview is what prints, line for line and cell for cell: every line goes to the
printer as text, the characters its font lacks drawn into their own cells
(:mod:`printers.glyphs`). The image draws every character from the machine's fonts, as the
printer's user-defined characters and raster lines are drawn.
"""

from __future__ import annotations

from PIL import Image

from printers.chinese import text_width
from printers.codes import barcode_image, qr_image
from printers.doc import Barcode, Block, Cut, Document, Feed, QRCode, Rule, Text
from printers.raster import LINE_DOTS, blank, stack, text_image

HRI_GAP = 4
CUT_DOTS = 24


def block_image(block: Block, dots: int) -> Image.Image:
    """One block as an image ``dots`` wide (for a Cut: a dashed line where the cutter cuts)."""
    if isinstance(block, Text):
        return text_image(block, dots)
    if isinstance(block, Barcode):
        bars = barcode_image(block.data, block.module, block.height, dots)
        if not block.hri:
            return stack([bars, blank(dots, HRI_GAP)], dots)
        hri = text_image(Text(block.data, align="center"), dots)
        return stack([bars, blank(dots, HRI_GAP), hri], dots)
    if isinstance(block, QRCode):
        return stack([qr_image(block.data, block.module, dots), blank(dots, HRI_GAP)], dots)
    if isinstance(block, Rule):
        img = blank(dots, LINE_DOTS)
        if block.char.strip():
            img.paste(0, (0, LINE_DOTS // 2 - 1, dots, LINE_DOTS // 2 + 1))
        return img
    if isinstance(block, Feed):
        return blank(dots, LINE_DOTS * block.lines)
    img = blank(dots, CUT_DOTS)
    for x in range(0, dots, 16):
        img.paste(128, (x, CUT_DOTS // 2, x + 8, CUT_DOTS // 2 + 1))
    return img


def render_image(doc: Document, dots: int | None = None) -> Image.Image:
    """The whole document as one greyscale image, ``dots`` wide (the paper's width by default)."""
    width = dots or doc.paper.dots
    return stack([block_image(block, width) for block in doc.blocks], width)


def render_text(doc: Document) -> str:
    """The document as text, one paper line per line, wide characters counted as two cells."""
    cols = doc.paper.columns
    out: list[str] = []
    for block in doc.blocks:
        if isinstance(block, Text):
            used = text_width(block.text) * block.width
            pad = {"left": 0, "center": (cols - used) // 2, "right": cols - used}[block.align]
            out.append(" " * max(pad, 0) + block.text)
        elif isinstance(block, Barcode):
            out.append(_centre(f"||| {block.data} |||", cols))
        elif isinstance(block, QRCode):
            out.append(_centre(f"[QR {block.data}]", cols))
        elif isinstance(block, Rule):
            out.append(block.char * (cols // max(text_width(block.char), 1)))
        elif isinstance(block, Feed):
            out.extend([""] * block.lines)
        elif isinstance(block, Cut):
            out.append("- " * (cols // 2 - 3) + "cut ✂")
    return "\n".join(line.rstrip() for line in out) + "\n"


def _centre(text: str, cols: int) -> str:
    return " " * max((cols - text_width(text)) // 2, 0) + text
