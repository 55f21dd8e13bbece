"""Any other brand: a regular expression from config, applied to each line the scale sends.

Named groups: ``weight`` (required), ``unit``, ``sign`` and ``stable`` (optional). ``stable``
should match only when the scale says stable, e.g. ``(?P<stable>ST)?``; without a ``stable``
group, ``stable_window`` equal readings in a row count as stable. ``reversed`` reads the weight
digits backwards; ``decimals`` ≥ 0 places an implied decimal point.
"""

from __future__ import annotations

import re

from pickpack.devices.errors import DeviceError
from pickpack.devices.scale.protocol import ScaleParser, register
from pickpack.devices.scale.reading import Reading, raw_text, to_kg

UNSTABLE_WORDS = frozenset({"US", "D", "M", "U", "0", "N", "NO"})


@register
class PatternParser(ScaleParser):
    name = "pattern"

    def __init__(
        self,
        stable_window: int = 5,
        unit: str = "kg",
        *,
        pattern: str = "",
        reversed_digits: bool = False,
        decimals: int = -1,
    ) -> None:
        super().__init__(stable_window, unit)
        try:
            self.regex = re.compile(pattern)
        except re.error as exc:
            raise DeviceError(f"[scale] pattern is not a valid regex: {exc}") from exc
        if not pattern or "weight" not in self.regex.groupindex:
            raise DeviceError("[scale] pattern needs a named group (?P<weight>…)")
        self.reversed_digits = reversed_digits
        self.decimals = decimals

    def next_frame(self) -> bytes | None:
        return self.take_line()

    def parse(self, frame: bytes) -> Reading | None:
        text = frame.decode("utf-8", errors="replace")
        m = self.regex.search(text)
        if m is None:
            self.garbage += 1
            return None
        digits = m["weight"].strip()
        if self.reversed_digits:
            digits = digits[::-1].strip()
        sign = -1 if digits.startswith("-") else 1
        digits = digits.lstrip("+-").strip()
        groups = self.regex.groupindex
        if "sign" in groups and (m["sign"] or "").strip() == "-":
            sign = -1
        try:
            value = float(digits) if self.decimals < 0 else int(digits) / 10**self.decimals
            unit = (m["unit"] if "unit" in groups else None) or self.unit
            kg = to_kg(sign * value, unit)
        except (ValueError, OverflowError):  # not digits, too many of them, an unknown unit
            self.garbage += 1
            return None
        if "stable" in groups:
            word = (m["stable"] or "").strip().upper()
            stable = bool(word) and word not in UNSTABLE_WORDS
            self.window.push(kg)
        else:
            stable = self.window.push(kg)
        return Reading(kg, stable, unit.strip(), raw_text(frame))
