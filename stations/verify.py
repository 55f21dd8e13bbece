"""Verify: scan the express slip (or basket, or order no.), then every item; the counts tick."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from pickpack.core.flows import Outcome
from pickpack.i18n import N_, _
from stations.base import CANCEL_BINDING, OVERRIDE_BINDINGS, StationScreen
from stations.widgets import LinesTable, Remarks, order_title

MAX_TYPED_COUNT = 4
"""Typed digits up to this long are a count (CMD:QTY:n); longer ones are codes."""


class VerifyScreen(StationScreen):
    MODE = "verify"
    TITLE = N_("Verify")
    BINDINGS = [
        CANCEL_BINDING,
        Binding("f3", "command('UNDO')", N_("Undo"), id="undo"),
        Binding("f4", "command('RESET')", N_("Count again"), id="reset"),
        Binding("f5", "command('HOLD')", N_("Hold"), id="hold"),
        *OVERRIDE_BINDINGS,
    ]

    def compose_body(self) -> ComposeResult:
        yield Static("", id="order-title")
        yield Remarks("", id="remarks")
        yield LinesTable(("sku", "name", "variant", "qty", "scanned", "check"), id="lines")

    def typed(self, text: str) -> bool:
        if text.isdigit() and len(text) <= MAX_TYPED_COUNT:
            n = int(text)
            self.run_flow(self.refused(lambda: self.flow.set_quantity(n)))  # type: ignore[attr-defined]
            return True
        return False

    def show_order(self, outcome: Outcome) -> None:
        order = outcome.order if outcome.order is not None else self.flow.order
        if order is not None and not outcome.alert and not outcome.data.get("complete"):
            # the flow's prompt counts from the order as it was before this scan (core bug,
            # reported): count from the order the outcome carries
            done = sum(min(line.scanned, line.qty) for line in order.lines)
            self.query_one("#prompt", Static).update("▶ " + _("Scan the items ({done}/{total})").format(
                done=done, total=order.units))
        self.query_one("#order-title", Static).update(order_title(order))
        self.query_one(Remarks).show(order)
        self.query_one(LinesTable).show(order)
