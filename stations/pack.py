"""Pack: scan the order (slip, tracking no. or basket), then the carton (CMD:CARTON:M or a key)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from pickpack.core.flows import Outcome
from pickpack.core.orders import OrderView
from pickpack.core.pack import CARTONS
from pickpack.i18n import N_, _
from pickpack.keymap import label
from pickpack.text import glyph, screen_text
from stations.base import CANCEL_BINDING, OVERRIDE_BINDINGS, StationScreen
from stations.widgets import LinesTable, Remarks, order_title

CARTON_KEYS = dict(zip(CARTONS, ("f3", "f4", "f5", "f6", "f7"), strict=True))


class PackScreen(StationScreen):
    MODE = "pack"
    TITLE = N_("Pack")
    BINDINGS = [
        CANCEL_BINDING,
        *(Binding(key, f"command('CARTON:{carton}')", carton,
                  id=f"carton-{carton.lower()}") for carton, key in CARTON_KEYS.items()),
        *OVERRIDE_BINDINGS,
    ]

    def compose_body(self) -> ComposeResult:
        yield Static("", id="order-title")
        yield Remarks("", id="remarks")
        yield Static("", id="checklist", markup=False)
        yield Static("", id="cartons")
        yield LinesTable(("sku", "name", "variant", "qty"), id="lines")

    def on_mount(self) -> None:
        super().on_mount()
        moved = self.floor.config.keys.keymap(self.MODE)  # [keys] may have moved them
        self.query_one("#cartons", Static).update(_("Cartons: {keys}").format(keys="  ".join(
            f"{label(moved.get(f'carton-{c.lower()}', key))}={c}" for c, key in CARTON_KEYS.items())))

    def show_order(self, outcome: Outcome) -> None:
        order = self.flow.order
        self.query_one("#order-title", Static).update(
            order_title(order if order is not None else outcome.order))
        self.query_one(Remarks).show(order)
        self.show_checklist(order if order is not None else outcome.order)
        self.query_one(LinesTable).show(order)

    def show_checklist(self, order: OrderView | None) -> None:
        """What goes into the carton besides the lines, as the clerk acknowledged it."""
        items: list[str] = []
        if order is not None:
            if "invoice" in order.checklist:
                items.append(_("Invoice: put it in the parcel, in its envelope"))
            if order.no_price:
                items.append(_("No price list: the packing slip prints without prices"))
            if order.gift_message:
                items.append(_("Gift message on the packing slip: {text}").format(
                    text=order.gift_message))
        box = self.query_one("#checklist", Static)
        box.update(screen_text("\n".join(f"{glyph('done')} {item}" for item in items)))
        box.set_class(bool(items), "-has")
