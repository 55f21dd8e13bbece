"""Document → ESC/POS bytes, through python-escpos rendering into a ``Dummy`` printer.

Text never goes through python-escpos's magic encoder (it guesses code pages): Chinese
printers are put in Chinese mode (``FS &``) and every string is sent as GB18030 bytes; printers
without a Chinese font get ASCII. Whatever the printer's own font lacks (Han on a printer
without a Chinese font, a 4-byte GB18030 character, GBK beyond a GB2312 font) is drawn and sent
as user-defined characters inside the same text line (:mod:`printers.glyphs` says why), so the
digits of a phone, order or tracking number always print in the printer's font. Barcodes and QR
codes are native when the profile has them and the printer has a Chinese font, images otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from escpos.capabilities import get_profile_class
from escpos.constants import QR_ECLEVEL_M
from escpos.printer import Dummy
from PIL import Image

from printers.chinese import (
    ENTER_CHINESE,
    FontCharset,
    in_printer_font,
    needs_raster,
    normalize,
    text_width,
)
from printers.codes import code128_modules, code128_payload, fit_module, qr_image
from printers.doc import Barcode, Cut, Document, Feed, QRCode, Rule, Text
from printers.glyphs import GlyphTable
from printers.preview import block_image
from printers.raster import FRAGMENT, raster_command, threshold

INIT = b"\x1b@"
IMAGE_IMPLS = ("bitImageRaster", "graphics", "bitImageColumn")


@dataclass(frozen=True)
class PrinterSetup:
    """What the renderer needs to know about a printer (from ``[printers]`` in the config)."""

    paper_mm: int = 80
    profile: str = "default"
    """python-escpos profile name: says whether barcodes, QR and which image commands work."""
    chinese: bool = True
    """The printer has a Chinese font; False prints the whole slip as raster."""
    font_charset: FontCharset = "gbk"
    drawn_glyphs: bool = True
    """Characters the printer's font lacks print as its user-defined characters (``ESC &``)
    within their text line; False draws each such line whole as a raster image instead (for
    a printer that has no user-defined characters)."""


@lru_cache(maxsize=32)
def _profile_data(profile: str, dots: int) -> dict[str, Any]:
    """The profile's data with the media width set to what we print on (centres images)."""
    data = dict(get_profile_class(profile).profile_data)
    known = data.get("media", {}).get("width", {}).get("pixels")
    width = min(dots, known) if isinstance(known, int) else dots
    data["media"] = {**data.get("media", {}), "width": {"mm": "Unknown", "pixels": width}}
    data["media"]["dpi"] = 203
    return data


@lru_cache(maxsize=8)
def _font_functions(
    chinese: bool, charset: FontCharset
) -> tuple[Callable[[str], bool], Callable[[str], bytes]]:
    """What the printer's own font prints, and its bytes for a run of such characters: the same
    two functions for every job on that font (:class:`GlyphTable` caches lines by them)."""

    @lru_cache(maxsize=8192)
    def printable(char: str) -> bool:
        """True when the printer's own font prints ``char``."""
        if chinese:
            return in_printer_font(char, charset)
        return " " <= char <= "~"

    encoding = "gb18030" if chinese else "ascii"

    def encode(text: str) -> bytes:
        """Bytes of normalised ``text`` the printer's font prints."""
        return text.encode(encoding)

    return printable, encode


class _Renderer:
    """One render: the Dummy printer plus the text style last sent (to send only changes)."""

    def __init__(self, doc: Document, setup: PrinterSetup) -> None:
        self.doc = doc
        self.setup = setup
        self.printer = Dummy(profile=setup.profile)
        self.printer.profile.profile_data = _profile_data(setup.profile, doc.paper.dots)
        self.dots: int = self.printer.profile.profile_data["media"]["width"]["pixels"]
        features = self.printer.profile.profile_data.get("features", {})
        self.impl = next((i for i in IMAGE_IMPLS if features.get(i)), "bitImageRaster")
        self.native_barcode = bool(features.get("barcodeB"))
        self.native_qr = bool(features.get("qrCode"))
        self.style: tuple[int, int, bool, str] = (1, 1, False, "left")
        self.glyphs = GlyphTable()
        self.printable, self.encode = _font_functions(setup.chinese, setup.font_charset)

    def raw(self, data: bytes) -> None:
        self.printer._raw(data)

    def set_style(self, width: int, height: int, bold: bool, align: str) -> None:
        old_w, old_h, old_bold, old_align = self.style
        if (width, height) != (old_w, old_h):
            self.printer.set(custom_size=True, width=width, height=height)
        if bold != old_bold:
            self.printer.set(bold=bold)
        if align != old_align:
            self.printer.set(align=align)
        self.style = (width, height, bold, align)

    def image(self, img: Image.Image) -> None:
        self.set_style(1, 1, False, "left")
        if self.impl == "bitImageRaster" and img.width <= self.dots and img.height <= FRAGMENT:
            self.raw(raster_command(img, self.dots))
            return
        self.printer.image(threshold(img), impl=self.impl, center=True)

    def resident(self, text: str) -> bytes | None:
        """Normalised ``text`` in the printer's own font; None when it lacks a character."""
        if text.isascii() and text.isprintable():
            return text.encode("ascii")
        if not self.setup.chinese:
            return None
        if self.setup.font_charset == "gbk" and text.isprintable():
            # As needs_raster: 1 byte per ASCII character, 2 per other one, unless 4 are needed.
            data = text.encode("gb18030")
            return data if len(data) == 2 * len(text) - len(text.encode("ascii", "ignore")) else None
        return None if needs_raster(text, self.setup.font_charset) else text.encode("gb18030")

    def code_image(self, block: Barcode | QRCode) -> None:
        """A barcode or QR code drawn as an image: the same bytes for the same code on the same
        paper and fonts, so they are made once (reprints, a wave's repeated codes)."""
        self.set_style(1, 1, False, "left")
        if self.impl == "bitImageRaster":
            data = _code_raster(block, self.dots, self.glyphs.fonts)
            if data is not None:
                self.raw(data)
                return
        self.image(_code_picture(block, self.dots))

    def text(self, line: Text) -> None:
        text = normalize(line.text)
        data = self.resident(text)
        if data is None and self.setup.drawn_glyphs:
            data = self.glyphs.line(text, self.printable, self.encode)
        if data is None:
            self.image(block_image(line, self.dots))
            return
        self.set_style(line.width, line.height, line.bold, line.align)
        self.raw(data + b"\n")

    def barcode(self, block: Barcode) -> None:
        module = fit_module(code128_modules(block.data), block.module, self.dots)
        if not self.native_barcode or module < 2 or not self.setup.chinese:
            # No native CODE128, or too long for 2-dot bars: an image fits 1-dot bars. A
            # printer without a Chinese font has always had its codes as images.
            self.code_image(block)
            return
        self.set_style(1, 1, False, "center")
        self.printer._hw_barcode(  # the public barcode() prints to stdout on every call
            code128_payload(block.data),
            "CODE128",
            height=block.height,
            width=module,
            pos="BELOW" if block.hri else "OFF",
            font="A",
            align_ct=False,
            function_type="B",
        )
        self.raw(b"\n")

    def qr(self, block: QRCode) -> None:
        if not self.native_qr or not self.setup.chinese:
            self.code_image(block)
            return
        self.set_style(1, 1, False, "center")
        self.printer.qr(block.data, ec=QR_ECLEVEL_M, size=min(block.module, 16), native=True)
        self.raw(b"\n")

    def render(self) -> bytes:
        self.raw(INIT)
        if self.setup.chinese:
            self.raw(ENTER_CHINESE)
        for block in self.doc.blocks:
            if isinstance(block, Text):
                self.text(block)
            elif isinstance(block, Barcode):
                self.barcode(block)
            elif isinstance(block, QRCode):
                self.qr(block)
            elif isinstance(block, Rule):
                count = self.doc.paper.columns // max(text_width(block.char), 1)
                self.text(Text(block.char * count))
            elif isinstance(block, Feed):
                self.printer.print_and_feed(block.lines)
            elif isinstance(block, Cut):
                self.printer.cut()
        return self.printer.output


def _code_picture(block: Barcode | QRCode, dots: int) -> Image.Image:
    """The image a code prints as: a barcode with its human-readable line, a bare QR code."""
    if isinstance(block, QRCode):
        return qr_image(block.data, block.module, dots)
    return block_image(block, dots)


@lru_cache(maxsize=256)
def _code_raster(block: Barcode | QRCode, dots: int, _fonts: tuple[str, str]) -> bytes | None:
    """``GS v 0`` of :func:`_code_picture`, None where python-escpos must send it (too wide,
    or in fragments). Cached per font set (``_fonts``: the HRI line's text is drawn)."""
    img = _code_picture(block, dots)
    if img.width > dots or img.height > FRAGMENT:
        return None
    return raster_command(img, dots)


def render_escpos(doc: Document, setup: PrinterSetup | None = None) -> bytes:
    """ESC/POS bytes for ``doc`` on the printer described by ``setup``."""
    return _Renderer(doc, setup or PrinterSetup(paper_mm=doc.paper.mm)).render()
