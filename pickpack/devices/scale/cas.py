"""CAS-style lines (CAS CI/DB/ED, many Chinese indicators in "CAS" mode), streamed.

``ST,GS,+  1.234kg``: ST stable / US unstable / OL overload, GS gross / NT net (TR tare),
an optional device-number field, the sign, the weight with its decimal point and the unit.
Shapes from the field read too: the comma after the kind left out (``ST,GS    20.7g``), a
point with no decimals after it (``ST,GS,+000000.kg``) and ``US`` in the kind field
(``ST,US,+   0.05kg``: a weight, not stable).
"""

from __future__ import annotations

import re

from pickpack.devices.scale.protocol import ScaleParser, register
from pickpack.devices.scale.reading import TO_KG, Reading, raw_text, to_kg

LINE = re.compile(
    r"^\s*(?P<state>ST|US|OL)\s*,\s*(?P<kind>GS|NT|TR|US)\s*,?(?:\s*\d{1,2}\s*,)?"
    r"\s*(?P<sign>[+-]?)\s*(?P<weight>\d+\.?\d*|\.\d+)?\s*(?P<unit>[A-Za-z]*)\s*$"
)


@register
class CasParser(ScaleParser):
    name = "cas"

    def next_frame(self) -> bytes | None:
        return self.take_line()

    def parse(self, frame: bytes) -> Reading | None:
        m = LINE.match(frame.decode("ascii", errors="replace"))
        if m is None:
            self.garbage += 1
            return None
        raw = raw_text(frame)
        unit = m["unit"] or self.unit
        if unit.lower() not in TO_KG:
            self.garbage += 1
            return None
        net = m["kind"] == "NT"
        if m["state"] == "OL" or m["weight"] is None:
            under = m["sign"] == "-"
            return Reading(0.0, False, unit, raw, net=net, overload=not under, underload=under)
        try:
            kg = to_kg(float(m["weight"]) * (-1 if m["sign"] == "-" else 1), unit)
        except ValueError:
            self.garbage += 1
            return None
        stable = m["state"] == "ST" and m["kind"] != "US"
        return Reading(kg, stable, unit, raw, net=net)
