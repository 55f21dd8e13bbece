"""Weigh: a fresh stable reading against the expected weight; out of tolerance holds."""

from __future__ import annotations

from pickpack.commands import CANCEL_OVERRIDE, COMMON, OVERRIDES
from pickpack.core.classify import Classified
from pickpack.core.context import Floor
from pickpack.core.flows.base import Outcome, StationFlow
from pickpack.core.flows.keys import ORDER_KEYS
from pickpack.core.lifecycle import states_before
from pickpack.core.refusal import Refusal
from pickpack.core.weigh import (
    FRESH,
    NOTHING,
    Expected,
    Platter,
    expected_weight,
    open_for_weigh,
    record_weight,
)
from pickpack.i18n import _


class WeighFlow(StationFlow):
    """The parcel is scanned, then weighed: its weight is the first stable reading after the
    scan that follows a change on the platter (see :class:`Platter`), never the one the last
    parcel left on the scale."""

    mode = "weigh"
    COMMANDS = (*OVERRIDES, CANCEL_OVERRIDE, *COMMON)

    def __init__(self, floor: Floor, station_id: str) -> None:
        super().__init__(floor, station_id)
        self.expected: Expected | None = None
        self.platter = Platter()

    def idle_prompt(self) -> str:
        if self.order is None:
            return _("Scan the parcel")
        stale = self.platter.stale_g
        if stale is not None:
            return _("Place the parcel: the {w:.0f} g on the scale was there before the "
                     "scan").format(w=stale)
        return _("Put the parcel on the scale")

    def on_scan(self, item: Classified) -> Outcome:
        if item.kind in ORDER_KEYS:
            self.order, self.expected = open_for_weigh(self.floor, self.actor, item.value)
            self.platter.expect()
            return Outcome(True, _("Order {o}: expect {lo:.0f}–{hi:.0f} g").format(
                o=self.order.order_no, lo=self.expected.low, hi=self.expected.high),
                self.prompt(), order=self.order)
        raise Refusal("unexpected", "Not expected here: {scanned}", scanned=item.value)

    def read_scale(self, weight_g: float, stable: bool) -> str:
        """One reading, on whatever thread reads the scale (no store I/O): ``fresh`` when it is
        the weight of the open parcel and the station can take it now (then :meth:`take`),
        ``stale``/``cleared`` for the load left from before the scan, else ``""``."""
        verdict = self.platter.reading(weight_g, stable)
        if verdict == FRESH and (self.order is None or self.awaiting_ack
                                 or self.operator is None or self.pending is not None):
            return NOTHING
        return verdict

    def on_weight(self, weight_g: float, stable: bool) -> Outcome | None:
        """A scale reading: the platter follows it; the open parcel's fresh weight is recorded.
        None when the reading decides nothing (unstable, empty, stale, no parcel awaited)."""
        if self.read_scale(weight_g, stable) != FRESH:
            return None
        return self.take(weight_g)

    def take(self, weight_g: float) -> Outcome | None:
        """Record ``weight_g`` for the open order, once (store I/O: the station's worker)."""
        if self.order is None or self.awaiting_ack or self.operator is None:
            return None
        if not self.platter.claim(weight_g):
            return None  # taken already, or the platter changed since the reading
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
        """Say what was recorded. A released hold sends the order back to where it was held
        from: when that is this station, the parcel is weighed again (after a change on the
        platter, as for any parcel); otherwise the order leaves the station."""
        done = self.order
        if (kind == "release_hold" and done is not None
                and done.state in states_before(self.mode, self.floor.route)):
            self.expected = self.floor.run(self.actor, lambda conn: expected_weight(
                conn, done.id, self.floor.config.weighing))
            self.platter.expect()
            return Outcome(True, self.override_message(kind), self.prompt(), order=done)
        self.order, self.expected = None, None
        self.platter.forget()
        return Outcome(True, self.override_message(kind), self.prompt(), order=done)

    def do_logout(self) -> Outcome:
        self.platter.forget()
        self.expected = None
        return super().do_logout()
