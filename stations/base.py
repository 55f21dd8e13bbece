"""What every station screen shares: header, big status line, code entry, the flow worker.

A station is thin: keys and scans become flow calls, run one at a time in a thread worker
(they do store I/O); the ``Outcome`` comes back as a message and is rendered. An alert turns the
screen red, rings the bell and waits for ``CMD:OK`` or Enter, which then does nothing else.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable
from typing import ClassVar

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from textual import on, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, Static
from textual.worker import Worker, WorkerState

from db.engine import redacted
from pickpack import keymap
from pickpack.app.header import StationHeader
from pickpack.app.keys import StationFooter, translate_bindings
from pickpack.app.messages import FlowDone
from pickpack.core.context import Floor
from pickpack.core.flows import Outcome, make_flow
from pickpack.core.orders import OrderView
from pickpack.core.refusal import Refusal
from pickpack.core.tables import ORDERS
from pickpack.devices.scale.reading import Reading
from pickpack.i18n import N_, _
from pickpack.live import RESYNC, Change
from pickpack.offline.switch import unreachable
from pickpack.printing.where import prints_here
from pickpack.scan import Scan
from pickpack.text import glyph, screen_text
from stations.pin import PinField

Call = Callable[[], Outcome | None]
STORE_PROBE_S = 2.0
"""While the store is away (a station with no journal), how often it is asked whether it is back."""


def one_line(error: BaseException | None) -> str:
    """What went wrong, in its first line: a database error's own words, not SQLAlchemy's
    statement, parameters and background link."""
    text = str(getattr(error, "orig", None) or error or "").strip()
    return text.splitlines()[0] if text else type(error).__name__

CANCEL_BINDING = Binding("escape", "command('CANCEL')", N_("Cancel"), id="cancel")
OVERRIDE_BINDINGS: list[BindingType] = [
    Binding("f8", "command('ACCEPT')", N_("Accept weight"), id="override-accept", show=False),
    Binding("f9", "command('RELEASE')", N_("Release hold"), id="override-release", show=False),
    Binding("f10", "command('SHORT')", N_("Ship short"), id="override-short", show=False),
]


class StationScreen(Screen[None]):
    """Base of the five station screens; subclasses set ``MODE`` and compose their body."""

    MODE: ClassVar[str] = ""
    TITLE: ClassVar[str] = ""
    CSS_PATH = "station.tcss"
    BINDINGS = [
        Binding("enter", "acknowledge", N_("OK"), priority=True, id="ack", show=False),
        Binding("f2", "command('LOGOUT')", N_("Log out"), id="logout"),
        Binding("f12", "stations", N_("Stations"), id="stations"),
    ]

    def __init__(self, floor: Floor) -> None:
        super().__init__(classes=f"station-{self.MODE}")
        self._untranslated = translate_bindings(self)
        self._idle_timer: Timer | None = None
        self.floor = floor
        self.flow = make_flow(floor, self.MODE, floor.config.station.id)
        self.flow.on_event = self._flow_event
        self.alerting = False
        self._pending: deque[Call] = deque()
        self._busy = False
        self._events: list[tuple[str, OrderView | None]] = []
        self._store_probe: Timer | None = None
        self._store_back = False

    def compose(self) -> ComposeResult:
        yield StationHeader()
        yield Static("", id="status", markup=False)
        yield Static("", id="prompt", markup=False)
        with Vertical(id="body"):
            yield from self.compose_body()
        yield PinField(self.said)
        yield Input(placeholder=_("Scan, or type a code and press Enter"), id="entry")
        yield StationFooter()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def said(self, text: str) -> str:
        """``text`` with the keys it names (``F6``, ``Esc``) where ``[keys]`` has put them at
        this station: hints written in the flows and the catalogue name the default keys."""
        return keymap.relabel(text, self.MODE, self.floor.config.keys.keymap(self.MODE))

    def on_mount(self) -> None:
        self.query_one(StationHeader).set_part(
            "station", f"{_(self.TITLE)} {self.floor.config.station.id}")
        self.app.refresh_header(self)  # type: ignore[attr-defined]
        self.show_outcome(Outcome(True, _("Station ready"), self.flow.prompt()))
        self.query_one("#entry", Input).focus()
        if self._idle_timer is None:
            self._idle_timer = self.set_interval(20, self._idle_tick)

    async def relabel(self) -> None:
        """The station's language changed: compose the screen again in it and show the flow's
        state (operator, order, an alert still waiting) as it was."""
        translate_bindings(self, self._untranslated)
        await self.recompose()
        self.on_mount()
        flow = self.flow
        self.show_outcome(Outcome(not flow.awaiting_ack, _("Language: English"), flow.prompt(),
                                  alert=flow.awaiting_ack, order=flow.order))
        self.refresh_bindings()

    def _idle_tick(self) -> None:
        """Log out after ``[station] idle_logout_min`` without a scan (the flow decides)."""
        flow, limit = self.flow, self.floor.config.station.idle_logout_min * 60
        if flow.operator is not None and limit > 0 and flow.clock() - flow.last_scan >= limit:
            self.run_flow(flow.check_idle)

    @on(Input.Submitted, "#pin")
    def _pin_typed(self, event: Input.Submitted) -> None:
        pin, event.input.value = event.value, ""
        self.run_flow(lambda: self.flow.enter_pin(pin))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "stations":
            return len(self.app.screen_stack) > 2  # only when the chooser is underneath
        return True

    def action_stations(self) -> None:
        self.app.pop_screen()

    # -- the way in ----------------------------------------------------------------------
    def take_scan(self, scan: Scan) -> None:
        """A scan from any source: handled by the flow, in order, one at a time."""
        self.run_flow(lambda: self.flow.handle(scan))

    def take_weight(self, reading: Reading) -> None:
        """Scale readings: only the weigh station uses them."""

    def take_changes(self, changes: list[Change]) -> None:
        """Live changes from the store. Another station's change to the order open here
        reloads it (a cancelled order is the intercept alert at once, before the next scan);
        subclasses refresh what they list of the floor in :meth:`floor_changed`."""
        mine = self.floor.config.station.id
        others = [c for c in changes if c.station != mine]
        if not others:
            return
        if any(c.kind == "policy_set" for c in others):  # a supervisor changed the policy
            self.floor.policy_changed()
        order = self.flow.order
        if order is not None and any(c.order_id == order.id or c.kind == RESYNC for c in others):
            self.run_flow(self.flow.changed_elsewhere)
        self.floor_changed(others)

    def floor_changed(self, changes: list[Change]) -> None:
        """Other stations changed the floor (see :meth:`take_changes`)."""

    def action_command(self, code: str) -> None:
        """A key that stands for a command barcode: exactly what scanning it does."""
        self.take_scan(Scan(self.floor.config.barcodes.command_prefix + code, source="key"))

    def action_acknowledge(self) -> None:
        """Enter while an alert shows: acknowledge it and nothing else."""
        if not self.alerting:
            raise SkipAction()
        self.alerting = False
        self.query_one("#entry", Input).value = ""  # nothing half-scanned carries on
        self.run_flow(self.flow.acknowledge)

    @on(Input.Submitted, "#entry")
    def _typed(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        event.input.value = ""
        if not text or self.typed(text):
            return
        if self.flow.pending is not None and re.fullmatch(r"R\d", text.upper()):
            text = f"{self.floor.config.barcodes.command_prefix}R:{text.upper()}"
        self.take_scan(Scan(text, source="typed"))

    def typed(self, text: str) -> bool:
        """A subclass may take typed text itself (a count); True when it did."""
        return False

    # -- the flow worker -------------------------------------------------------------------
    def run_flow(self, call: Call) -> None:
        self._pending.append(call)
        self._pump()

    def refused(self, call: Callable[[], Outcome]) -> Call:
        """Wrap a direct flow call (not ``handle``) so a Refusal becomes the flow's alert."""
        def wrapped() -> Outcome:
            try:
                return call()
            except Refusal as refusal:
                return self.flow.alert(refusal)
        return wrapped

    def _pump(self) -> None:
        if self._busy or not self._pending:
            return
        self._busy = True
        self._work(self._pending.popleft())

    @work(thread=True, exclusive=True, group="flow", exit_on_error=False)
    def _work(self, call: Call) -> None:
        before = self.flow.order
        outcome = call()
        opened = self.flow.order
        if opened is not None and (before is None or before.id != opened.id):
            self._events.append(("opened", opened))  # a print_at station may print it now
        self.post_message(FlowDone(outcome, self.gather()))

    def gather(self) -> object:
        """Runs in the worker after each flow call: extra store reads the screen shows."""
        return None

    def _flow_event(self, kind: str, order: OrderView | None) -> None:
        self._events.append((kind, order))  # called in the worker thread; list.append is atomic

    @on(FlowDone)
    def _done(self, message: FlowDone) -> None:
        self._busy = False
        if message.outcome is not None:
            self.show_outcome(message.outcome)
        self.show_context(message.context)
        events, self._events = self._events, []
        for kind, order in events:
            if order is not None and prints_here(self.floor.config, self.MODE, kind):
                self.app.print_order(order.id)  # type: ignore[attr-defined]
        if self._store_back:
            self._store_returned()
        self._pump()

    @on(Worker.StateChanged)
    def _failed(self, event: Worker.StateChanged) -> None:
        """A flow call raised: one line, never a traceback. A store that cannot be reached says
        so, and that nothing was recorded: the scan is to be made again once it is back."""
        if event.worker.group != "flow" or event.state != WorkerState.ERROR:
            return
        self._busy = False
        self.flow.awaiting_ack = True  # no flow call runs now: safe to touch the flow
        error = event.worker.error
        switch = getattr(self.app, "switch", None)
        if isinstance(error, Exception) and unreachable(error):
            self.store_away(error)
        if self.away():  # what raised met the loss (on the journal too, it may not know the row)
            reason = one_line(error) if switch is None else switch.last_error
            message = _("Store away: {reason}. Nothing was recorded: scan it again once the store "
                        "is back").format(reason=reason)
        else:
            message = _("Store error: {error}").format(error=one_line(error))
        self.show_outcome(Outcome(False, message, self.flow.prompt(), alert=True,
                                  code="store_error"))
        self._pump()

    def away(self) -> bool:
        """The store is away now: this station found it so, or works from its journal."""
        switch = getattr(self.app, "switch", None)
        return self._store_probe is not None if switch is None else not switch.online

    def store_away(self, error: Exception) -> None:
        """The store did not answer: the header says so until it does again. A station with a
        journal (PostgreSQL) is switched to it, and the switch's probe brings it back; one
        without asks here."""
        switch = getattr(self.app, "switch", None)
        if switch is not None:
            switch.go_offline(error)
            return
        self.app.set_state(  # type: ignore[attr-defined]
            "store", _("store away: {reason}").format(reason=one_line(error)), bad=True)
        if self._store_probe is None:
            self._store_probe = self.set_interval(STORE_PROBE_S, self._probe_store)

    def _probe_store(self) -> None:
        if not self._pending and not self._busy:
            self.run_flow(self._ask_store)

    def _ask_store(self) -> None:
        """In the flow worker: the store is back when one of its tables reads (a file put back
        is opened anew: the pool's connections to the one that went are dropped first)."""
        engine = self.floor.engine
        engine.dispose()
        try:
            with engine.connect() as conn:
                conn.execute(select(ORDERS.c.id).limit(1))
        except DBAPIError:
            return
        self._store_back = True

    def _store_returned(self) -> None:
        self._store_back = False
        if self._store_probe is not None:
            self._store_probe.stop()
            self._store_probe = None
        self.app.set_state(  # type: ignore[attr-defined]
            "store", redacted(self.floor.config.store.url).rsplit("/", 1)[-1])
        if not self.alerting:
            self.show_outcome(Outcome(True, _("Store back: scan again what was not recorded"),
                                      self.flow.prompt()))

    # -- rendering ---------------------------------------------------------------------------
    def show_outcome(self, outcome: Outcome) -> None:
        """Green confirmation and what to scan next, or the red alert that waits for OK."""
        status = self.query_one("#status", Static)
        prompt = self.query_one("#prompt", Static)
        self.alerting = outcome.alert
        self.set_class(outcome.alert, "-alerting")
        status.set_class(outcome.alert, "-alert")
        status.set_class(outcome.ok and not outcome.alert, "-ok")
        if outcome.alert:
            # a half of a split scan left in the entry would be glued onto the next code
            self.query_one("#entry", Input).value = ""
            status.update(screen_text(f"!! {self.said(outcome.message)}"))  # Text, never markup
            prompt.update(screen_text(_("Scan CMD:OK or press Enter to go on") +
                               (f"  —  {self.said(outcome.prompt)}" if outcome.prompt else "")))
            self.app.bell()
        else:
            status.update(screen_text(self.said(outcome.message)))
            prompt.update(screen_text(
                f"{glyph('prompt')} {self.said(outcome.prompt or self.flow.prompt())}"))
        pin = self.query_one(PinField)
        if pin.show(self.flow.wants_pin and not outcome.alert):
            (pin if pin.has_class("-shown") else self.query_one("#entry", Input)).focus()
        op = self.flow.operator
        self.query_one(StationHeader).set_part(
            "operator", f"{op.code} {op.name}" if op else _("not logged in"), bad=op is None)
        self.show_order(outcome)

    def show_order(self, outcome: Outcome) -> None:
        """Subclasses render the order (lines, remarks) the outcome carries."""

    def show_context(self, context: object) -> None:
        """Subclasses render what ``gather`` read."""
