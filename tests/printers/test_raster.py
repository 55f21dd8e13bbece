"""Drawn paths: characters outside the printer font (user-defined characters inside the line, or
the line as raster), printers without a Chinese font, and profiles without native barcodes or
QR (images that decode to the same data)."""

from __future__ import annotations

import qrcode

from printers import ExpressSlip, PrinterSetup, render
from printers.doc import Barcode, Document, QRCode, Text, paper
from printers.escpos_render import render_escpos

from .escpos_decode import DRAWN, decode, decode_code128_row, ink_rows

NO_GLYPHS = PrinterSetup(drawn_glyphs=False)


def test_four_byte_character_is_drawn_inside_its_text_line() -> None:
    doc = Document(paper(80), "t", [Text("收件人：陈𠮷"), Text("北京")])
    out = decode(render_escpos(doc))
    assert out.lines() == ["收件人：陈" + DRAWN * 2, "北京"]
    assert out.images() == []
    assert len(out.drawn()) == 2 and all(cell.getbbox() for cell in out.drawn())


def test_without_user_defined_characters_the_line_is_raster_and_the_rest_text() -> None:
    doc = Document(paper(80), "t", [Text("收件人：陈𠮷"), Text("北京")])
    out = decode(render_escpos(doc, NO_GLYPHS))
    assert out.lines() == ["北京"]
    (img,) = out.images()
    assert img.width == 576 and img.height == 24
    assert any(any(row) for row in ink_rows(img))  # something was drawn


def test_raster_line_keeps_its_size(express: ExpressSlip) -> None:
    doc = Document(paper(58), "t", [Text("𠮷", width=2, height=2)])
    (img,) = decode(render_escpos(doc, PrinterSetup(paper_mm=58, drawn_glyphs=False))).images()
    assert img.width == 384 and img.height == 48


def test_gb2312_printer_draws_gbk_characters() -> None:
    doc = Document(paper(80), "t", [Text("王堃")])
    out = decode(render_escpos(doc, PrinterSetup(font_charset="gb2312")))
    assert out.lines() == ["王" + DRAWN * 2] and out.images() == []
    assert decode(render_escpos(doc)).lines() == ["王堃"]


def test_printer_without_chinese_font_gets_ascii_as_text_and_codes_as_images(
    express: ExpressSlip,
) -> None:
    out = decode(render(express, PrinterSetup(paper_mm=58, chinese=False)))
    assert ("chinese", True) not in out.events
    lines = out.lines()
    assert DRAWN * 10 + "*  138****1234" in lines  # 收件人：张*
    assert any(line.startswith(DRAWN * 6 + "3 ") and line.endswith("1.25kg") for line in lines)
    assert out.barcodes() == [] and out.qr_payloads() == []
    assert len(out.images()) == 2 and all(img.width == 384 for img in out.images())
    assert out.cuts() == 1


def test_barcode_image_scans_as_the_data() -> None:
    doc = Document(paper(58), "t", [Barcode("SF1234567890123", height=40, module=2, hri=False)])
    out = decode(render_escpos(doc, PrinterSetup(paper_mm=58, profile="POS-5890")))
    assert out.barcodes() == []
    (img,) = out.images()
    rows = ink_rows(img)
    middle = next(row for row in rows if any(row))
    assert decode_code128_row(middle) == "SF1234567890123"


def test_qr_image_matches_the_symbol() -> None:
    doc = Document(paper(58), "t", [QRCode("731234567890", module=4)])
    out = decode(render_escpos(doc, PrinterSetup(paper_mm=58, profile="POS-5890")))
    assert out.qr_payloads() == []
    (img,) = out.images()
    rows = ink_rows(img)
    ys = [y for y, row in enumerate(rows) if any(row)]
    xs = [x for row in rows for x, ink in enumerate(row) if ink]
    top, left = ys[0], min(xs)
    code = qrcode.QRCode(border=0, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data("731234567890")
    code.make(fit=True)
    matrix = code.get_matrix()
    sampled = [
        [rows[top + 4 * y + 2][left + 4 * x + 2] for x in range(len(matrix))]
        for y in range(len(matrix))
    ]
    assert sampled == matrix
