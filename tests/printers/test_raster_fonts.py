"""Raster text never loses a glyph: each character from the first font found that has it.

The fonts come from Debian packages that ``make test`` installs (fonts-droid-fallback,
fonts-wqy-microhei, fonts-dejavu-core): a missing one fails here, naming the command.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from printers.chinese import char_width
from printers.doc import CELL_DOTS, Text
from printers.fonts import FONT_ENV, font_chain, read_face
from printers.raster import LINE_DOTS, glyph_cell, text_image

DROID = "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"
WQY = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
INSTALL = "make test (as root) or: apt-get install -y fonts-droid-fallback fonts-wqy-microhei"
LINE = "SF1234567890 收件人 张三 13812341234 Order 3921876543 abcXYZ"


def font_file(path: str) -> str:
    assert Path(path).is_file(), f"{path} is not installed: {INSTALL}"
    return path


def cell_image(char: str, cells: int, face_path: str | None) -> bytes:
    """``char`` drawn alone in its cell as text_image draws it; with only ``face_path``."""
    face = read_face(face_path) if face_path else None
    return glyph_cell(char, cells * CELL_DOTS, face, False).tobytes()


def cells_of(text: str, img: Image.Image) -> list[tuple[str, bytes]]:
    out, x = [], 0
    for char in text:
        w = char_width(char) * CELL_DOTS
        out.append((char, img.crop((x, 0, x + w, LINE_DOTS)).tobytes()))
        x += w
    return out


def test_a_cjk_font_without_latin_still_prints_digits_and_letters(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    droid = read_face(font_file(DROID))
    assert droid is not None and droid.cjk and not droid.has("1") and not droid.has("S")
    monkeypatch.setenv(FONT_ENV, DROID)
    chain = font_chain()
    assert chain.cjk[0].path == DROID
    box_half = cell_image("A", 1, DROID)  # Droid has no "A": its .notdef box
    assert cell_image("1", 1, DROID) == box_half != cell_image(" ", 1, DROID)
    img = text_image(Text(LINE), 1024)
    blank_half = Image.new("L", (CELL_DOTS, LINE_DOTS), 255).tobytes()
    for char, cell in cells_of(LINE, img):
        if char == " ":
            continue
        assert cell != blank_half, f"{char!r} drew nothing"
        if char.isascii():
            assert cell != box_half, f"{char!r} came out as the missing-glyph box"
            face = chain.face_for(char)
            assert face is not None and face.path != DROID
        else:
            assert chain.face_for(char).path == DROID  # type: ignore[union-attr]
            assert cell == cell_image(char, 2, DROID), f"{char!r} is not Droid's glyph"
    assert chain.missing(LINE) == ""


def test_every_glyph_drawn_with_the_machines_fonts(monkeypatch: pytest.MonkeyPatch) -> None:
    """No font named: fontconfig's own list, with Droid and WenQuanYi both installed."""
    font_file(WQY)
    font_file(DROID)
    monkeypatch.delenv(FONT_ENV, raising=False)
    chain = font_chain()
    assert chain.cjk and chain.latin, chain
    assert chain.cjk[0].path == WQY  # a CJK font with Latin too goes before Droid
    img = text_image(Text(LINE), 1024)
    for char, cell in cells_of(LINE, img):
        if char != " ":
            face = chain.face_for(char)
            assert face is not None, char
            assert cell == cell_image(char, char_width(char), face.path)
            assert cell != cell_image("A", char_width(char), DROID), f"{char!r} is a box"


def test_a_character_no_font_has_is_named() -> None:
    chain = font_chain()
    assert chain.missing("中A\U0010fffd") == "\U0010fffd"
    assert read_face("/nonexistent.ttf") is None
