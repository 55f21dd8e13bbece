"""Pick: bind an empty basket to an order, confirm the pick."""

from __future__ import annotations

from pickpack.commands import COMMON, CommandSpec
from pickpack.core.classify import Classified
from pickpack.core.context import Floor
from pickpack.core.flows.base import Outcome, StationFlow
from pickpack.core.pick import bind_basket, confirm_pick
from pickpack.core.refusal import Refusal
from pickpack.core.unexpected import not_expected
from pickpack.i18n import N_, _


class PickFlow(StationFlow):
    mode = "pick"
    COMMANDS = (
        CommandSpec("DONE", N_("Pick done"), N_("Confirms the pick of the order in the basket")),
        CommandSpec("CANCEL", N_("Cancel"), N_("Clears the basket scanned for the next order")),
        *COMMON,
    )

    def __init__(self, floor: Floor, station_id: str) -> None:
        super().__init__(floor, station_id)
        self.basket: str | None = None

    def idle_prompt(self) -> str:
        if self.order is not None:
            return _("Pick the lines, then scan CMD:DONE")
        return _("Scan the slip or order") if self.basket else _("Scan an empty basket")

    def on_scan(self, item: Classified) -> Outcome:
        if item.kind == "basket" and self.order is None:
            self.basket = item.value
            return Outcome(True, _("Basket {b}").format(b=item.value), self.prompt())
        if item.kind in ("tracking", "order") and self.order is None:
            if self.basket is None:
                raise Refusal("basket_first", "Scan an empty basket first")
            self.order = bind_basket(self.floor, self.actor, self.basket, item.value)
            return Outcome(True, _("Basket {b} → order {o}").format(b=self.basket,
                           o=self.order.order_no), self.prompt(), order=self.order)
        if item.kind == "command" and item.value == "DONE" and self.order is not None:
            done = confirm_pick(self.floor, self.actor, self.order.id)
            self.order, self.basket = None, None
            return Outcome(True, _("Picked {o}").format(o=done.order_no), self.prompt(), order=done)
        if item.kind == "command" and item.value == "CANCEL":
            self.basket = None
            return Outcome(True, _("Cleared"), self.prompt(), order=self.order)
        raise not_expected(self.floor, self.actor, item, self.idle_prompt())
