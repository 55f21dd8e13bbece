"""Tell a keyboard-wedge scan from a person typing, by the rhythm of the keys.

A scanner types a whole code in a few milliseconds per character and ends it with Enter; a
person types slower and irregularly. The station app feeds every printable key and Enter here.

    burst = WedgeBurst(max_gap_ms=cfg.burst_max_gap_ms, min_length=cfg.burst_min_length)
    code = burst.feed(event.character, time.monotonic())   # on each key
    if code is not None: handle_scan(code)               # Enter ended a scanner burst
    # burst.typed holds what a person typed (when Enter came but it was no scan)
"""

from __future__ import annotations

ENTER = ("\r", "\n")


class WedgeBurst:
    """Collects characters; on Enter decides whether the burst was a scan.

    A burst is a scan when every gap between consecutive characters (and before the Enter) is at
    most ``max_gap_ms`` and it has at least ``min_length`` characters. A long pause starts a new
    burst, so a person's slow keys before a scan do not spoil the scan.
    """

    def __init__(self, max_gap_ms: float = 35.0, min_length: int = 4) -> None:
        self.max_gap_s = max_gap_ms / 1000.0
        self.min_length = min_length
        self._chars: list[str] = []
        self._burst_start = 0
        self._last: float | None = None
        self.typed = ""
        """Everything since the last Enter when that Enter was judged typing, not a scan."""

    def feed(self, char: str, at: float) -> str | None:
        """Feed one character (or Enter) typed at monotonic time ``at`` (seconds).

        Returns the scanned code when Enter ends a scanner burst, else None.
        """
        gap_ok = self._last is None or at - self._last <= self.max_gap_s
        self._last = at
        if char in ENTER:
            burst = "".join(self._chars[self._burst_start :])
            text = "".join(self._chars)
            self.reset()
            if gap_ok and len(burst) >= self.min_length:
                return burst
            self.typed = text
            return None
        if not gap_ok:
            self._burst_start = len(self._chars)  # a pause: a scan may start here
        self._chars.append(char)
        return None

    def reset(self) -> None:
        """Forget the current input (e.g. when the screen changes)."""
        self._chars.clear()
        self._burst_start = 0
        self._last = None

    @property
    def pending(self) -> str:
        """Characters typed since the last Enter."""
        return "".join(self._chars)
