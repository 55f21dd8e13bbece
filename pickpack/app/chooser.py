"""The station chooser: the demo starts here; a real terminal starts at its configured station."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from pickpack.app.keys import translate_bindings
from pickpack.i18n import N_, _
from pickpack.keymap import EVERY
from pickpack.text import screen_text


class StationChooser(Screen[None]):
    """Pick a station mode; ``sheet`` lists the demo's badges and codes to try. A callable sheet
    is read again each time the chooser comes back, so it shows the floor as it is now."""

    BINDINGS = [Binding(EVERY["quit"], "app.quit", N_("Quit"), id="quit")]

    def __init__(self, sheet: str | Callable[[], str] = "") -> None:
        super().__init__()
        translate_bindings(self)
        self.sheet = sheet

    def sheet_text(self) -> str:
        return self.sheet() if callable(self.sheet) else self.sheet

    def compose(self) -> ComposeResult:
        from stations import MODES

        yield Static(_("PickPack — choose a station"), id="chooser-title")
        yield OptionList(*(Option(f"{mode:7} {_(title)}", id=mode) for mode, title in MODES.items()),
                         id="modes")
        yield Static(screen_text(self.sheet_text()), id="demo-sheet")
        yield Footer()

    @on(OptionList.OptionSelected, "#modes")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.app.open_station(event.option.id)  # type: ignore[attr-defined]

    def on_screen_resume(self) -> None:
        """Back from a station: what is on the floor has moved on."""
        self.query_one("#demo-sheet", Static).update(screen_text(self.sheet_text()))
