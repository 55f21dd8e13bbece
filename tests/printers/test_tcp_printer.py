"""A whole express slip over tcp:// to a printer listening on 127.0.0.1."""

from __future__ import annotations

import pytest

from printers import ExpressSlip, PackingSlip, PrinterOffline, PrinterSetup, print_slip, print_slips

from .conftest import FakePrinter
from .escpos_decode import decode


def test_express_slip_reaches_the_printer(express: ExpressSlip, tcp_printer: FakePrinter) -> None:
    print_slip(express, tcp_printer.url, PrinterSetup(paper_mm=80))
    out = decode(tcp_printer.received())
    assert ("chinese", True) in out.events
    assert "收件人：张*  138****1234" in out.text()
    assert "浙江省杭州市余杭区五常街" in out.text()
    assert out.barcodes() == ["731234567890"]
    assert out.qr_payloads() == [b"731234567890"]
    assert out.kinds()[-1] == "cut"


def test_slips_share_one_connection(
    express: ExpressSlip, packing: PackingSlip, tcp_printer: FakePrinter
) -> None:
    print_slips([express, packing], tcp_printer.url, PrinterSetup(paper_mm=58))
    out = decode(tcp_printer.received())
    assert len(tcp_printer.jobs) == 1
    assert out.cuts() == 2
    assert out.barcodes() == ["731234567890", packing.order_no]


def test_refused_connection_raises_printer_offline(express: ExpressSlip, refused_url: str) -> None:
    with pytest.raises(PrinterOffline) as caught:
        print_slip(express, refused_url, timeout=2)
    assert caught.value.url == refused_url
    assert "refused" in caught.value.reason.lower()
