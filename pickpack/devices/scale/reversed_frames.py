"""The reversed ``=`` frames of many Chinese indicators (耀华 D2+/A12 in tF mode, 大华 XK3199…).

``=`` then the displayed weight written least significant character first: ``=432.100`` is
``001.234`` = 1.234, ``=00.0000`` is 0; a minus sign comes last (``=432.10-`` is -1.234).
No terminator (the next ``=`` ends a frame) and no stability flag: stable after
``stable_window`` equal readings in a row.
"""

from __future__ import annotations

import re

from pickpack.devices.scale.protocol import ScaleParser, register
from pickpack.devices.scale.reading import Reading, raw_text, to_kg

NUMBER = re.compile(r"^([+-]?)\s*(\d*\.?\d+)$")


@register
class ReversedParser(ScaleParser):
    name = "reversed"
    width = 7  # characters after "="

    def next_frame(self) -> bytes | None:
        while True:
            begin = self.buffer.find(b"=")
            if begin < 0:
                if self.buffer:
                    self.garbage += 1
                self.buffer.clear()
                return None
            if begin:
                self.garbage += 1
                del self.buffer[:begin]
            nxt = self.buffer.find(b"=", 1)
            end = nxt if 0 < nxt <= self.width + 1 else self.width + 1
            if nxt < 0 and len(self.buffer) < end:
                return None
            frame = bytes(self.buffer[:end])
            del self.buffer[:end]
            return frame

    def parse(self, frame: bytes) -> Reading | None:
        text = frame[1:].decode("ascii", errors="replace").strip("\r\n ")[::-1]
        m = NUMBER.match(text)
        if m is None:
            self.garbage += 1
            return None
        value = float(m.group(2)) * (-1 if m.group(1) == "-" else 1)
        kg = to_kg(value, self.unit)
        return Reading(kg, self.window.push(kg), self.unit, raw_text(frame))
