"""What a scale says, in one shape for every protocol (and the JSON of `scale read --json`)."""

from __future__ import annotations

import math
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

TO_KG = {"kg": 1.0, "g": 0.001, "lb": 0.45359237, "t": 1000.0, "oz": 0.028349523125}


def to_kg(value: float, unit: str) -> float:
    """``value`` in ``unit`` (g, kg, lb, t, oz; any case) as kilograms, rounded to 0.1 mg.

    Raises ValueError for an unknown unit and for a weight that is not finite (a digit run too
    long for a float): parsers count such a frame as garbage.
    """
    factor = TO_KG.get(unit.strip().lower())
    if factor is None:
        raise ValueError(f"unknown weight unit {unit!r}")
    kg = round(value * factor, 7)
    if not math.isfinite(kg):
        raise ValueError(f"weight {value!r} {unit} is not a scale reading")
    return kg


@dataclass(frozen=True, slots=True)
class Reading:
    """One weight from the scale.

    ``unit`` is the unit the scale sent; ``weight_kg`` is always kilograms (negative below
    zero). ``raw`` is the frame as received (control bytes shown as ``\\x02``). Over- or
    underload readings carry ``weight_kg`` 0 and are never stable.
    """

    weight_kg: float
    stable: bool
    unit: str = "kg"
    raw: str = ""
    net: bool = False
    overload: bool = False
    underload: bool = False
    at: float = field(default_factory=time.time)

    def to_json(self) -> dict[str, Any]:
        """The `scale read --json` object: weight_kg, stable, unit, raw and the flags."""
        return {
            "weight_kg": self.weight_kg,
            "stable": self.stable,
            "unit": self.unit,
            "raw": self.raw,
            "net": self.net,
            "overload": self.overload,
            "underload": self.underload,
        }


def raw_text(frame: bytes) -> str:
    """A frame as printable text: ASCII kept, anything else escaped (``\\x02``)."""
    return "".join(chr(b) if 32 <= b < 127 else f"\\x{b:02x}" for b in frame)


class StableWindow:
    """For scales that send no stability flag: stable after ``size`` equal readings in a row."""

    def __init__(self, size: int = 5) -> None:
        self.size = max(1, size)
        self._last: deque[float] = deque(maxlen=self.size)

    def push(self, weight: float) -> bool:
        """Record a reading; True when the last ``size`` readings are all equal."""
        self._last.append(weight)
        return len(self._last) == self.size and len(set(self._last)) == 1

    def reset(self) -> None:
        self._last.clear()
