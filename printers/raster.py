"""Text as pixels: for characters outside the printer's font, printers without a Chinese font,
and previews.

Lines are drawn on the printer's own grid (12 dots per half-width cell, 24 dots per line,
multiplied by the character size), so a raster line lines up with the printed ones around it.
Glyphs come from a CJK font found on the machine; without one (a bare CI box) Pillow's default
font is used, which draws Latin text properly and Chinese as empty boxes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from printers.chinese import char_width, normalize
from printers.doc import CELL_DOTS, Text

LINE_DOTS = 24
FONT_ENV = "PICKPACK_CJK_FONT"
"""Environment variable naming a CJK font file to use before searching the machine."""

KNOWN_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simsun.ttc",
    "/System/Library/Fonts/PingFang.ttc",
)

FontType = ImageFont.FreeTypeFont | ImageFont.ImageFont


@lru_cache(maxsize=1)
def find_cjk_font() -> str | None:
    """Path of a font with Chinese glyphs, or None: $PICKPACK_CJK_FONT, fontconfig, known paths."""
    explicit = os.environ.get(FONT_ENV)
    if explicit and Path(explicit).is_file():
        return explicit
    fc_list = shutil.which("fc-list")
    if fc_list:
        result = subprocess.run(
            [fc_list, ":lang=zh", "file"], capture_output=True, text=True, timeout=10, check=False
        )
        files = sorted(line.split(":")[0].strip() for line in result.stdout.splitlines())
        for path in files:
            if path and Path(path).is_file():
                return path
    for path in KNOWN_FONTS:
        if Path(path).is_file():
            return path
    return None


@lru_cache(maxsize=8)
def load_font(size: int = LINE_DOTS - 2) -> FontType:
    """The CJK font at ``size`` pixels, or Pillow's default font when none is installed."""
    path = find_cjk_font()
    if path:
        return ImageFont.truetype(path, size)
    return ImageFont.load_default(size=size)


def text_image(line: Text, dots: int) -> Image.Image:
    """One text line as a white ``dots``-wide image, aligned and sized as the printer would."""
    text = normalize(line.text)
    cells = sum(char_width(c) for c in text)
    base = Image.new("L", (max(cells, 1) * CELL_DOTS, LINE_DOTS), 255)
    draw = ImageDraw.Draw(base)
    font = load_font()
    x = 0
    for char in text:
        w = char_width(char) * CELL_DOTS
        if w and not char.isspace():
            left, _top, right, _bottom = draw.textbbox((0, 0), char, font=font)
            cx = x + (w - (right - left)) / 2 - left
            draw.text((cx, 1), char, font=font, fill=0)
            if line.bold:
                draw.text((cx + 1, 1), char, font=font, fill=0)
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


def threshold(img: Image.Image) -> Image.Image:
    """Pure black and white, as the print head will see it."""
    return img.point(lambda v: 0 if v < 160 else 255, mode="1")
