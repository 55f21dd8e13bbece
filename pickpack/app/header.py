"""The station header: station, operator, store, scale and printer at a glance."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label

from pickpack.text import screen_text


class StationHeader(Horizontal):
    """One line; each part is a Label whose class shows its state (``-bad`` is red)."""

    DEFAULT_CSS = """
    StationHeader { height: 1; dock: top; background: $primary; color: $text; }
    StationHeader Label { padding: 0 1; width: auto; }
    StationHeader #h-station { text-style: bold; }
    StationHeader .-bad { background: $error; color: $text; text-style: bold; }
    StationHeader #h-operator { width: 1fr; }
    """

    def compose(self) -> ComposeResult:
        for part in ("station", "operator", "store", "scale", "printer"):
            yield Label("", id=f"h-{part}")

    def set_part(self, part: str, text: str, *, bad: bool = False) -> None:
        """Update one part (``station``, ``operator``, ``store``, ``scale``, ``printer``)."""
        label = self.query_one(f"#h-{part}", Label)
        label.update(screen_text(text))  # names and store URLs are data: never read as markup
        label.set_class(bad, "-bad")
