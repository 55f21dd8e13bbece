"""The keyboard wedge in the app: every key passes here before any widget sees it.

A scanner burst ending in Enter becomes a ``Scan`` wherever the focus is; the burst's characters
are taken back out of an ``Input`` that had the focus, so a scan never lands in a text field.
Keys a person types go on to the focused widget as usual.

A key-entry field owns its keys: an ``Input`` with the CSS class ``keyentry`` (:data:`KEY_ENTRY`:
a PIN, a weight, a reason) takes every key typed into it, however fast, and the wedge lets them
all through untouched (a weight typed quickly is a weight, not a scan).
"""

from __future__ import annotations

from textual import events
from textual.widget import Widget
from textual.widgets import Input

from pickpack.config import ScannerConfig
from pickpack.devices.scanners import make_scan
from pickpack.devices.scanners.wedge import WedgeBurst
from pickpack.scan import Scan

ENTER_KEYS = ("enter", "ctrl+m", "ctrl+j")
GS = "\x1d"
"""Group separator: a scanner sends FNC1 of a GS1-128 code as GS, typed as Ctrl+]."""
GS_KEY = "ctrl+right_square_bracket"
"""What a terminal's GS becomes in Textual (its xterm parser names ASCII 29 so)."""
KEY_ENTRY = "keyentry"
"""The CSS class of an ``Input`` that owns its keys (the shared key-entry convention)."""


def owns_keys(widget: Widget | None) -> bool:
    """True for a focused key-entry field: its keys are never part of a scan."""
    return isinstance(widget, Input) and widget.has_class(KEY_ENTRY)


class KeyboardWedge:
    """Feeds key events to ``WedgeBurst``; ``on_key`` returns a ``Scan`` when one is complete."""

    def __init__(self, cfg: ScannerConfig) -> None:
        self.burst = WedgeBurst(cfg.burst_max_gap_ms, cfg.burst_min_length)

    def on_key(self, event: events.Key, focused: Widget | None) -> Scan | None:
        """Look at one key; a Scan when Enter ended a scanner burst (the key is then consumed)."""
        at = event.time
        if owns_keys(focused):
            self.burst.reset()  # nothing typed here, nor just before, becomes a scan
            return None
        if event.key in ENTER_KEYS:
            code = self.burst.feed("\r", at)
            if code is None:
                return None
            if isinstance(focused, Input):
                # the burst's keys may still wait in the Input's queue: take them back after
                focused.call_later(take_back, focused, code)
            return make_scan(code, "keyboard")
        if event.character and event.is_printable:
            self.burst.feed(event.character, at)
        elif event.character == GS or event.key == GS_KEY:
            self.burst.feed(GS, at)  # FNC1 inside a GS1-128 code: part of the scan
        elif event.key not in ("shift",):
            self.burst.reset()  # a function or navigation key: whatever came before was typing
        return None

    def reset(self) -> None:
        self.burst.reset()


def take_back(field: Input, code: str) -> None:
    """Remove the scanned ``code`` that the wedge typed into ``field`` just before the cursor."""
    code = code.replace(GS, "")  # GS is no printable key: it never reached the field
    value, cursor = field.value, field.cursor_position
    start = value.rfind(code, 0, cursor) if cursor >= len(code) else -1
    if start < 0:
        start = value.rfind(code)
    if start < 0:
        return
    field.value = value[:start] + value[start + len(code):]
    field.cursor_position = start
