"""Pack: open the order, record the carton."""

from __future__ import annotations

from pickpack.commands import CANCEL_OVERRIDE, CARTON_CODES, COMMON, OVERRIDES
from pickpack.core.classify import Classified
from pickpack.core.flows.base import Outcome, StationFlow
from pickpack.core.flows.keys import ORDER_KEYS
from pickpack.core.pack import CARTONS, open_for_pack, pack_order
from pickpack.core.refusal import Refusal
from pickpack.i18n import _


class PackFlow(StationFlow):
    mode = "pack"
    COMMANDS = (*CARTON_CODES, *OVERRIDES, CANCEL_OVERRIDE, *COMMON)

    def idle_prompt(self) -> str:
        if self.order is None:
            return _("Scan the order")
        return _("Scan the carton: {cartons}").format(cartons=" ".join(CARTONS))

    def on_scan(self, item: Classified) -> Outcome:
        if item.kind in ORDER_KEYS:
            self.order = open_for_pack(self.floor, self.actor, item.value)
            return Outcome(True, _("Order {o}").format(o=self.order.order_no), self.prompt(),
                           order=self.order)
        if item.kind == "command" and item.value == "CARTON":
            return self.choose_carton((item.argument or "").upper())
        raise Refusal("unexpected", "Not expected here: {scanned}", scanned=item.value)

    def choose_carton(self, carton: str) -> Outcome:
        if self.order is None:
            raise Refusal("no_order", "Scan the order first")
        if carton not in CARTONS:
            raise Refusal("bad_carton", "Unknown carton {c}", c=carton)
        packed = pack_order(self.floor, self.actor, self.order.id, carton)
        self.order = None
        return Outcome(True, _("Packed {o} in {c}").format(o=packed.order_no, c=carton),
                       self.prompt(), order=packed)
