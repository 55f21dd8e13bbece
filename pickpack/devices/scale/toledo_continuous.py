"""Mettler Toledo continuous output (IND/Panther/Lynx terminals and many compatibles).

Frame: ``STX SWA SWB SWC wwwwww tttttt CR [checksum]`` — 6 weight and 6 tare digits without a
decimal point. Status word A bits 0-2 place the decimal point (0: ×100, 1: ×10, 2: none,
3..7: 1..5 decimals), bits 3-4 the increment size. Status word B: bit 0 net, bit 1 negative,
bit 2 out of range (over/under capacity), bit 3 in motion, bit 4 kg (else lb), bit 6 power-up
(not zeroed yet). Status word C bits 0-2 can override the unit (1: g, 2: t, 3: oz). The
optional checksum is the 2's complement of the 7-bit sum of all bytes from STX to CR; it is
detected from the stream (``carries_checksum``); the first frame is read once that is known.
"""

from __future__ import annotations

from pickpack.devices.scale.protocol import ScaleParser, register
from pickpack.devices.scale.reading import Reading, raw_text, to_kg

STX, CR = 0x02, 0x0D
FRAME_LEN = 17  # STX + 3 status + 6 weight + 6 tare + CR
NET, NEGATIVE, OUT_OF_RANGE, MOTION, KG, POWER_UP = 0x01, 0x02, 0x04, 0x08, 0x10, 0x40
SWC_UNITS = {1: "g", 2: "t", 3: "oz"}


def checksum(frame: bytes) -> int:
    """The byte that makes the 7-bit sum of STX..CR plus itself zero."""
    return -sum(frame) & 0x7F


def carries_checksum(after: bytes) -> bool | None:
    """From the (up to) two bytes after a frame's CR: does the stream carry checksums?

    A byte other than STX is a checksum. A checksum can itself be 0x02, so STX is only taken
    as the next frame when the byte after it is not STX again (status words are never 0x02).
    None: not enough bytes yet.
    """
    if not after:
        return None
    if after[0] != STX:
        return True
    if len(after) < 2:
        return None
    return after[1] == STX


@register
class ToledoContinuousParser(ScaleParser):
    name = "toledo-continuous"

    def __init__(self, stable_window: int = 5, unit: str = "kg") -> None:
        super().__init__(stable_window, unit)
        self.has_checksum: bool | None = None  # None: not seen yet

    def next_frame(self) -> bytes | None:
        while True:
            begin = self.buffer.find(bytes([STX]))
            if begin < 0:
                if self.buffer:
                    self.garbage += 1
                self.buffer.clear()
                return None
            if begin:
                self.garbage += 1
                del self.buffer[:begin]
            if len(self.buffer) < FRAME_LEN:
                return None
            if self.buffer[FRAME_LEN - 1] != CR:
                self.garbage += 1
                del self.buffer[:1]
                continue
            if self.has_checksum is None:
                # the first frame waits until what follows it tells whether frames carry a check
                self.has_checksum = carries_checksum(bytes(self.buffer[FRAME_LEN : FRAME_LEN + 2]))
                if self.has_checksum is None:
                    return None
            need = FRAME_LEN + (1 if self.has_checksum else 0)
            if len(self.buffer) < need:
                return None
            frame = bytes(self.buffer[:need])
            del self.buffer[:need]
            return frame

    def parse(self, frame: bytes) -> Reading | None:
        body = frame[:FRAME_LEN]
        raw = raw_text(frame)
        if len(frame) > FRAME_LEN and frame[FRAME_LEN] != checksum(body):
            self.bad_check += 1
            return None
        swa, swb, swc = body[1], body[2], body[3]
        digits = body[4:10]
        if not digits.strip(b" ").isdigit():
            self.garbage += 1
            return None
        value = float(digits.strip(b" ").decode())
        point = swa & 0x07
        value = value * (100 if point == 0 else 10) if point < 2 else value / 10 ** (point - 2)
        if swb & NEGATIVE:
            value = -value
        unit = SWC_UNITS.get(swc & 0x07) or ("kg" if swb & KG else "lb")
        out = bool(swb & OUT_OF_RANGE)
        return Reading(
            weight_kg=0.0 if out else to_kg(value, unit),
            stable=not (swb & (MOTION | OUT_OF_RANGE | POWER_UP)),
            unit=unit,
            raw=raw,
            net=bool(swb & NET),
            overload=out and not swb & NEGATIVE,
            underload=out and bool(swb & NEGATIVE),
        )
