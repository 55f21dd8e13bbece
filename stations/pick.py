"""Pick: scan an empty basket, then the slip or order; walk the bins in order; confirm."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from pickpack.core.flows import Outcome
from pickpack.i18n import N_, _
from pickpack.text import screen_text
from stations.base import CANCEL_BINDING, StationScreen
from stations.widgets import LinesTable, Remarks, order_title


class PickScreen(StationScreen):
    MODE = "pick"
    TITLE = N_("Pick")
    BINDINGS = [CANCEL_BINDING, Binding("f3", "command('DONE')", N_("Pick done"), id="done"),
                Binding("f4", "command('PUTAWAY')", N_("Put away"), id="putaway")]

    def compose_body(self) -> ComposeResult:
        yield Static("", id="basket")
        yield Static("", id="order-title")
        yield Remarks("", id="remarks")
        yield LinesTable(("bin", "sku", "name", "variant", "qty"), id="lines")

    def show_order(self, outcome: Outcome) -> None:
        basket = getattr(self.flow, "basket", None)
        self.query_one("#basket", Static).update(
            screen_text(_("Basket {b}").format(b=basket) if basket else _("No basket")))
        order = self.flow.order  # the flow is idle while an outcome is shown
        self.query_one("#order-title", Static).update(
            order_title(order if order is not None else outcome.order))
        self.query_one(Remarks).show(order)
        self.query_one(LinesTable).show(order)
