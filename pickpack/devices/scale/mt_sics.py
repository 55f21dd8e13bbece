"""MT-SICS (Mettler Toledo Standard Interface Command Set): request/response over CRLF lines.

The reader sends ``SI`` (weight now, stable or not); the answer is ``S S      1.234 kg``
(stable; some balances write the sign, ``S S     +0.250 kg``), ``S D …`` (dynamic),
``S +``/``S -`` (over/underload) or ``S I`` (busy). ``Z`` zeroes, ``T`` tares, ``TAC`` clears
the tare; ``ES``/``ET``/``EL`` are syntax/transmission/logic errors.
"""

from __future__ import annotations

import re

from pickpack.devices.scale.protocol import ScaleParser, register
from pickpack.devices.scale.reading import Reading, raw_text, to_kg

WEIGHT = re.compile(r"^S\s+([SD])\s+([+-]?)\s*(\d+(?:\.\d*)?)\s*([A-Za-z]+)$")
ERRORS = {"ES": "syntax error", "ET": "transmission error", "EL": "logic error"}
ACKS = re.compile(r"^(S\s+I|Z\s+[AID+-]|T\s+[SI+-]|TA\s|TAC\s+[AI]|TAC|I\d|@)")


@register
class MtSicsParser(ScaleParser):
    name = "mt-sics"
    poll = b"SI\r\n"
    zero_command = b"Z\r\n"
    tare_command = b"T\r\n"
    clear_tare_command = b"TAC\r\n"

    def next_frame(self) -> bytes | None:
        return self.take_line()

    def parse(self, frame: bytes) -> Reading | None:
        text = frame.decode("ascii", errors="replace").strip()
        raw = raw_text(frame)
        if m := WEIGHT.match(text):
            value = float(m.group(3)) * (-1 if m.group(2) == "-" else 1)
            unit = m.group(4)
            try:
                kg = to_kg(value, unit)
            except ValueError:
                self.garbage += 1
                return None
            return Reading(weight_kg=kg, stable=m.group(1) == "S", unit=unit, raw=raw)
        if text in ("S +", "S -"):
            over = text == "S +"
            return Reading(0.0, False, self.unit, raw, overload=over, underload=not over)
        if text in ERRORS:
            self.errors.append(f"{text}: {ERRORS[text]}")
            return None
        if ACKS.match(text):
            return None  # busy, zero/tare acknowledgements: no weight in them
        self.garbage += 1
        return None
