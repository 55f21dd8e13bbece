"""Toledo 8217 (the POS/retail scale protocol, usually 9600 7E1): request/response.

The reader sends ``W``; a stable scale answers ``STX 01.234 CR`` (weight with its decimal
point), otherwise ``STX ? status CR`` (or ``STX status CR``) whose status byte says why:
bit 0 in motion, bit 1 over capacity, bit 2 under zero, bit 3 outside zero capture range,
bit 4 center of zero (bit 5 always set, so the byte is printable). A one-byte answer is
always a status, even a digit one (``STX 1 CR`` is 0x31: in motion): a weight has more. Some
scales mark a net weight with ``N`` after the digits (``STX 01.250N CR``, as Odoo's driver
reads it) or write a ``+``; the unit is fixed in the scale's setup (config ``unit``).
"""

from __future__ import annotations

import re

from pickpack.devices.scale.protocol import ScaleParser, register
from pickpack.devices.scale.reading import Reading, raw_text, to_kg

STX, CR = b"\x02", b"\r"
WEIGHT = re.compile(rb"^\x02\s*([+-]?)\s*(\d*\.?\d+|\d+\.)\s*(N?)\s*\r$")
STATUS = re.compile(rb"^\x02\??([\x20-\x3f])\r$")
MOTION, OVER, UNDER = 0x01, 0x02, 0x04


@register
class Toledo8217Parser(ScaleParser):
    name = "toledo-8217"
    poll = b"W"
    zero_command = b"Z"
    last_kg = 0.0

    def next_frame(self) -> bytes | None:
        return self.take_between(STX, CR, max_len=16)

    def parse(self, frame: bytes) -> Reading | None:
        raw = raw_text(frame)
        if m := STATUS.match(frame):
            status = m.group(1)[0]
            bad = status & (OVER | UNDER)
            return Reading(
                0.0 if bad else self.last_kg,  # in motion: the last weight, not stable
                False,
                self.unit,
                raw,
                overload=bool(status & OVER),
                underload=bool(status & UNDER),
            )
        if m := WEIGHT.match(frame):
            value = float(m.group(2)) * (-1 if m.group(1) == b"-" else 1)
            self.last_kg = to_kg(value, self.unit)
            return Reading(self.last_kg, True, self.unit, raw, net=bool(m.group(3)))
        self.garbage += 1
        return None
