"""What the printer's own font can print goes out as text; only the rest is drawn.

Through the real python-escpos encoder to a printer listening on 127.0.0.1: the digits of the
phone, order and tracking numbers arrive as text bytes on every printer; Han arrive as GB18030
text on a printer with a Chinese font, and as user-defined characters drawn from the machine's
fonts (never the missing-glyph box) where the printer's font lacks them. The printed lines are
the ``.txt`` preview's lines, cell for cell.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from PIL import Image

from printers import ExpressSlip, Manifest, PrinterSetup, PrintJob, print_slips
from printers.chinese import char_width, in_printer_font
from printers.doc import CELL_DOTS, Block, Document, Feed, Rule, Text, paper
from printers.escpos_render import render_escpos
from printers.fonts import FONT_ENV, font_chain, read_face
from printers.preview import render_text
from printers.raster import glyph_cell

from .conftest import FakePrinter
from .escpos_decode import DRAWN, Decoded, decode
from .test_raster_fonts import DROID, font_file

LATIN = PrinterSetup(paper_mm=80, chinese=False)
GB2312 = PrinterSetup(paper_mm=80, font_charset="gb2312")
TRACKING_NOS = ("731234567890", "SF1402345678901", "JDVA01234567890")
HAN = "".join(bytes((0xB0 + i // 94, 0xA1 + i % 94)).decode("gb2312") for i in range(60))
"""Sixty different hanzi (啊阿埃…)."""


@pytest.fixture
def droid(monkeypatch: pytest.MonkeyPatch) -> str:
    """Droid Sans Fallback first: a CJK font with no Latin glyph at all."""
    monkeypatch.setenv(FONT_ENV, font_file(DROID))
    return DROID


def manifest() -> Manifest:
    return Manifest("中通快递", "M20261202-01", TRACKING_NOS, datetime(2026, 12, 2, 6, 0))


def printable(char: str, setup: PrinterSetup) -> bool:
    return in_printer_font(char, setup.font_charset) if setup.chinese else " " <= char <= "~"


def preview_lines(doc: Document) -> list[str]:
    """The ``.txt`` preview's lines of the text blocks (and rules), alignment padding dropped."""
    lines = render_text(doc).splitlines()
    out: list[str] = []
    for block in doc.blocks:
        line, lines = lines[0], lines[1 if not isinstance(block, Feed) else block.lines :]
        if isinstance(block, Text | Rule):
            out.append(line.strip())
    return out


def ink_cells(char: str) -> list[bytes]:
    """``char`` as the machine's fonts draw it, cut into 12-dot cells, ink as 1 bits."""
    img = glyph_cell(char, char_width(char) * CELL_DOTS, font_chain().face_for(char), False)
    ink = img.point(lambda v: 255 if v < 160 else 0).convert("1")
    return [ink.crop((x, 0, x + CELL_DOTS, 24)).tobytes() for x in range(0, ink.width, CELL_DOTS)]


def box_cells(face_path: str) -> list[bytes]:
    """The missing-glyph box of ``face_path`` in a wide cell (Droid has no "A")."""
    img = glyph_cell("A", 2 * CELL_DOTS, read_face(face_path), False)
    ink = img.point(lambda v: 255 if v < 160 else 0).convert("1")
    return [ink.crop((x, 0, x + CELL_DOTS, 24)).tobytes() for x in (0, CELL_DOTS)]


def docs_of(jobs: list[PrintJob]) -> list[Document]:
    docs = [job.doc for job in jobs]
    assert all(doc is not None for doc in docs)
    return [doc for doc in docs if doc is not None]


def assert_printed_as_previewed(docs: list[Document], out: Decoded, setup: PrinterSetup) -> str:
    """Every printed line is its preview line with the characters the font lacks drawn in their
    cells, each drawn cell the machine fonts' glyph; returns the characters that were drawn."""
    printed = [line.strip() for line in out.lines() if line.strip()]
    previewed = [line for doc in docs for line in preview_lines(doc) if line]
    assert printed == [
        "".join(c if printable(c, setup) else DRAWN * char_width(c) for c in line)
        for line in previewed
    ]
    cells = [cell.tobytes() for cell in out.drawn()]
    drawn = [c for line in previewed for c in line if not printable(c, setup)]
    expected = [cell for c in drawn for cell in ink_cells(c)]
    assert cells == expected, "a drawn cell is not its character's glyph"
    return "".join(drawn)


def test_printer_without_chinese_font_gets_digits_as_text_and_han_drawn_without_boxes(
    droid: str, express: ExpressSlip, tcp_printer: FakePrinter
) -> None:
    jobs = print_slips([express, manifest()], tcp_printer.url, LATIN)
    data = tcp_printer.received()
    out = decode(data)
    lines = out.lines()
    assert ("chinese", True) not in out.events
    assert DRAWN * 8 + "3921876543210987654" in lines  # 订单号：
    assert DRAWN * 10 + "*  138****1234" in lines  # 收件人：张*
    for number in TRACKING_NOS:
        assert number.encode("ascii") in data
        assert any(f". {number}" in line for line in lines), number
    assert all(c.isascii() for line in lines for c in line.replace(DRAWN, ""))
    drawn = assert_printed_as_previewed(docs_of(jobs), out, LATIN)
    assert "中通快递" in drawn and not any(c.isascii() for c in drawn)
    box = box_cells(droid)
    assert all(cell.tobytes() not in box for cell in out.drawn()), "a Han came out as a box"
    assert len(out.images()) == 3  # the two barcodes and the QR code, images as before


def test_chinese_printer_gets_han_as_gb18030_text(tcp_printer: FakePrinter) -> None:
    slip = ExpressSlip("ZTO", "中通快递", "731234567890", "京A-01", "张三", "13812341234",
                       "北京市朝阳区𠮷祥里3号楼", "示例旗舰店", "3921876543210987654", 1)
    jobs = print_slips([slip], tcp_printer.url, PrinterSetup(paper_mm=80))
    data = tcp_printer.received()
    out = decode(data)
    assert ("chinese", True) in out.events
    for text in ("北京市朝阳区", "祥里3号楼", "订单号：3921876543210987654", "收件人：张*"):
        assert text.encode("gb18030") in data, text
    assert "𠮷".encode("gb18030") not in data  # 4 bytes: no printer font has it
    assert out.images() == [] and out.barcodes() == ["731234567890"]
    assert assert_printed_as_previewed(docs_of(jobs), out, PrinterSetup()) == "𠮷"


def test_gb2312_printer_draws_only_what_its_font_lacks_and_never_a_box(
    droid: str, tcp_printer: FakePrinter
) -> None:
    slip = ExpressSlip("ZTO", "中通快递", "731234567890", None, "王堃", "13812341234",
                       "浙江省杭州市堃元大厦3号", "示例旗舰店", "3921876543210987654", 1)
    jobs = print_slips([slip], tcp_printer.url, GB2312)
    data = tcp_printer.received()
    out = decode(data)
    assert "浙江省杭州市".encode("gb18030") in data and "大厦3号".encode("gb18030") in data
    assert assert_printed_as_previewed(docs_of(jobs), out, GB2312) == "堃"
    assert font_chain().face_for("堃").path == droid  # type: ignore[union-attr]
    assert all(cell.tobytes() not in box_cells(droid) for cell in out.drawn())


def test_a_column_stays_put_when_its_line_holds_drawn_characters() -> None:
    doc = Document(paper(58), "t")
    doc.pair("保温杯 CUP-500", "x2")
    doc.pair("CUP-500-BL", "x2")
    out = decode(render_escpos(doc, PrinterSetup(paper_mm=58, chinese=False)))
    first, second = out.lines()
    assert len(first) == len(second) == 32 and first.endswith(" x2") and second.endswith(" x2")


def test_codes_are_loaded_again_when_they_run_out() -> None:
    """Ten lines of five new Han each (100 cells) overflow the 95 codes: later lines reload them,
    and every line still prints its own glyphs."""
    chunks = [HAN[i : i + 5] for i in range(0, 50, 5)]
    doc = Document(paper(80), "t", [Text(f"{i} {chunk}") for i, chunk in enumerate(chunks)])
    out = decode(render_escpos(doc, LATIN))
    firsts = [e[1] for e in out.events if e[0] == "load"]
    assert firsts[0] == 0x20 and 0x20 in firsts[1:]  # started again
    assert_printed_as_previewed([doc], out, LATIN)


def test_a_line_with_more_drawn_cells_than_codes_is_one_raster_line() -> None:
    blocks: list[Block] = [Text(HAN[:48]), Text("ORDER 123")]
    out = decode(render_escpos(Document(paper(80), "t", blocks), LATIN))
    assert out.lines() == ["ORDER 123"] and out.drawn() == []
    (img,) = out.images()
    assert isinstance(img, Image.Image) and img.height == 24

