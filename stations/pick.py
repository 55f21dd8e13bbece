"""Pick: scan an empty basket, then the slip or order; walk the bins in order; confirm.
Or take a wave (its pick list's code, or CMD:NEXT): the walk, and for each unit its slot."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from pickpack.core.flows import Outcome
from pickpack.core.waves.picking import WavePick
from pickpack.i18n import N_, _
from pickpack.text import screen_text
from stations.base import CANCEL_BINDING, StationScreen
from stations.widgets import LinesTable, Remarks, order_title

WALK_SHOWN = 12
"""Stops of a wave's walk shown at once (the next ones; an 80×24 terminal holds these)."""


def walk_text(wave: WavePick) -> Text:
    """The wave's walk: each stop still to do with its count and slots, the next one first."""
    lines = [_("Wave {w}  {courier}  {left} units to pick").format(
        w=wave.code, courier=wave.courier, left=wave.left)]
    for stop in [s for s in wave.stops if not s.done][:WALK_SHOWN]:
        slots = (_("tote") if wave.kind == "single" else " ".join(
            f"{slot}×{n - got}" if n - got > 1 else str(slot)
            for slot, n, got in stop.slots if got < n))
        lines.append(f"{stop.bin or '-':<9} {stop.sku:<14} {stop.picked}/{stop.total}  → {slots}"
                     f"  {stop.name}")
    return screen_text("\n".join(lines))


class PickScreen(StationScreen):
    MODE = "pick"
    TITLE = N_("Pick")
    BINDINGS = [CANCEL_BINDING, Binding("f3", "command('DONE')", N_("Pick done"), id="done"),
                Binding("f4", "command('PUTAWAY')", N_("Put away"), id="putaway"),
                Binding("f5", "command('NEXT')", N_("Next wave"), id="next", show=False)]

    def compose_body(self) -> ComposeResult:
        yield Static("", id="basket")
        yield Static("", id="order-title")
        yield Static("", id="wave")
        yield Remarks("", id="remarks")
        yield LinesTable(("bin", "sku", "name", "variant", "qty"), id="lines")

    def show_order(self, outcome: Outcome) -> None:
        wave: WavePick | None = getattr(self.flow, "wave", None)
        panel = self.query_one("#wave", Static)
        panel.update(walk_text(wave) if wave is not None else "")
        panel.set_class(wave is not None, "-has")
        basket = getattr(self.flow, "basket", None)
        self.query_one("#basket", Static).update(
            screen_text(_("Basket {b}").format(b=basket) if basket else _("No basket")))
        order = self.flow.order  # the flow is idle while an outcome is shown
        self.query_one("#order-title", Static).update(
            order_title(order if order is not None else outcome.order))
        self.query_one(Remarks).show(order)
        self.query_one(LinesTable).show(order)
