"""Desk (审单): the audit queue by reason with each reason's fix, search, one order's picture.

Three panes take the body in turn: the queue (groups of new and held orders, each with the
fix next to it, and the audit round above), the orders a search found, and the open order
(lines, remarks, trail and slips). Keys are commands (F-keys: the code entry owns the letters,
since buyers' names are typed there); a row of the queue or of the hits opens with Enter. The
queue and the open order are read again after every call and whenever the floor changes.
F10 and F11 put today's throughput chart or the after-sales register in the body instead
(stations/desk_panels.py); the same key, F8 or Esc puts the queue back.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import ContentSwitcher, DataTable, Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from pickpack.core.aftersales.register import Register
from pickpack.core.desk.queue import GROUP_LABEL, QueueGroup
from pickpack.core.desk.reasons import held_words
from pickpack.core.desk.search import MATCHED, SearchHit
from pickpack.core.desk.view import DeskOrder, clock
from pickpack.core.flows import Outcome
from pickpack.core.flows.desk import DeskFlow, DeskPicture
from pickpack.core.lifecycle import event_name, state_name
from pickpack.core.report.throughput import Throughput
from pickpack.i18n import N_, _
from pickpack.live import Change
from pickpack.offline.conflicts import ConflictView
from pickpack.text import screen_text, visible
from stations.base import StationScreen
from stations.desk_chart import ThroughputChart
from stations.desk_panels import PANES, PanelRead, read_panel
from stations.desk_register import RegisterPanel
from stations.pin import PinField
from stations.widgets import LinesTable, Remarks, order_title

HIT_COLUMNS = ((N_("Order"), 20), (N_("State"), 9), (N_("Receiver"), 10), (N_("Phone"), 12),
               (N_("Matched"), 14))
TRAIL_COLUMNS = ((N_("When"), 11), (N_("Event"), 14), (N_("Who"), 7), (N_("Detail"), 36))
SLIP_COLUMNS = ((N_("Slip"), 7), (N_("State"), 7), (N_("Printed"), 11))
SCAN_KINDS = frozenset({"item_scanned", "counted", "verify_opened", "pack_opened", "login",
                        "logout", "refused", "pin_refused"})
"""Events that never move an order in or out of the audit queue (the live feed's most)."""
PANE_KEYS = {
    "queue-pane": {"AUDIT", "chart", "register"},
    "hits": {"QUEUE", "chart", "register"},
    "order-pane": {"RELEASE", "HOLD", "ACK", "CANCELORDER", "QUEUE"},
    "chart-pane": {"QUEUE", "chart", "register"},
    "register-pane": {"QUEUE", "chart", "register"},
}
"""The footer's work keys in each pane: the ones its body names (the round line F5, the
remarks F6) and acts on, so they fit 80 columns in English too. A key left out of a pane does
nothing there (an order's keys only refuse without an order; a round would not show over one);
its command scanned still answers."""
PANE_ACTIONS = frozenset().union(*PANE_KEYS.values())
PANEL_CLOSED = {"chart": N_("Chart closed"), "register": N_("After-sales register closed")}
"""What the status line says when Escape or the panel's key closes it."""
SLIP_WORDS = {"express": N_("express"), "packing": N_("packing"), "queued": N_("queued"),
              "printed": N_("printed"), "failed": N_("failed"), "sent": N_("sent")}
"""Slip kinds and print states in words (any other as it is stored)."""


class DeskScreen(StationScreen):
    MODE = "desk"
    TITLE = N_("Desk")
    CSS_PATH = ["station.tcss", "desk.tcss"]  # type: ignore[assignment]  # the base says str
    BINDINGS = [
        Binding("escape", "command('CANCEL')", N_("Cancel"), id="cancel", show=False),
        Binding("f3", "command('RELEASE')", N_("Release"), id="release"),
        Binding("f4", "command('HOLD')", N_("Hold"), id="hold"),
        Binding("f5", "command('AUDIT')", N_("Round"), id="audit"),
        Binding("f6", "command('ACK')", N_("Ack"), id="ack-remark"),
        Binding("f7", "command('CANCELORDER')", N_("Cancel order"), id="cancel-order"),
        Binding("f8", "command('QUEUE')", N_("Queue"), id="queue"),
        Binding("f9", "command('MERGE')", N_("Merge"), id="merge", show=False),
        Binding("f10", "panel('chart')", N_("Chart"), id="chart"),
        Binding("f11", "panel('register')", N_("After-sales"), id="register"),
    ]

    _reasons_for: str | None = None
    """The action whose reasons the list shows."""
    _panel: str | None = None
    """The panel (chart, register) showing instead of the queue, if one is."""
    _panel_over: tuple[int | None, int] = (None, 0)
    """The open order and the number of hits when the panel opened: a new one takes the body."""
    _seen: tuple[int | None, int] = (None, 0)
    """The open order and the number of hits the desk showed last."""

    def compose_body(self) -> ComposeResult:
        yield OptionList(id="reasons")
        with ContentSwitcher(initial="queue-pane", id="panes"):
            with Vertical(id="queue-pane"):
                yield Static("", id="round")
                yield OptionList(id="queue")
            yield DataTable(id="hits", cursor_type="row", zebra_stripes=True)
            with Vertical(id="order-pane"):
                yield Static("", id="order-title")
                yield Static("", id="order-info")
                yield Remarks("", id="remarks")
                yield LinesTable(("sku", "name", "variant", "qty", "bin"), id="lines")
                yield DataTable(id="slips", show_cursor=False)
                yield DataTable(id="trail", show_cursor=False, zebra_stripes=True)
            yield ThroughputChart(id="chart-pane")
            yield RegisterPanel(id="register-pane")

    def on_mount(self) -> None:
        super().on_mount()
        for table_id, columns in (("#hits", HIT_COLUMNS),
                                  ("#trail", TRAIL_COLUMNS), ("#slips", SLIP_COLUMNS)):
            table = self.query_one(table_id, DataTable)
            for label, width in columns:
                table.add_column(_(label), width=width)
        self.refresh_desk()
        self.set_interval(60, self._panel_tick)  # the hour turns without an event

    @property
    def desk(self) -> DeskFlow:
        assert isinstance(self.flow, DeskFlow)
        return self.flow

    def refresh_desk(self) -> None:
        """Read the queue (and the open order) again; a call already queued reads them anyway."""
        if not self._busy and not self._pending:
            self.run_flow(lambda: None)

    def floor_changed(self, changes: list[Change]) -> None:
        """Read the queue again when a change can touch it: the floor's own scans (counts,
        openings, logins: most of the feed on a busy floor) change no order's place in it,
        unless the order is the one open here."""
        open_id = self.flow.order.id if self.flow.order is not None else None
        if any(c.kind not in SCAN_KINDS or (open_id is not None and c.order_id == open_id)
               for c in changes):
            self.refresh_desk()
        elif self._panel is not None:
            self._read_panel(self._panel)  # scans move the chart

    def gather(self) -> DeskPicture:
        return self.desk.refresh()

    # -- keys and rows -------------------------------------------------------------------
    def typed(self, text: str) -> bool:
        """A reason typed while an action asks for one (a hold takes any words), or the gift's
        SKU while F6 asks for it (typed into the code entry; its barcode scanned comes to the
        flow as a scan)."""
        desk = self.desk
        if desk.gift_asked is not None:
            self.run_flow(self.refused(lambda: desk.give_gift(text)))
            return True
        if desk.asked is not None and desk.asked.stage == "reason":
            self.run_flow(self.refused(lambda: desk.give_reason(text)))
            return True
        return False

    @on(OptionList.OptionSelected, "#reasons")
    def _reason_chosen(self, event: OptionList.OptionSelected) -> None:
        code = event.option.id or ""
        self.run_flow(self.refused(lambda: self.desk.give_reason(code)))

    @on(OptionList.OptionSelected, "#queue")
    def _queue_chosen(self, event: OptionList.OptionSelected) -> None:
        self._open(event.option.id or "")

    @on(DataTable.RowSelected, "#hits")
    def _hit_chosen(self, event: DataTable.RowSelected) -> None:
        self._open(event.row_key.value or "")

    def _open(self, key: str) -> None:
        """``o:ID`` (an order of the queue or the hits) or ``x:N:ID`` (a sync conflict's)."""
        kind, _sep, rest = key.partition(":")
        number = rest.rpartition(":")[2]
        if kind in ("o", "x") and number.isdigit():
            order_id = int(number)
            self.run_flow(self.refused(lambda: self.desk.open_order(order_id)))

    # -- the chart and the register --------------------------------------------------------
    def action_panel(self, panel: str) -> None:
        """Show the panel in the body (read from the store now), or hide it if it shows."""
        if self._panel == panel:
            self._close_panel()
            return
        self._panel, self._panel_over = panel, self._seen
        self._show_pane(PANES[panel])
        self._read_panel(panel)

    def action_command(self, code: str) -> None:
        """Escape closes a panel that shows (and stops nothing else); the queue key puts the
        queue back in place of a panel, too."""
        if code == "CANCEL" and self._panel is not None:
            self._close_panel()
            return
        if code == "QUEUE":
            self._panel = None
        super().action_command(code)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A work key shows (and works) in the panes of :data:`PANE_KEYS` only."""
        key = str(parameters[0]) if parameters else ""
        panes = self.query("#panes").results(ContentSwitcher)
        switcher = next(panes, None)  # none before the body is composed
        if action in ("command", "panel") and key in PANE_ACTIONS and switcher is not None:
            return key in PANE_KEYS.get(switcher.current or "", set())
        return super().check_action(action, parameters)

    def _show_pane(self, pane: str) -> None:
        switcher = self.query_one("#panes", ContentSwitcher)
        if switcher.current != pane:
            switcher.current = pane
            self.refresh_bindings()  # the footer follows the pane

    def _close_panel(self) -> None:
        """The queue, the hits or the order again, as they are now, and the line says so."""
        assert self._panel is not None
        closed, self._panel = self._panel, None
        self.show_outcome(Outcome(True, _(PANEL_CLOSED[closed]), self.flow.prompt(),
                                  order=self.flow.order))
        self.refresh_desk()

    def _panel_tick(self) -> None:
        if self._panel is not None:
            self._read_panel(self._panel)

    @work(thread=True, exclusive=True, group="desk-panel", exit_on_error=False)
    def _read_panel(self, panel: str) -> None:
        self.post_message(read_panel(self.floor, panel, self.desk.now(),
                                     self.flow.operator is not None))

    @on(PanelRead)
    def _panel_read(self, message: PanelRead) -> None:
        data = message.data
        if isinstance(data, Throughput):
            self.query_one(ThroughputChart).show(data)
        elif isinstance(data, Register):
            self.query_one(RegisterPanel).show(data)
        elif message.panel == "register":
            self.query_one(RegisterPanel).waiting(
                _("Log in to see the after-sales register (it names buyers)"))

    @on(Worker.StateChanged)
    def _panel_failed(self, event: Worker.StateChanged) -> None:
        """A panel that could not be read says so in its title line (the store is away)."""
        if event.worker.group != "desk-panel" or event.state != WorkerState.ERROR:
            return
        error = event.worker.error
        cause = getattr(error, "orig", None) or error  # the driver's words, not the SQL
        first = (str(cause).splitlines() or [""])[0]
        text = _("Store error: {error}").format(error=f"{type(cause).__name__}: {first}")
        self.query_one(ThroughputChart).waiting(text)
        self.query_one(RegisterPanel).waiting(text)

    # -- rendering -----------------------------------------------------------------------
    def show_order(self, outcome: Outcome) -> None:
        """The reason list while an action waits for its reason (focused: arrows and Enter)."""
        asked = self.desk.asked
        asking = asked is not None and asked.stage == "reason" and not outcome.alert
        reasons = self.query_one("#reasons", OptionList)
        if asking and asked is not None and self._reasons_for != asked.action:
            reasons.clear_options()
            reasons.add_options([Option(f"{code}  {_(text)}", id=code)
                                 for code, text in asked.reasons.items()])
            reasons.highlighted = 0
            self._reasons_for = asked.action
        if asking != reasons.has_class("-shown"):
            reasons.set_class(asking, "-shown")
            if not asking:
                self._reasons_for = None
            if not self.query_one(PinField).has_class("-shown"):
                (reasons if asking else self.query_one("#entry", Input)).focus()
        gift = self.desk.gift_asked
        if gift is not None and not outcome.alert:  # the question, in the remark's own words
            self.query_one("#status", Static).update(screen_text(
                _('Remark "{remark}": which SKU is the gift?').format(remark=gift)))

    def show_context(self, context: object) -> None:
        if not isinstance(context, DeskPicture):
            return
        self._show_round(context)
        self._show_queue(context.groups, context.conflicts)
        self._show_hits(context.hits)
        if context.order is not None:
            self._show_order(context.order)
            pane = "order-pane"
        else:
            pane = "hits" if context.hits else "queue-pane"
        over = (context.order.order.id if context.order is not None else None, len(context.hits))
        if self._panel is not None and over != self._panel_over and over != (None, 0):
            self._panel = None  # an order opened or a search found: that takes the body
        self._seen = over
        if self._panel is not None:
            pane = PANES[self._panel]
            self._read_panel(self._panel)
        self._show_pane(pane)

    def _show_round(self, picture: DeskPicture) -> None:
        waiting = sum(g.count for g in picture.groups)
        plan = picture.round
        if plan is None and self.flow.operator is None:
            text = _("Audit queue: scan your badge first to see it")
        elif plan is None:
            text = self.said(_("Audit queue: {n} orders not ready  —  F5 audit round").format(
                n=waiting))
        else:
            merges = "; ".join(f"{m.receiver_name}: {' + '.join(m.order_nos)}"
                               for m in plan.merges)
            text = _("Round {b}: {n} paid before {c}, {w} wait for the next round").format(
                b=f"{plan.boundary:%H:%M}", c=f"{plan.cutoff:%H:%M}", n=len(plan.due),
                w=plan.waiting)
            if merges:
                text += "  " + _("Merge first: {m}").format(m=merges)
        self.query_one("#round", Static).update(screen_text(text))

    def _show_queue(self, groups: list[QueueGroup], conflicts: list[ConflictView]) -> None:
        """One heading per group (its count and the fix), then its orders, one line each; the
        sync's conflicts first."""
        queue = self.query_one("#queue", OptionList)
        kept = queue.highlighted_option.id if queue.highlighted_option else None
        cfg = self.floor.config
        options: list[Option] = []
        if conflicts:
            options.append(Option(Text.assemble(
                (_("Sync conflicts ({n})").format(n=len(conflicts)), "bold red"), "  → ",
                (_("Done offline, refused by the store: read the order's trail"), "bold")),
                id="g:conflicts", disabled=True))
        for i, c in enumerate(conflicts):
            line = Text.assemble("  ", visible(c.order_no or "-"), "  ", clock(c.found_at, cfg),
                                 "  ", visible(c.station), "  ", visible(c.refused), "  ",
                                 (visible(c.reason), "dim"))
            options.append(Option(line, id=f"x:{i}:{c.order_id or ''}",
                                  disabled=c.order_id is None))
        for group in groups:
            head = Text.assemble((f"{_(GROUP_LABEL[group.key])} ({group.count})", "bold"),
                                 "  → ", (_(group.fix), "bold"))
            options.append(Option(head, id=f"g:{group.key}", disabled=True))
            for e in group.entries:  # data as Text with its control characters visible
                line = Text.assemble("  ", visible(e.order_no), "  ", clock(e.paid_at, cfg), "  ",
                                     visible(e.receiver_name), "  ",
                                     (visible(held_words(e.hold_reason)), "dim"))
                options.append(Option(line, id=f"o:{e.order_id}"))
        queue.clear_options()
        queue.add_options(options)
        if kept is not None and any(o.id == kept for o in options):  # still in the queue
            queue.highlighted = queue.get_option_index(kept)

    def _show_remarks(self, view: DeskOrder) -> None:
        """The remark and memo, what the reader reads in them, and whether it is acknowledged."""
        r = view.remarks
        parts = []
        if r.buyer_remark:
            parts.append(_("Buyer remark: {text}").format(text=r.buyer_remark))
        if r.seller_memo:
            parts.append(_("Seller memo: {text}").format(text=r.seller_memo))
        if parts and r.acked_by:
            parts.append(_("Acknowledged by {who}").format(who=r.acked_by))
        elif parts and r.suggested:
            parts.append(self.said(_("Asks for: {actions}  —  F6 acknowledges").format(
                actions=", ".join(r.suggested))))
        remarks = self.query_one(Remarks)
        remarks.update(screen_text("\n".join(parts)))  # data: Text, never markup
        remarks.set_class(bool(parts), "-has")

    def _show_hits(self, hits: list[SearchHit]) -> None:
        table = self.query_one("#hits", DataTable)
        table.clear()
        for h in hits:
            table.add_row(screen_text(h.order_no), screen_text(state_name(h.state)),
                          screen_text(h.receiver_name), screen_text(h.phone),
                          _(MATCHED[h.matched]), key=f"o:{h.order_id}")

    def _show_order(self, view: DeskOrder) -> None:
        order = view.order
        self.query_one("#order-title", Static).update(order_title(order))
        info = _("Buyer {buyer}  Receiver {name} {phone}  {address}").format(
            buyer=view.buyer or "-", name=order.receiver_name, phone=order.receiver_phone,
            address=order.address)
        if order.hold_reason:
            info += "\n" + _("Held: {reason}").format(reason=held_words(order.hold_reason))
        self.query_one("#order-info", Static).update(screen_text(info))
        self._show_remarks(view)
        self.query_one(LinesTable).show(order)
        trail = self.query_one("#trail", DataTable)
        trail.clear()
        for t in view.trail:
            trail.add_row(t.at, screen_text(event_name(t.kind)), screen_text(t.operator or t.station),
                          screen_text(t.detail))
        if view.trail:
            trail.move_cursor(row=len(view.trail) - 1)  # the latest event in sight
        slips = self.query_one("#slips", DataTable)
        slips.clear()
        for s in view.slips:
            slips.add_row(screen_text(slip_word(s.kind)), screen_text(slip_word(s.state)),
                          s.printed)
        slips.set_class(bool(view.slips), "-has")  # no empty table under the lines


def slip_word(word: str) -> str:
    """A slip's kind or print state in the station's language."""
    return _(SLIP_WORDS[word]) if word in SLIP_WORDS else word
