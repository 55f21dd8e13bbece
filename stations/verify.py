"""Verify: scan the express slip (or basket, or order no.), then every item; the counts tick."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Static

from pickpack.core.flows import Outcome
from pickpack.i18n import N_, _
from pickpack.scan import Scan
from pickpack.text import glyph, screen_text
from stations.base import CANCEL_BINDING, OVERRIDE_BINDINGS, StationScreen
from stations.widgets import LinesTable, Remarks, order_title

MAX_TYPED_COUNT = 4
"""Typed digits up to this long are a count (CMD:QTY:n); longer ones are codes."""


class HoldReasonField(Input):
    """F5 Hold asks why: the reason typed here (or a reason code scanned from the sheet). A
    ``keyentry`` field: the wedge detector leaves keys typed into it alone."""

    DEFAULT_CSS = """
    HoldReasonField { display: none; }
    HoldReasonField.-shown { display: block; }
    """

    def __init__(self) -> None:
        super().__init__(placeholder=_("Hold reason, then Enter (or scan a reason code)"),
                         max_length=100, id="hold-reason", classes="keyentry")


class VerifyScreen(StationScreen):
    MODE = "verify"
    TITLE = N_("Verify")
    DEFAULT_CSS = """
    #notice { display: none; height: auto; }
    #notice.-shown { display: block; background: yellow; color: black; text-style: bold;
                     padding: 0 1; }
    """
    BINDINGS = [
        CANCEL_BINDING,
        Binding("f3", "command('UNDO')", N_("Undo"), id="undo"),
        Binding("f4", "command('RESET')", N_("Count again"), id="reset"),
        Binding("f5", "command('HOLD')", N_("Hold"), id="hold"),
        *OVERRIDE_BINDINGS,
    ]

    _notice_for: int | None = None
    """The order the yellow notice is about (shown while it is open)."""

    def compose_body(self) -> ComposeResult:
        yield Static("", id="notice")
        yield HoldReasonField()
        yield Static("", id="order-title")
        yield Remarks("", id="remarks")
        yield LinesTable(("sku", "name", "variant", "qty", "scanned", "check"), id="lines")

    @on(Input.Submitted, "#hold-reason")
    def _hold_reason_typed(self, event: Input.Submitted) -> None:
        reason, event.input.value = event.value, ""
        if reason.strip().upper().startswith(self.floor.config.barcodes.command_prefix.upper()):
            self.take_scan(Scan(reason.strip(), source="typed"))  # the sheet's CMD:HOLD:H1
            return
        self.run_flow(self.refused(lambda: self.flow.hold_order(reason)))  # type: ignore[attr-defined]

    def typed(self, text: str) -> bool:
        if getattr(self.flow, "hold_asked", False) and self.flow.order is not None:
            self.run_flow(self.refused(lambda: self.flow.hold_order(text)))  # type: ignore[attr-defined]
            return True
        if text.isdigit() and len(text) <= MAX_TYPED_COUNT:
            n = int(text)
            self.run_flow(self.refused(lambda: self.flow.set_quantity(n)))  # type: ignore[attr-defined]
            return True
        return False

    def show_order(self, outcome: Outcome) -> None:
        notice = self.query_one("#notice", Static)
        if "notice" in outcome.data:  # a picker verifying their own basket (recorded)
            self._notice_for = self.flow.order.id if self.flow.order else None
            notice.update(screen_text(str(outcome.data["notice"])))
        shown = self.flow.order is not None and self.flow.order.id == self._notice_for
        notice.set_class(shown, "-shown")
        asking = bool(getattr(self.flow, "hold_asked", False)) and self.flow.order is not None
        field = self.query_one(HoldReasonField)
        if asking != field.has_class("-shown"):
            field.set_class(asking, "-shown")
            (field if asking else self.query_one("#entry", Input)).focus()
        order = outcome.order if outcome.order is not None else self.flow.order
        if outcome.data.get("held"):
            order = None  # put aside: nothing of it stays on screen
        if (order is not None and self.flow.order is not None and not asking and not outcome.alert
                and not outcome.data.get("complete")):
            # the flow's prompt counts from the order as it was before this scan (core bug,
            # reported): count from the order the outcome carries
            done = sum(min(line.scanned, line.qty) for line in order.lines)
            self.query_one("#prompt", Static).update(glyph("prompt") + " " + _(
                "Scan the items ({done}/{total})").format(done=done, total=order.units))
        self.query_one("#order-title", Static).update(order_title(order))
        self.query_one(Remarks).show(order)
        self.query_one(LinesTable).show(order)
