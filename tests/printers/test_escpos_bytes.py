"""Exact bytes of small documents, and whole slips decoded back."""

from __future__ import annotations

from printers import ExpressSlip, PackingSlip, PrinterSetup, render
from printers.doc import Barcode, Cut, Document, QRCode, Text, paper
from printers.escpos_render import render_escpos

from .escpos_decode import decode

ESC_INIT, CHINESE = b"\x1b@", b"\x1c&"


def doc(*blocks: Text | Barcode | QRCode | Cut) -> Document:
    return Document(paper(80), "t", list(blocks))


def test_text_bytes_are_gb18030_in_chinese_mode() -> None:
    out = render_escpos(doc(Text("AB"), Text("中：", bold=True), Text("￥1", width=2, height=2)))
    assert out == (
        ESC_INIT + CHINESE
        + b"AB\n"
        + b"\x1bE\x01" + b"\xd6\xd0\xa3\xba\n"
        + b"\x1d!\x11" + b"\x1bE\x00" + b"\xa3\xa41\n"
    )


def test_style_is_sent_only_when_it_changes() -> None:
    out = render_escpos(doc(Text("a", align="center"), Text("b", align="center")))
    assert out == ESC_INIT + CHINESE + b"\x1ba\x01a\nb\n"


def test_code128_uses_code_set_c_for_digit_runs() -> None:
    out = render_escpos(doc(Barcode("SF1234", height=60, module=2)))
    assert out == (
        ESC_INIT + CHINESE
        + b"\x1ba\x01"  # centred
        + b"\x1dh\x3c\x1dw\x02\x1df\x00\x1dH\x02"  # height 60, module 2, HRI font A below
        + b"\x1dkI\x08{BSF{C\x0c\x22"  # GS k 73 n: "SF" in set B, "12" "34" as two bytes
        + b"\n"
    )
    assert decode(out).barcodes() == ["SF1234"]


def test_odd_digit_runs_and_braces() -> None:
    out = render_escpos(doc(Barcode("73123"), Barcode("{X}12")))
    assert decode(out).barcodes() == ["73123", "{X}12"]
    assert b"{B7{C\x1f\x17" in out


def test_native_qr_stores_the_payload() -> None:
    out = render_escpos(doc(QRCode("731234567890", module=6)))
    assert b"\x1d(k\x03\x001C\x06" in out  # module size 6
    assert b"\x1d(k\x03\x001E\x31" in out  # error correction M
    assert b"\x1d(k\x0f\x001P0731234567890" in out  # store data
    assert b"\x1d(k\x03\x001Q0" in out  # print
    assert decode(out).qr_payloads() == [b"731234567890"]


def test_cut_feeds_then_cuts() -> None:
    assert render_escpos(doc(Cut())).endswith(b"\x1bd\x06\x1dV\x00")


def test_express_slip_decodes_back(express: ExpressSlip) -> None:
    out = decode(render(express, PrinterSetup(paper_mm=80)))
    assert out.kinds()[:2] == ["init", "chinese"]
    text = out.text()
    assert "中通快递 ZTO" in text
    assert "浙A-012 34" in text
    assert "收件人：张*  138****1234" in text
    assert "张三" not in text and "13812341234" not in text
    assert "寄件人：示例旗舰店 仓库" in text
    assert "订单号：3921876543210987654" in text
    assert "重量：1.25kg" in text
    assert out.barcodes() == ["731234567890"]
    assert out.qr_payloads() == [b"731234567890"]
    assert out.cuts() == 1
    assert ("size", 3, 3) in out.events  # the sort code is large


def test_packing_slip_prices_can_be_left_off(packing: PackingSlip) -> None:
    with_prices = decode(render(packing)).text()
    assert "￥59.00" in with_prices and "合计 ￥207.90" in with_prices
    hidden = PackingSlip(packing.order_no, packing.lines, packing.buyer_remark,
                         packing.gift_note, show_prices=False)
    out = decode(render(hidden))
    assert "￥" not in out.text()
    assert "买家留言：请尽快发货，谢谢！" in out.text()
    assert "生日快乐！" in out.text()
    assert "白色 XL" in out.text() and "库位 A-01-02" in out.text()
    assert out.barcodes() == [packing.order_no]
