"""Key bindings shown in the station's language (their descriptions are marked with ``N_``)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from textual.app import App, ComposeResult
from textual.binding import BindingsMap
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from pickpack.i18n import _


def translate_bindings(node: Screen[Any] | App[Any], source: BindingsMap | None = None) -> BindingsMap:
    """Show ``node``'s binding descriptions in today's language. ``source``: the untranslated
    map, to translate again after a language switch; the untranslated map is returned."""
    source = source if source is not None else node._bindings
    keys = {key: [replace(b, description=_(b.description)) if b.description else b for b in bindings]
            for key, bindings in source.key_to_bindings.items()}
    node._bindings = BindingsMap.from_keys(keys)
    return source


class StationFooter(Footer):
    """The footer with the quit key always in sight: it sits at the right end, so a screen with
    many keys hides its last work key before it would hide the way out. Compact (one space
    between keys): the desk's keys fit 80 columns in English too."""

    DEFAULT_CSS = """
    StationFooter FooterKey.-quit { dock: right; }
    """

    def __init__(self) -> None:
        super().__init__(compact=True)

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if isinstance(widget, FooterKey) and widget.action in ("quit", "app.quit"):
                widget.add_class("-quit")
            yield widget
