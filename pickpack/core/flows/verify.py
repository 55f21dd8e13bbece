"""Verify: open the order by slip, basket or order no., count every item."""

from __future__ import annotations

from dataclasses import replace

from pickpack.commands import COMMON, OVERRIDES, QUANTITY_CODES, CommandSpec
from pickpack.core.classify import Classified
from pickpack.core.context import Floor
from pickpack.core.flows.base import Outcome, StationFlow
from pickpack.core.flows.keys import ORDER_KEYS
from pickpack.core.lifecycle import VERIFIED
from pickpack.core.orders import OrderView
from pickpack.core.overrides import hold
from pickpack.core.refusal import Refusal
from pickpack.core.unexpected import not_expected
from pickpack.core.verify import count_item, open_for_verify, reset_counts, uncount_last
from pickpack.i18n import N_, _

HOLD_REASONS: dict[str, str] = {
    "H1": N_("item damaged"),
    "H2": N_("item missing from the basket"),
    "H3": N_("wrong item in the basket"),
    "H4": N_("remark or address needs the desk"),
}
"""The reasons a verifier holds an order for, scanned from the sheet (``CMD:HOLD:H1``) after
F5 / ``CMD:HOLD``; any other reason is typed into the station's reason field."""
HOLD_REASON_CODES: tuple[CommandSpec, ...] = tuple(
    CommandSpec(f"HOLD:{code}", N_("Hold reason"), text, detail=code)
    for code, text in HOLD_REASONS.items()
)


class VerifyFlow(StationFlow):
    mode = "verify"
    COMMANDS = (
        *QUANTITY_CODES,
        CommandSpec("UNDO", N_("Undo last scan"), N_("Takes back the order's last counted scan")),
        CommandSpec("RESET", N_("Count again"), N_("Starts the order's count from zero")),
        CommandSpec("HOLD", N_("Hold order"),
                    N_("Puts the order on hold for the desk (then a reason code or typed reason)")),
        *HOLD_REASON_CODES,
        CommandSpec("CANCEL", N_("Cancel / put aside"),
                    N_("Puts the order aside (counts are kept) or cancels an override")),
        *OVERRIDES,
        *COMMON,
    )

    def __init__(self, floor: Floor, station_id: str) -> None:
        super().__init__(floor, station_id)
        self.multiplier = 1
        self.hold_asked = False
        """F5 / CMD:HOLD was taken: the next reason code (or typed reason) holds the order."""

    def idle_prompt(self) -> str:
        if self.order is not None and self.hold_asked:
            return _("Hold {o}: scan a reason code (CMD:HOLD:H1…) or type the reason; "
                     "CMD:CANCEL keeps counting").format(o=self.order.order_no) + "\n" + "  ".join(
                f"{code} {_(words)}" for code, words in HOLD_REASONS.items())
        if self.order is None:
            return _("Scan the express slip, basket or order")
        return _("Scan the items ({done}/{total})").format(
            done=sum(min(line.scanned, line.qty) for line in self.order.lines),
            total=self.order.units)

    def set_quantity(self, n: int) -> Outcome:
        """CMD:QTY:n or a typed count: the next item scan counts n times."""
        if not 0 < n <= 9999:
            raise Refusal("bad_qty", "Quantity must be 1–9999, not {n}", n=n)
        self.multiplier = n
        return Outcome(True, _("Next item counts ×{n}").format(n=n), self.prompt(),
                       order=self.order)

    def hold_order(self, reason: str) -> Outcome:
        """Hold the open order with ``reason`` (a code of HOLD_REASONS or the typed words)."""
        reason = reason.strip()
        if self.order is None:
            self.hold_asked = False
            raise Refusal("no_order", "Scan the express slip or basket first")
        if not reason:
            raise Refusal("hold_needs_reason", "A hold needs a reason: scan a reason code or "
                          "type it")
        code = reason.upper()
        text = HOLD_REASONS.get(code, reason)
        self.hold_asked = False
        held = hold(self.floor, self.actor, self.order.id, text)
        self.order = None
        return Outcome(True, _("Order {o} held: {reason}").format(o=held.order_no, reason=_(text)),
                       self.prompt(), order=held, data={"held": True})

    def on_scan(self, item: Classified) -> Outcome:
        holding = item.kind == "command" and item.value in ("HOLD", "CANCEL")
        if self.hold_asked and self.order is not None and not holding:
            raise Refusal("hold_needs_reason", "A hold needs a reason: scan a reason code or "
                          "type it")
        if item.kind in ORDER_KEYS:
            if self.order is not None and not self.order.complete:
                raise Refusal("order_open", "Finish order {o} first (or CMD:CANCEL)",
                              o=self.order.order_no)
            self.order = open_for_verify(self.floor, self.actor, item.value)
            self.hold_asked = False
            if (self.order.picker == self.actor.operator
                    and self.floor.config.workflow.verify_own_pick == "warn"):
                notice = _("You picked order {o} yourself: count every item with care").format(
                    o=self.order.order_no)
                return Outcome(True, _("Order {o}").format(o=self.order.order_no), self.prompt(),
                               order=self.order, data={"notice": notice})
            return Outcome(True, _("Order {o}").format(o=self.order.order_no), self.prompt(),
                           order=self.order)
        if item.kind == "command":
            return self._command(item)
        if item.kind == "item":
            if self.order is None:
                refusal = not_expected(self.floor, self.actor, item, self.idle_prompt())
                if refusal.code == "unknown_code":  # no catalog knows it: say so
                    raise refusal
                raise Refusal("no_order", "Scan the express slip or basket first")
            times, self.multiplier = self.multiplier, 1
            counted = count_item(self.floor, self.actor, self.order.id, item, times)
            order = _with_count(self.order, counted.line_id, counted.scanned)
            msg = _("{sku} {n}/{qty}").format(sku=counted.sku, n=counted.scanned, qty=counted.qty)
            if counted.complete:  # the count moved it on: the screen shows it verified
                order = replace(order, state=VERIFIED)
                self.order = None
                if self.on_event:
                    self.on_event("verified", order)
                return Outcome(True, _("Verified {o} ✓").format(o=order.order_no),
                               self.prompt(), order=order, data={"complete": True})
            self.order = order
            return Outcome(True, msg, self.prompt(), order=order)
        raise Refusal("unexpected", "Not expected here: {scanned}", scanned=item.value)

    def _command(self, item: Classified) -> Outcome:
        if item.value == "QTY":
            return self.set_quantity(int(item.argument or "1"))
        if not _on_a_sheet(item.value):
            raise Refusal("unknown_command", "Unknown command {scanned}: not on the verify "
                          "command sheet", scanned=item.value)
        if item.value not in ("UNDO", "RESET", "HOLD", "CANCEL"):  # another station's command
            raise Refusal("unexpected", "Not expected here: {scanned}", scanned=item.value)
        if self.order is None:
            raise Refusal("no_order", "Scan the express slip or basket first")
        if item.value == "UNDO":
            uncount_last(self.floor, self.actor, self.order.id)
            self.order = self._reload()
            return Outcome(True, _("Last scan taken back"), self.prompt(), order=self.order)
        if item.value == "RESET":
            self.order = reset_counts(self.floor, self.actor, self.order.id)
            return Outcome(True, _("Count started again"), self.prompt(), order=self.order)
        if item.value == "HOLD":
            if item.argument:
                return self.hold_order(item.argument)
            self.hold_asked = True
            return Outcome(True, _("Hold order {o}: why?").format(o=self.order.order_no),
                           self.prompt(), order=self.order, data={"hold_reason": True})
        if item.value == "CANCEL" and self.hold_asked:
            self.hold_asked = False
            return Outcome(True, _("Hold cancelled"), self.prompt(), order=self.order)
        if item.value == "CANCEL":
            self.order, self.multiplier = None, 1
            return Outcome(True, _("Put aside; counts are kept"), self.prompt())
        raise Refusal("unexpected", "Not expected here: {scanned}", scanned=item.value)

    def _reload(self) -> OrderView:
        from pickpack.core.orders import load_order

        assert self.order is not None
        with self.floor.engine.connect() as conn:
            return load_order(conn, self.order.id)

    def after_override(self, kind: str) -> Outcome:
        done = self.order
        self.order = None
        if self.on_event and done is not None:
            self.on_event("verified", done)
        return Outcome(True, _("Shipped short by supervisor"), self.prompt(), order=done)


def _on_a_sheet(name: str) -> bool:
    """A command some station takes (another station's is "not expected here" at verify)."""
    from pickpack.core.flows.modes import FLOWS  # the registry imports this module

    return any(spec.code.partition(":")[0] == name for flow in FLOWS.values()
               for spec in flow.COMMANDS)


def _with_count(order: OrderView, line_id: int, scanned: int) -> OrderView:
    """The order as shown, with one line's committed count updated (no re-read per scan)."""
    lines = [replace(line, scanned=scanned) if line.id == line_id else line for line in order.lines]
    return replace(order, lines=lines)
