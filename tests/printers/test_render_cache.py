"""The font-less printer's fast path (issue 15 budgets): codes and lines made once and reused,
raster images packed without python-escpos's conversions, the QR mask chosen outside
``qrcode``'s loops. Every byte stays what the library path sends."""

from __future__ import annotations

import pytest
import qrcode
from escpos.printer import Dummy
from PIL import Image

from printers import ExpressSlip, PackingSlip, PrinterSetup, render
from printers.codes import _qr_matrix
from printers.doc import Barcode, QRCode, Text
from printers.escpos_render import _code_raster, _profile_data
from printers.preview import block_image
from printers.raster import raster_command, threshold

from .escpos_decode import decode

SETUPS = {"latin": PrinterSetup(chinese=False), "gb2312": PrinterSetup(font_charset="gb2312"),
          "chinese": PrinterSetup(), "latin-58": PrinterSetup(paper_mm=58, chinese=False)}


@pytest.mark.parametrize("name", sorted(SETUPS))
def test_the_same_slips_twice_are_the_same_bytes(name: str, express: ExpressSlip,
                                                 packing: PackingSlip) -> None:
    setup = SETUPS[name]
    first = [render(express, setup), render(packing, setup)]
    hits = _code_raster.cache_info().hits
    second = [render(express, setup), render(packing, setup)]
    assert second == first
    out = decode(second[0])
    assert out.cuts() == 1
    if not setup.chinese:  # the tracking barcode and QR, and the order barcode, came from cache
        assert _code_raster.cache_info().hits - hits == 3
        assert len(out.images()) == 2


def library_raster(img: Image.Image, dots: int) -> bytes:
    """What python-escpos sends for the image, centred on a ``dots``-wide profile."""
    printer = Dummy()
    printer.profile.profile_data = _profile_data("default", dots)
    printer.image(threshold(img), impl="bitImageRaster", center=True)
    return printer.output


@pytest.mark.parametrize("dots", [384, 576])
def test_raster_command_is_python_escposs_image(dots: int) -> None:
    grey = Image.linear_gradient("L").resize((203, 37))  # odd width, every grey level
    images = [
        block_image(Barcode("SF1234567890123", height=40, module=2), dots),
        block_image(QRCode("731234567890", module=4), dots),
        block_image(Text("收件人 138****1234", height=2, align="right"), dots),
        grey, grey.crop((0, 0, 9, 5)),
    ]
    for img in images:
        assert raster_command(img, dots) == library_raster(img, dots)


def own_matrix(data: str) -> tuple[tuple[bool, ...], ...]:
    code = qrcode.QRCode(border=2, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(data)
    code.make(fit=True)
    return tuple(tuple(row) for row in code.get_matrix())


@pytest.mark.parametrize("length", [1, 7, 12, 20, 33, 60, 110, 170, 260])
def test_qr_symbol_is_qrcodes_own(length: int) -> None:
    """Same version, data and mask as ``qrcode`` itself, up to version 7+ (version bits)."""
    alphabet = "0123456789ABCDEFGHJK/:-.中xyz"
    for k in range(6):
        data = "".join(alphabet[(i * 7 + k * 13 + length) % len(alphabet)] for i in range(length))
        assert _qr_matrix.__wrapped__(data) == own_matrix(data), data
