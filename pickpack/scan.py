"""The one value every scanner source yields: a raw scanned code, where it came from and when."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

AIM_PREFIX_LEN = 3  # "]" + symbology letter + modifier digit, e.g. "]C1" (GS1-128), "]E0" (EAN-13)


@dataclass(frozen=True, slots=True)
class Scan:
    """A code read by a scanner (or typed), before it is classified.

    ``symbology`` holds the AIM identifier (such as ``]C1``) when the scanner sent one; it has
    already been stripped from ``code``. The GS1 group separator (ASCII 29) stays in ``code``.
    """

    code: str
    source: str = "keyboard"
    at: float = field(default_factory=time.time)
    symbology: str | None = None


def strip_aim(raw: str) -> tuple[str, str | None]:
    """Split an AIM symbology identifier (``]C1``, ``]E0``, ``]Q3``…) off the front of a code."""
    if len(raw) > AIM_PREFIX_LEN and raw[0] == "]" and raw[1].isalpha() and raw[2].isalnum():
        return raw[AIM_PREFIX_LEN:], raw[:AIM_PREFIX_LEN]
    return raw, None
