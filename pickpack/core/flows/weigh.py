"""Weigh: a fresh stable reading against the expected weight; out of tolerance holds.

``CMD:BATCH`` weighs parcels of the same goods together (pickpack.core.weigh_batch).
"""

from __future__ import annotations

from pickpack.commands import CANCEL_OVERRIDE, COMMON, OVERRIDES, CommandSpec
from pickpack.core.classify import Classified
from pickpack.core.context import Floor
from pickpack.core.flows.base import Outcome, StationFlow, _PendingOverride
from pickpack.core.flows.keys import ORDER_KEYS
from pickpack.core.lifecycle import states_before
from pickpack.core.refusal import Refusal, scan_fields
from pickpack.core.weigh import (
    FRESH,
    NOTHING,
    Expected,
    Platter,
    TypedWeight,
    Weighed,
    expected_weight,
    open_for_weigh,
    record_weight,
)
from pickpack.core.weigh_batch import Batch, join_batch, record_batch
from pickpack.i18n import N_, _

MANUAL = "manual_weight"
"""The override that records a typed weight (no scale, or none that reads)."""
HEAVIEST_G = 100_000.0
"""A typed weight above this many grams is a typing slip, not a parcel."""

BATCH = CommandSpec("BATCH", N_("Batch weighing"),
                    N_("Starts a batch of parcels of the same goods; scanned again, weighs them"))


class WeighFlow(StationFlow):
    """The parcel is scanned, then weighed: its weight is the first stable reading after the
    scan that follows a change on the platter (see :class:`Platter`), never the one the last
    parcel left on the scale."""

    mode = "weigh"
    COMMANDS = (BATCH, *OVERRIDES, CANCEL_OVERRIDE, *COMMON)

    def __init__(self, floor: Floor, station_id: str) -> None:
        super().__init__(floor, station_id)
        self.expected: Expected | None = None
        self.platter = Platter()
        self.batch: Batch | None = None
        self.has_scale = True
        """False on a station with no scale configured: the weight is typed (F6), never read."""
        self.typed_g: float | None = None
        """A typed weight awaiting its supervisor (the ``manual_weight`` override)."""
        self.scanned: dict[str, str | None] = {}
        """The open parcel's scan (raw code, symbology): its weighed event keeps it."""

    def idle_prompt(self) -> str:
        batch = self.batch
        if batch is not None and not batch.closed:
            return _("Batch of {n}: scan the next parcel of the same goods, CMD:BATCH when "
                     "all are scanned").format(n=batch.count)
        if batch is not None:
            low, high = batch.band()
            return _("Put the {n} parcels on the scale together: {lo:.0f}–{hi:.0f} g in "
                     "all").format(n=batch.count, lo=low, hi=high)
        if self.order is None:
            return _("Scan the parcel")
        stale = self.platter.stale_g
        if stale is not None:
            return _("Place the parcel: the {w:.0f} g on the scale was there before the "
                     "scan").format(w=stale)
        if not self.has_scale:
            return _("No scale: F6, type the parcel's weight, a supervisor confirms it")
        return _("Put the parcel on the scale")

    def on_scan(self, item: Classified) -> Outcome:
        if item.kind == "command" and item.value == "BATCH":
            return self.batch_command()
        if self.batch is not None:
            return self.batch_scan(item)
        if item.kind in ORDER_KEYS:
            self.order, self.expected = open_for_weigh(self.floor, self.actor, item.value)
            self.scanned = scan_fields(item.value)
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
        open_ = self.order is not None or (self.batch is not None and self.batch.closed)
        if verdict == FRESH and (not open_ or self.awaiting_ack
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
        """Record ``weight_g`` for the open order (or the closed batch), once (store I/O: the
        station's worker)."""
        if self.batch is not None and self.batch.closed:
            return self.take_batch(weight_g)
        if self.order is None or self.awaiting_ack or self.operator is None:
            return None
        if not self.platter.claim(weight_g):
            return None  # taken already, or the platter changed since the reading
        try:
            result = record_weight(self.floor, self.actor, self.order.id, weight_g, stable=True,
                                   scan=self.scanned)
        except Refusal as refusal:
            return self.alert(refusal)
        return self.weighed(result)

    def weighed(self, result: Weighed) -> Outcome:
        """Say what a recorded weight decided: in tolerance the parcel is done, else held."""
        weight_g = result.weight_g
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

    # -- a typed weight (no scale) -----------------------------------------------------------
    def type_weight(self, text: str) -> Outcome:
        """The weigher typed the parcel's weight in grams: not evidence alone, so a supervisor
        vouches for it (badge, PIN, reason: the ``manual_weight`` override), then it is
        recorded as ``"source": "manual"`` and checked against the band as a scale's is."""
        if self.operator is None:
            raise Refusal("not_logged_in", "Scan your badge first")
        if self.awaiting_ack:
            raise Refusal("awaiting_ack", "Acknowledge the alert first: scan CMD:OK or press "
                          "Enter")
        if self.batch is not None or self.order is None:
            raise Refusal("no_order", "Scan the parcel first, then type its weight")
        if self.pending is not None:
            raise Refusal("override_open", "An override is open: finish it or CMD:CANCEL, then "
                          "type the weight")
        try:
            grams = float(text.strip().replace(",", "."))
        except ValueError:
            grams = 0.0
        if not 1 <= grams <= HEAVIEST_G:
            raise Refusal("bad_weight", "Typed weight {typed}: type the parcel's grams, "
                          "1 to {most:.0f}", typed=text.strip(), most=HEAVIEST_G)
        self.typed_g = grams
        self.pending = _PendingOverride(MANUAL, self.order.id)
        return Outcome(True, _("Typed weight {w:.0f} g: supervisor, scan your badge").format(
            w=grams), _("Supervisor badge"), order=self.order)

    def _continue_override(self, item: Classified) -> Outcome:
        pending, grams = self.pending, self.typed_g
        cancel = item.kind == "command" and item.value == "CANCEL"
        if (pending is None or pending.kind != MANUAL or pending.stage != "reason" or cancel
                or grams is None):
            return super()._continue_override(item)
        reason = self._reason(item)
        self.pending, self.typed_g = None, None
        if reason is None:
            raise Refusal("override_needs_reason", "An override needs a reason code (R:R1…)")
        assert pending.supervisor is not None
        result = record_weight(self.floor, self.actor, pending.order_id, grams, stable=True,
                               scan=self.scanned, typed=TypedWeight(pending.supervisor, reason))
        self.platter.forget()
        return self.weighed(result)

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
        self.expected, self.batch = None, None
        return super().do_logout()

    # -- batch weighing ------------------------------------------------------------------
    def batch_command(self) -> Outcome:
        """CMD:BATCH: start a batch (the open parcel is its first), end its scanning (one
        parcel: weighed alone), or, while its total is awaited, give it up."""
        batch = self.batch
        if batch is None:
            batch = self.batch = Batch()
            if self.order is not None:  # opened already: the batch's first parcel
                first, self.order, self.expected = self.order, None, None
                try:
                    join_batch(self.floor, self.actor, batch, first.order_no, self.scanned)
                except Refusal:
                    self.batch = None
                    raise
            self.platter.expect()
            return Outcome(True, _("Batch weighing: scan the parcels of the same goods"),
                           self.prompt())
        if batch.closed:
            return self.end_batch(_("Batch given up: weigh the parcels one by one"))
        if batch.count < 2:
            self.batch = None
            if batch.count == 0:
                return Outcome(True, _("Batch ended: no parcel in it"), self.prompt())
            self.order, self.expected = batch.parcels[0].order, batch.expected
            self.scanned = batch.parcels[0].scan
            return Outcome(True, _("One parcel: weighed alone"), self.prompt(), order=self.order)
        batch.closed = True
        return Outcome(True, _("Batch of {n} scanned").format(n=batch.count), self.prompt())

    def batch_scan(self, item: Classified) -> Outcome:
        batch = self.batch
        assert batch is not None
        if item.kind == "command" and item.value == "CANCEL":
            return self.end_batch(_("Batch given up: weigh the parcels one by one"))
        if batch.closed:
            raise Refusal("batch_closed", "The batch is on the scale: CMD:BATCH to give it up, "
                          "then scan {scanned}", scanned=item.value)
        if item.kind not in ORDER_KEYS:
            raise Refusal("unexpected", "Not expected here: {scanned}", scanned=item.value)
        order = join_batch(self.floor, self.actor, batch, item.value)
        low, high = batch.band(1)
        return Outcome(True, _("Order {o} in the batch ({n}), {lo:.0f}–{hi:.0f} g each").format(
            o=order.order_no, n=batch.count, lo=low, hi=high), self.prompt(), order=order)

    def end_batch(self, message: str) -> Outcome:
        self.batch = None
        self.platter.forget()
        return Outcome(True, message, self.prompt())

    def take_batch(self, total_g: float) -> Outcome | None:
        batch = self.batch
        if batch is None or self.awaiting_ack or self.operator is None:
            return None
        if not self.platter.claim(total_g):
            return None
        try:
            verdict = record_batch(self.floor, self.actor, batch, total_g)
        except Refusal as refusal:
            self.batch = None
            return self.alert(refusal)
        if verdict == "wait":
            self.platter.expect()  # this load is stale now: the next change is the total
            _v, k = batch.verdict(total_g)
            return Outcome(True, _("{k} of {n} parcels on the scale").format(k=k, n=batch.count),
                           self.prompt())
        self.batch = None
        low, high = batch.band()
        if verdict == "accept":
            return Outcome(True, _("{n} parcels weighed together: {w:.0f} g each ✓").format(
                n=batch.count, w=total_g / batch.count), self.prompt())
        self.awaiting_ack = True
        return Outcome(False, _("BATCH OUT OF BAND: {t:.0f} g for {n} parcels, expected "
                                "{lo:.0f}–{hi:.0f} g — weigh them one by one").format(
                           t=total_g, n=batch.count, lo=low, hi=high),
                       self.prompt(), alert=True, code="batch_out_of_band")
