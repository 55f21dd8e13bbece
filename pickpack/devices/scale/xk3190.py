"""Yaohua (耀华) XK3190-A9 / XK3188 continuous frames (tF = 0), streamed at 1200-9600 baud.

Frame of 12 bytes: ``STX(02) sign(+/-) dddddd p XX ETX(03)``: six digits without a point,
``p`` the number of decimals, ``XX`` the XOR of sign, digits and p written as two ASCII hex
characters (high nibble, low nibble; ``0-9``, ``A-F``). A bad check is dropped and counted.
No stability flag: stable after ``stable_window`` equal readings. The unit is set on the scale.
"""

from __future__ import annotations

from functools import reduce

from pickpack.devices.scale.protocol import ScaleParser, register
from pickpack.devices.scale.reading import Reading, raw_text, to_kg

STX, ETX = b"\x02", b"\x03"
FRAME_LEN = 12


def xor_check(body: bytes) -> bytes:
    """The two ASCII hex characters of the XOR of ``body`` (sign + 6 digits + p)."""
    return b"%02X" % reduce(lambda a, b: a ^ b, body, 0)


@register
class Xk3190Parser(ScaleParser):
    name = "xk3190-a9"

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
        if check.upper() != xor_check(body):
            self.bad_check += 1
            return None
        value = int(digits) / 10 ** int(places) * (-1 if sign == b"-" else 1)
        kg = to_kg(value, self.unit)
        return Reading(kg, self.window.push(kg), self.unit, raw_text(frame))
