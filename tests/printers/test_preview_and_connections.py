"""preview:// files, file:// and serial:// transports, bad URLs and unreachable printers."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PIL import Image

from printers import (
    ExpressSlip,
    PackingSlip,
    PrinterError,
    PrinterOffline,
    PrinterSetup,
    PrinterURLError,
    connect,
    print_slip,
    print_slips,
)
from printers.fonts import FontChain, font_chain

from .escpos_decode import decode


def test_preview_writes_png_and_text(
    express: ExpressSlip, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    print_slip(express, "preview://slips", PrinterSetup(paper_mm=80))
    png = tmp_path / "slips" / "express-731234567890.png"
    with Image.open(png) as img:
        assert img.width == 576 and img.height > 400
    txt = (tmp_path / "slips" / "express-731234567890.txt").read_text(encoding="utf-8")
    assert "张*" in txt and "张三" not in txt
    assert "138****1234" in txt
    assert "731234567890" in txt
    escpos = (tmp_path / "slips" / "express-731234567890.escpos").read_bytes()
    assert decode(escpos).barcodes() == ["731234567890"]


def test_preview_absolute_dir_and_58mm(packing: PackingSlip, tmp_path: Path) -> None:
    print_slips([packing], f"preview://{tmp_path}/abs", PrinterSetup(paper_mm=58))
    with Image.open(tmp_path / "abs" / f"packing-{packing.order_no}.png") as img:
        assert img.width == 384
    txt = (tmp_path / "abs" / f"packing-{packing.order_no}.txt").read_text(encoding="utf-8")
    assert all(len(line) <= 32 for line in txt.splitlines() if line.isascii())


def test_preview_renders_without_a_cjk_font(
    express: ExpressSlip, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from printers import raster

    monkeypatch.setattr(raster, "font_chain", lambda: FontChain((), ()))  # a bare box: no fonts
    print_slip(express, f"preview://{tmp_path}", PrinterSetup(paper_mm=58, chinese=False))
    assert (tmp_path / "express-731234567890.png").exists()


def test_cjk_font_named_by_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from printers import raster

    font = tmp_path / "font.ttf"
    font.write_bytes(Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf").read_bytes())
    monkeypatch.setenv(raster.FONT_ENV, str(font))
    assert font_chain().cjk[0].path == str(font)
    empty = tmp_path / "empty.ttf"
    empty.write_bytes(b"")  # not a font: passed over, the machine's fonts used
    monkeypatch.setenv(raster.FONT_ENV, str(empty))
    assert font_chain().cjk and all(face.path != str(empty) for face in font_chain().cjk)


def test_file_transport_appends_bytes(express: ExpressSlip, tmp_path: Path) -> None:
    target = tmp_path / "lp0"
    print_slip(express, f"file://{target}")
    assert decode(target.read_bytes()).barcodes() == ["731234567890"]


def test_file_transport_missing_device_is_offline(express: ExpressSlip, tmp_path: Path) -> None:
    with pytest.raises(PrinterOffline):
        print_slip(express, f"file://{tmp_path}/no/such/dir/lp0")


def test_serial_transport_over_a_pseudo_terminal(express: ExpressSlip) -> None:
    master, slave = os.openpty()
    try:
        os.set_blocking(master, False)
        name = os.ttyname(slave)
        received = bytearray()
        with connect(f"serial://{name}?baudrate=19200") as printer:
            from printers import make_job

            job = make_job(express)
            printer.send(job)
        while True:
            try:
                chunk = os.read(master, 65536)
            except BlockingIOError:
                break
            if not chunk:
                break
            received.extend(chunk)
        assert bytes(received) == job.data
    finally:
        os.close(master)
        os.close(slave)


def test_serial_port_that_does_not_exist_is_offline(express: ExpressSlip) -> None:
    with pytest.raises(PrinterOffline):
        print_slip(express, "serial:///dev/ttyNOSUCH0?baudrate=9600")


@pytest.mark.parametrize(
    "url", ["lpt://x", "tcp://", "usb://04b8", "usb://zz:01", "serial://", "preview://"]
)
def test_bad_urls(url: str) -> None:
    with pytest.raises(PrinterURLError):
        connect(url)


def test_usb_printer_absent_is_an_error(express: ExpressSlip) -> None:
    with pytest.raises(PrinterError):  # offline, or pyusb missing: never swallowed
        print_slip(express, "usb://04b8:0e15")


def test_cups_queue_absent_is_an_error(express: ExpressSlip) -> None:
    with pytest.raises(PrinterError):
        print_slip(express, "cups://pickpack-no-such-queue", timeout=5)
