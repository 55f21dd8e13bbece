"""A small document model between slip layouts and printer languages.

A :class:`Document` is a list of already laid-out blocks: text lines that fit the paper
(wrapped here, counting wide characters as two cells), barcodes, QR codes, rules, feeds and
cuts. The ESC/POS renderer and the preview read the same blocks, so what a person sees in a
preview is what the printer gets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from printers.chinese import char_width, normalize, one_line, text_width

Align = Literal["left", "center", "right"]
PaperMM = Literal[58, 80]

NO_LINE_START = set("，。、；：？！）」』》〉】,.;:?!)]}%")
"""Punctuation that must not begin a line (it is pulled back onto the previous one)."""


@dataclass(frozen=True)
class Paper:
    """Thermal paper: width in mm, half-width columns of font A, printable dots (203 dpi)."""

    mm: int
    columns: int
    dots: int


PAPERS: dict[int, Paper] = {58: Paper(58, 32, 384), 80: Paper(80, 48, 576)}
CELL_DOTS = 12
"""Width of one half-width cell of font A in dots; a line is 24 dots high."""


def paper(mm: int) -> Paper:
    """The :class:`Paper` for 58 or 80 mm rolls."""
    try:
        return PAPERS[mm]
    except KeyError:
        raise ValueError(f"paper must be 58 or 80 mm, not {mm}") from None


@dataclass(frozen=True)
class Text:
    """One printed line. ``width``/``height`` multiply the character size (1-8)."""

    text: str
    width: int = 1
    height: int = 1
    bold: bool = False
    align: Align = "left"


@dataclass(frozen=True)
class Barcode:
    """A CODE128 barcode; ``module`` is the narrow bar width in dots, ``hri`` prints the digits."""

    data: str
    height: int = 80
    module: int = 2
    hri: bool = True


@dataclass(frozen=True)
class QRCode:
    """A QR code (model 2, error correction M); ``module`` is the dot size of one cell."""

    data: str
    module: int = 6


@dataclass(frozen=True)
class Rule:
    """A full-width line of ``char``."""

    char: str = "-"


@dataclass(frozen=True)
class Feed:
    """Blank lines."""

    lines: int = 1


@dataclass(frozen=True)
class Cut:
    """Feed past the cutter and cut."""


Block = Text | Barcode | QRCode | Rule | Feed | Cut


@dataclass
class Document:
    """Blocks for one slip on one paper width; ``name`` becomes the preview's file name."""

    paper: Paper
    name: str = "slip"
    blocks: list[Block] = field(default_factory=list)

    def columns(self, width: int = 1) -> int:
        """Half-width cells per line at character width ``width``."""
        return self.paper.columns // width

    def text(
        self,
        text: str,
        *,
        width: int = 1,
        height: int = 1,
        bold: bool = False,
        align: Align = "left",
        indent: int = 0,
    ) -> None:
        """Add ``text`` wrapped to the paper; continuation lines are indented by ``indent``."""
        for line in wrap(text, self.columns(width), indent):
            self.blocks.append(Text(line, width, height, bold, align))

    def pair(self, left: str, right: str, *, bold: bool = False) -> None:
        """Add one line with ``left`` flush left and ``right`` flush right (wraps if too long)."""
        left, right = one_line(left), one_line(right)
        cols = self.columns()
        gap = cols - text_width(left) - text_width(right)
        if gap >= 1:
            self.blocks.append(Text(left + " " * gap + right, bold=bold))
        else:
            self.text(left, bold=bold)
            self.text(right, bold=bold, align="right")

    def add(self, *blocks: Block) -> None:
        """Add blocks as they are."""
        self.blocks.extend(blocks)


def wrap(text: str, columns: int, indent: int = 0) -> list[str]:
    """Split ``text`` into lines of at most ``columns`` cells (wide characters count 2).

    Latin words stay whole when they fit on a line; Chinese breaks between any two characters,
    except before closing punctuation. Explicit newlines are kept. Never returns an empty list.
    """
    if columns < 2:
        raise ValueError("columns must be at least 2")
    lines: list[str] = []
    for paragraph in normalize(text).split("\n"):
        lines.extend(_wrap_paragraph(paragraph.rstrip(), columns, indent))
    return lines or [""]


def _wrap_paragraph(text: str, columns: int, indent: int) -> list[str]:
    if text_width(text) <= columns:
        return [text]
    lines: list[str] = []
    line = ""
    used = 0
    pad = " " * min(indent, columns // 2)
    for char in text:
        w = char_width(char)
        if used + w > columns:
            line, carry = _break(line, char, columns - len(pad))
            lines.append(line.rstrip())
            line = pad + carry.lstrip()
            used = text_width(line)
        line += char
        used += w
    if line.strip():
        lines.append(line.rstrip())
    return lines


def _break(line: str, next_char: str, room: int) -> tuple[str, str]:
    """Where to end ``line`` before ``next_char``: returns (kept, carried to next line).

    ``room`` is the cells the next line has after its indent: a carried word must leave space
    in it for ``next_char``.
    """
    if next_char in NO_LINE_START and len(line) > 1:
        return line[:-1], line[-1]
    if next_char.isascii() and next_char.isalnum():
        # Keep a Latin word (tracking numbers, SKUs) whole if a space gives a break point.
        cut = line.rfind(" ")
        tail = line[cut + 1 :]
        if cut > 0 and tail.isascii() and tail.strip() and len(tail) < room:
            return line[: cut + 1], tail
    return line, ""
