"""Weigh: a stable reading against the expected weight; out of tolerance holds."""

from __future__ import annotations

from pickpack.commands import CANCEL_OVERRIDE, COMMON, OVERRIDES
from pickpack.core.classify import Classified
from pickpack.core.context import Floor
from pickpack.core.flows.base import Outcome, StationFlow
from pickpack.core.flows.keys import ORDER_KEYS
from pickpack.core.refusal import Refusal
from pickpack.core.weigh import Expected, open_for_weigh, record_weight
from pickpack.i18n import _


class WeighFlow(StationFlow):
    mode = "weigh"
    COMMANDS = (*OVERRIDES, CANCEL_OVERRIDE, *COMMON)

    def __init__(self, floor: Floor, station_id: str) -> None:
        super().__init__(floor, station_id)
        self.expected: Expected | None = None

    def idle_prompt(self) -> str:
        return _("Scan the parcel") if self.order is None else _("Put the parcel on the scale")

    def on_scan(self, item: Classified) -> Outcome:
        if item.kind in ORDER_KEYS:
            self.order, self.expected = open_for_weigh(self.floor, self.actor, item.value)
            return Outcome(True, _("Order {o}: expect {lo:.0f}–{hi:.0f} g").format(
                o=self.order.order_no, lo=self.expected.low, hi=self.expected.high),
                self.prompt(), order=self.order)
        raise Refusal("unexpected", "Not expected here: {scanned}", scanned=item.value)

    def on_weight(self, weight_g: float, stable: bool) -> Outcome | None:
        """A scale reading; a stable one for the open order is recorded without a key."""
        if self.order is None or not stable or self.awaiting_ack or self.operator is None:
            return None
        if weight_g < 1:
            return None  # empty platter
        try:
            result = record_weight(self.floor, self.actor, self.order.id, weight_g, stable=True)
        except Refusal as refusal:
            return self.alert(refusal)
        self.order = result.order
        if result.accepted:
            self.order, self.expected = None, None
            return Outcome(True, _("{w:.0f} g ✓ {o}").format(w=weight_g, o=result.order.order_no),
                           self.prompt(), order=result.order)
        self.awaiting_ack = True
        return Outcome(False, _("WEIGHT OUT OF TOLERANCE: {w:.0f} g, expected {lo:.0f}–{hi:.0f} g "
                                "— held").format(w=weight_g, lo=result.expected.low,
                                                 hi=result.expected.high),
                       _("Supervisor: CMD:ACCEPT to accept the weight"), alert=True,
                       code="weight_out_of_tolerance", order=result.order)

    def after_override(self, kind: str) -> Outcome:
        done, self.order, self.expected = self.order, None, None
        return Outcome(True, _("Weight accepted by supervisor"), self.prompt(), order=done)
