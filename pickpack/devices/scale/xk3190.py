"""Yaohua (耀华) XK3190-A9 / XK3188 continuous frames (tF = 0), streamed at 1200-9600 baud.

Frame of 12 bytes: ``STX(02) sign(+/-) dddddd p XX ETX(03)``: six digits without a point,
``p`` the number of decimals, ``XX`` the XOR of sign, digits and p as two characters (high
nibble, low nibble). Indicators write them one of two ways: ASCII hex (``0-9``, ``A-F``) or
``0x30 + nibble`` (``0-9``, ``:;<=>?``). The two agree on 0-9 and differ on 10-15, so each
pair of characters stands for one value only: config ``check = "auto"`` takes either,
``"hex"``/``"nibble"`` pins one. A bad check is dropped and counted. No stability flag: stable
after ``stable_window`` equal readings. The unit is set on the scale.
"""

from __future__ import annotations

from functools import reduce
from typing import Literal

from pickpack.devices.scale.protocol import ScaleParser, register
from pickpack.devices.scale.reading import Reading, raw_text, to_kg

STX, ETX = b"\x02", b"\x03"
FRAME_LEN = 12
CheckEncoding = Literal["auto", "hex", "nibble"]


def xor_of(body: bytes) -> int:
    """The XOR of ``body`` (sign + 6 digits + p)."""
    return reduce(lambda a, b: a ^ b, body, 0)


def xor_check(body: bytes) -> bytes:
    """The XOR of ``body`` as two ASCII hex characters (``1C``)."""
    return b"%02X" % xor_of(body)


def nibble_check(body: bytes) -> bytes:
    """The XOR of ``body`` as two ``0x30 + nibble`` characters (``1<``)."""
    value = xor_of(body)
    return bytes([0x30 + (value >> 4), 0x30 + (value & 0x0F)])


def check_matches(body: bytes, check: bytes, encoding: CheckEncoding) -> bool:
    """Whether ``check`` is the XOR of ``body`` in ``encoding`` (auto: hex or nibble)."""
    hex_ok = check.upper() == xor_check(body)
    if encoding == "hex":
        return hex_ok
    nibble_ok = check == nibble_check(body)
    return nibble_ok if encoding == "nibble" else hex_ok or nibble_ok


@register
class Xk3190Parser(ScaleParser):
    name = "xk3190-a9"

    def __init__(
        self, stable_window: int = 5, unit: str = "kg", check: CheckEncoding = "auto"
    ) -> None:
        super().__init__(stable_window, unit)
        self.check = check

    def next_frame(self) -> bytes | None:
        return self.take_between(STX, ETX, max_len=FRAME_LEN)

    def parse(self, frame: bytes) -> Reading | None:
        if len(frame) != FRAME_LEN:
            self.garbage += 1
            return None
        body, check = frame[1:9], frame[9:11]
        sign, digits, places = body[:1], body[1:7], body[7:8]
        if sign not in (b"+", b"-") or not digits.isdigit() or not places.isdigit():
            self.garbage += 1
            return None
        if not check_matches(body, check, self.check):
            self.bad_check += 1
            return None
        value = int(digits) / 10 ** int(places) * (-1 if sign == b"-" else 1)
        kg = to_kg(value, self.unit)
        return Reading(kg, self.window.push(kg), self.unit, raw_text(frame))
