"""Chinese text for ESC/POS printers: GB18030 bytes, done on purpose.

python-escpos's magic encoder picks single-byte code pages by guessing; a Chinese thermal
printer wants something else: ``FS &`` to enter Chinese (double-byte) mode, then every string
as GB18030 bytes sent raw. This module owns that encoding, the substitutions that keep common
characters inside the printer's font (``¥`` → ``￥``), and the test for characters the font
cannot hold (4-byte GB18030 sequences, or beyond GB2312 on printers with the small font), which
the renderer prints as a raster line instead.

It also owns column widths: on paper, an ASCII character takes one half-width cell of font A
(12 dots), a wide character two (24 dots).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Literal

ENTER_CHINESE = b"\x1c\x26"
"""FS & — select Chinese (double-byte) character mode."""
LEAVE_CHINESE = b"\x1c\x2e"
"""FS . — cancel Chinese character mode."""

FontCharset = Literal["gbk", "gb2312"]
"""What the printer's built-in Chinese font holds: most hold GBK (2-byte GB18030); old or
cheap ones only GB2312 (6,763 hanzi)."""

# Characters that GB18030 encodes as 4 bytes (so no printer font has them) but that have a
# look-alike in the 2-byte range. Anything else outside the font goes to raster.
SUBSTITUTES = str.maketrans(
    {
        "¥": "￥",  # U+00A5 is 4 bytes in GB18030; the full-width yen sign is A3A4
        "\u00a0": " ",  # no-break space
        "\u2009": " ",
        "\u200b": "",  # zero-width space: nothing to print
        "\ufeff": "",
        "\t": " ",
    }
)


_NEEDS_SUBSTITUTE = re.compile("[" + "".join(map(chr, SUBSTITUTES)) + "]")
_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
_CONTROLS = re.compile("[\x00-\x09\x0e-\x1f\x7f-\x84\x86-\x9f]")
"""Control characters other than line breaks: from shop data they would be printer commands."""
_ANY_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def normalize(text: str) -> str:
    """Apply the substitutions every slip string goes through before it is measured.

    Every kind of line break becomes ``\\n`` and every other control character a space:
    whatever a shop's data holds (ESC, GS, CR…), it never reaches the printer as a command.
    """
    # str.translate is slow; most strings have nothing to substitute.
    if _NEEDS_SUBSTITUTE.search(text):
        text = text.translate(SUBSTITUTES)
    if _ANY_CONTROL.search(text):
        text = _CONTROLS.sub(" ", _LINE_BREAKS.sub("\n", text))
    return text


def one_line(text: str) -> str:
    """``text`` normalized for a single printed line: line breaks become spaces."""
    return normalize(text).replace("\n", " ")


def encode(text: str) -> bytes:
    """GB18030 bytes for ``text`` (after :func:`normalize`), for sending with ``_raw``.

    Every string goes through here, including ones without an ideograph (``：``, ``￥``,
    full-width letters): in Chinese mode the printer reads two bytes per non-ASCII cell.
    """
    return normalize(text).encode("gb18030")


@lru_cache(maxsize=4096)
def in_printer_font(char: str, charset: FontCharset = "gbk") -> bool:
    """True when ``char`` prints from the printer's own Chinese font (1 or 2 GB18030 bytes)."""
    if char in "\r\n":
        return True
    if ord(char) < 0x20 or ord(char) == 0x7F:
        return False
    encoded = char.encode("gb18030")
    if len(encoded) > 2:
        return False
    if charset == "gb2312" and len(encoded) == 2:
        # The bytes we send must be GB2312 codes. Asking Python's gb2312 codec to encode the
        # character is not the same: it maps A1A4 and A1AA to other code points than GB18030
        # (· is A1A4 in both fonts; ― is A1AA to the gb2312 codec but A844 in GB18030).
        try:
            encoded.decode("gb2312")
        except UnicodeDecodeError:
            return False
    return True


def needs_raster(text: str, charset: FontCharset = "gbk") -> bool:
    """True when some character of ``text`` is outside the printer's font."""
    text = normalize(text)
    if charset == "gbk" and text.isprintable():
        # Fast path: ASCII is 1 byte, every other character at least 2, so the lengths match
        # exactly when no character needs a 4-byte sequence.
        non_ascii = len(text) - len(text.encode("ascii", "ignore"))
        return len(text.encode("gb18030")) != len(text) + non_ascii
    return not all(in_printer_font(c, charset) for c in text)


@lru_cache(maxsize=8192)
def char_width(char: str) -> int:
    """Cells ``char`` takes on paper: 2 for wide ones, 1 for half-width, 0 for combining marks.

    In Chinese mode a printer draws every 2-byte GB18030 code from its double-byte font, as
    wide as a hanzi: ``·``, ``×``, ``é``, ``—`` and also ``ǹ`` (narrow to Unicode) count 2.
    Characters GB18030 has only as 4 bytes (printed as raster) count by East Asian width:
    Wide, Fullwidth and Ambiguous 2.
    """
    if unicodedata.combining(char):
        return 0
    if ord(char) < 0x80:
        return 1 if char.isprintable() else 0
    try:
        if len(char.encode("gb18030")) == 2:
            return 2
    except UnicodeEncodeError:  # a lone surrogate half: nothing GB18030 can send
        pass
    return 2 if unicodedata.east_asian_width(char) in ("W", "F", "A") else 1


def text_width(text: str) -> int:
    """Cells a string takes on paper (see :func:`char_width`)."""
    if text.isascii():
        return len(text)
    return sum(map(char_width, text))
