"""Weigh: the live weight in large digits; a stable reading in tolerance is taken without a key.

The parcel's weight is the first stable reading after its scan that follows a change on the
platter: a load left from the last parcel is not taken ("place the parcel" is shown).

Out of tolerance the order is held and the screen turns red until acknowledged; a supervisor
may accept the weight (F8 or CMD:ACCEPT, badge, reason). With the simulated scale (the demo)
F6 sets the weight from the keyboard and F7 puts the expected weight on it (taking the last
parcel off first).

Without a simulated scale F6 types the parcel's weight instead: a supervisor vouches for it
(badge, PIN, reason) and the weighed event says ``"source": "manual"``. With no scale
configured at all the screen says so in red, from the start, naming the fix.

Batch weighing (F4 or CMD:BATCH): the parcels of the same goods are scanned, F4 again, then
they go on the scale together; the expected line shows the batch's total band.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Digits, Label, Static

from pickpack.core.flows import Outcome
from pickpack.core.flows.modes import WeighFlow
from pickpack.core.weigh import CLEARED, FRESH
from pickpack.devices.scale.reading import Reading
from pickpack.i18n import N_, _
from pickpack.text import glyph, screen_text
from stations.base import CANCEL_BINDING, OVERRIDE_BINDINGS, StationScreen
from stations.widgets import KeyEntry, order_title


def no_scale_notice() -> str:
    """Said in red on a weigh station with no scale, in the language of the moment."""
    return "\n".join((_("No scale configured: F6 types a weight (a supervisor confirms it)"),
                      _("Fix: set scale.port in config.toml (or sim), or drop weigh from "
                        "workflow.route")))


class WeighScreen(StationScreen):
    MODE = "weigh"
    TITLE = N_("Weigh")
    BINDINGS = [
        CANCEL_BINDING,
        *OVERRIDE_BINDINGS,
        Binding("f6", "sim_weight", N_("Set weight"), id="weight"),  # one key: the scale is
        Binding("f6", "type_weight", N_("Type weight"), id="weight"),  # simulated, or none
        Binding("f7", "sim_expected", N_("Expected weight"), id="sim-expected"),
        Binding("f4", "command('BATCH')", N_("Batch"), id="batch", show=False),
    ]
    DEFAULT_CSS = """
    #no-scale { height: auto; background: red; color: white; text-style: bold; }
    """
    flow: WeighFlow

    def compose_body(self) -> ComposeResult:
        self.flow.has_scale = not self.scaleless  # composed before the first prompt is shown
        if self.scaleless:
            yield Static(self.said(no_scale_notice()), id="no-scale", markup=False)
        yield Static("", id="order-title")
        with Horizontal(id="weight-row"):
            yield Digits("-", id="weight")
            yield Label("g", id="weight-unit")
            yield Label(_("no reading"), id="stable")
        yield Static("", id="expected")
        yield KeyEntry(_("weight on the simulated scale, in grams"), id="sim-weight",
                       number=True)  # typed fast or slow: never a scan
        yield KeyEntry(_("the parcel's weight in grams (a supervisor confirms it)"),
                       id="typed-weight", number=True)

    @property
    def simulated(self) -> bool:
        return hasattr(self.app, "scale") and hasattr(self.app.scale, "place")

    @property
    def scaleless(self) -> bool:
        """No scale configured (``[scale] port = ""``): nothing will ever be read."""
        return getattr(self.app, "scale", None) is None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("sim_weight", "sim_expected"):
            return self.simulated
        if action == "type_weight":
            return not self.simulated
        return super().check_action(action, parameters)

    def take_weight(self, reading: Reading) -> None:
        """Every reading: shown, and followed by the flow's platter (no store I/O here); a
        fresh stable weight for the open parcel goes to the flow worker, once."""
        grams = reading.weight_kg * 1000
        self.query_one("#weight", Digits).update(f"{grams:.0f}")
        stable = self.query_one("#stable", Label)
        stable.update(_("STABLE") if reading.stable else _("settling…"))
        stable.set_class(reading.stable, "-stable")
        verdict = self.flow.read_scale(grams, reading.stable)
        expected = self.flow.expected
        out = (expected is not None and grams >= 1 and self.flow.platter.stale_g is None
               and not expected.accepts(grams))
        self.query_one("#expected", Static).set_class(out, "-out")
        if verdict == CLEARED and not self.alerting:
            self.query_one("#prompt", Static).update(
                screen_text(f"{glyph('prompt')} {self.said(self.flow.prompt())}"))
        if verdict != FRESH or self.alerting or self._busy or self._pending:
            return  # a fresh reading comes again with the next frame
        self.run_flow(lambda: self.flow.take(grams))

    def show_order(self, outcome: Outcome) -> None:
        order, expected, batch = self.flow.order, self.flow.expected, self.flow.batch
        self.query_one("#order-title", Static).update(
            order_title(order if order is not None else outcome.order))
        text = "" if expected is None else _("Expected {w:.0f} g ± {t:.0f} g  ({lo:.0f}–{hi:.0f} g)").format(
            w=expected.weight_g, t=expected.tolerance_g, lo=expected.low, hi=expected.high)
        if batch is not None and batch.expected is not None:
            low, high = batch.band()
            text = _("Batch of {n}: {lo:.0f}–{hi:.0f} g in all ({w:.0f} g ± {t:.0f} g each)").format(
                n=batch.count, lo=low, hi=high, w=batch.expected.weight_g,
                t=batch.expected.tolerance_g)
        self.query_one("#expected", Static).update(text)

    # -- the simulated scale ---------------------------------------------------------------
    def action_sim_weight(self) -> None:
        self.query_one("#sim-weight", KeyEntry).open()

    def action_sim_expected(self) -> None:
        expected = self.flow.expected
        if expected is not None and self.simulated:
            self.app.scale.place(expected.weight_g / 1000)  # type: ignore[attr-defined]

    # -- a typed weight, vouched for by a supervisor -----------------------------------------
    def action_type_weight(self) -> None:
        self.query_one("#typed-weight", KeyEntry).open()

    @on(KeyEntry.Typed, "#typed-weight")
    def _typed_weight(self, event: KeyEntry.Typed) -> None:
        text = event.text
        if text.strip():
            self.run_flow(self.refused(lambda: self.flow.type_weight(text)))

    @on(KeyEntry.Typed, "#sim-weight")
    def _set_weight(self, event: KeyEntry.Typed) -> None:
        try:
            grams = float(event.text)
        except ValueError:
            return
        self.app.scale.set_weight(grams / 1000)  # type: ignore[attr-defined]
