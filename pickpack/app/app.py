"""The station app: one terminal, one station screen; devices feed it through messages.

Every key passes the keyboard wedge first (``on_event``): a scanner burst becomes a scan for the
active station wherever the focus is. Scanner sources (evdev, serial) and the scale are read in
thread workers that post ``ScanRead`` / ``WeightRead``; flow calls run in the station's worker.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError
from textual import events, on, work
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import Worker, WorkerState, get_current_worker

from db.checkpoint import WalCheckpointer
from db.engine import is_sqlite, redacted
from pickpack.app.console import NOTICE, on_linux_console
from pickpack.app.header import StationHeader
from pickpack.app.keys import translate_bindings
from pickpack.app.messages import DeviceState, ScanRead, SlipsWaiting, StoreChanged, WeightRead
from pickpack.app.printing import SlipPrinter
from pickpack.app.wedge import KeyboardWedge
from pickpack.config import Config
from pickpack.core.context import Floor
from pickpack.devices.errors import DeviceError
from pickpack.devices.scale import Scale, open_scale
from pickpack.devices.scale.reading import Reading
from pickpack.i18n import N_, _, set_language
from pickpack.keymap import EVERY
from pickpack.live import Change
from pickpack.scan import Scan

if TYPE_CHECKING:
    from pickpack.offline import StoreSwitch, SyncReport

log = logging.getLogger(__name__)

STORE_PROBE_S = 5.0
"""How often an offline station checks whether the central store is back."""
LIVE_WAIT_S = 1.0


@runtime_checkable
class ScanTarget(Protocol):
    """What a station screen offers the app: scans and scale readings in."""

    def take_scan(self, scan: Scan) -> None: ...

    def take_weight(self, reading: Reading) -> None: ...

    def take_changes(self, changes: list[Change]) -> None: ...


class StationApp(App[int]):
    """The whole terminal. ``mode`` None opens the station chooser (the demo)."""

    CSS_PATH = "app.tcss"
    TITLE = "PickPack"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [Binding(EVERY["quit"], "quit", N_("Quit"), id="quit", priority=True),
                Binding(EVERY["language"], "switch_language", N_("中文/English"), id="language",
                        show=False, priority=True)]
    """Quit and the language, whatever has the focus; their keys and every station's may be
    moved in ``[keys]`` (pickpack/keymap.py). Textual's own ctrl+q stays where a terminal
    passes it (it is XON: the config refuses it)."""

    def __init__(self, cfg: Config, engine: Engine, *, mode: str | None = None,
                 scale: Scale | None = None, printer: SlipPrinter | None = None,
                 demo_sheet: str | Callable[[], str] = "", store_away: str = "") -> None:
        # The kernel's console font has no Chinese: English there (the switch key still works)
        language = "en" if on_linux_console() else cfg.station.language
        set_language(language)
        super().__init__()
        self.language: str = language
        self._untranslated = translate_bindings(self)
        self.set_keymap(cfg.keys.keymap(mode))
        self.cfg = cfg
        self.engine = engine
        self.switch: StoreSwitch | None = None
        self.floor = self._floor(engine, cfg, store_away)
        self.mode = mode
        self.wedge = KeyboardWedge(cfg.scanner)
        self.scale = scale if scale is not None else _open_scale(cfg)
        self.printer = printer if printer is not None else SlipPrinter(
            engine, cfg, engine_now=lambda: self.floor.engine)
        self.demo_sheet = demo_sheet
        self.stop_devices = threading.Event()
        self.checkpointer: WalCheckpointer | None = None
        self.states: dict[str, tuple[str, bool]] = {
            "store": self._store_at_start(),
            "scale": (_("scale: none") if self.scale is None else _("scale: …"), False),
            "printer": (_("printer: {state}").format(state=self.printer.state),
                        not self.printer.available),
        }

    def _floor(self, engine: Engine, cfg: Config, store_away: str) -> Floor:
        """SQLite: the store is this PC's own file. PostgreSQL: a floor that falls back to the
        local journal while the central store is unreachable, and syncs when it is back.

        ``store_away``: the store did not answer at boot (``pickpack run`` found it so): the
        station starts cold from its journal, offline, and the probe brings it back."""
        if is_sqlite(engine):
            return Floor(engine, cfg, keep_connection=True)
        from pickpack.offline import ResilientFloor, StoreSwitch, open_journal

        self.switch = StoreSwitch(engine, open_journal(cfg.store.journal),
                                  on_change=self._store_switched)
        if store_away:
            self.switch.start_offline(store_away)
        return ResilientFloor(self.switch, cfg, keep_connection=True)

    def _store_at_start(self) -> tuple[str, bool]:
        """The header's store part at start: its name, or offline when it started cold."""
        if self.switch is not None and not self.switch.online:
            return _("offline (journal): {reason}").format(reason=self.switch.last_error), True
        return redacted(self.cfg.store.url).rsplit("/", 1)[-1], False

    # -- start and stop ------------------------------------------------------------------
    def on_mount(self) -> None:
        if on_linux_console():  # what the kernel's console font can draw, and a word once
            self.add_class("-console")
            self.notify(NOTICE, timeout=10)  # in English: this console cannot draw Chinese
        if is_sqlite(self.engine) and self.engine.url.database:
            self.checkpointer = WalCheckpointer(self.engine).start()
        if self.switch is not None:
            self.switch.start(interval_s=STORE_PROBE_S)
        self.watch_store()
        if self.mode:
            self.open_station(self.mode)
        else:
            from pickpack.app.chooser import StationChooser

            self.push_screen(StationChooser(self.demo_sheet))
        self.start_printer()
        if self.scale is not None:
            self.read_scale()
        if self.cfg.scanner.source != "keyboard":
            self.read_scanner()

    def open_station(self, mode: str) -> None:
        """Show the station screen for ``mode`` (replacing the current one if it is a station)."""
        from stations import screen_for

        self.mode = mode
        self.set_keymap(self.cfg.keys.keymap(mode))  # [keys] and [keys.MODE]
        self.wedge.reset()
        screen = screen_for(mode)(self.floor)  # type: ignore[call-arg,arg-type]
        if isinstance(self.screen, ScanTarget):
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    async def action_switch_language(self) -> None:
        """中文 ⇄ English at once, on this terminal only (the new worker, the supervisor from
        abroad); the station keeps its operator, its order and any alert that waits."""
        self.language = "en" if self.language == "zh_CN" else "zh_CN"
        set_language(self.language)
        translate_bindings(self, self._untranslated)
        relabel = getattr(self.screen, "relabel", None)
        if relabel is not None:
            await relabel()
        self.refresh_bindings()

    def action_help_quit(self) -> None:
        """Ctrl+C (Textual's hint, in English and naming ctrl+q): the station's own quit key."""
        key = self.cfg.keys.keymap(self.mode).get("quit", EVERY["quit"])
        self.notify(_("Press {key} to quit").format(key=key))

    async def action_quit(self) -> None:
        self.stop_devices.set()
        self.exit(0)

    def on_unmount(self) -> None:
        self.stop_devices.set()
        if self.switch is not None:
            self.switch.stop()
        self.floor.close()
        if self.checkpointer is not None:
            self.checkpointer.stop()

    # -- the store: live changes, offline and back --------------------------------------------
    @work(thread=True, exclusive=True, group="live", exit_on_error=False)
    def watch_store(self) -> None:
        """Changes other stations commit, as they happen (NOTIFY on PostgreSQL, polling on
        SQLite), posted to the screen; a feed that cannot start is retried, never fatal."""
        from pickpack.live import LiveFeed

        while not self.stop_devices.is_set():
            try:
                feed = LiveFeed(self.engine)
            except DBAPIError as exc:
                if self.switch is None or self.switch.online:  # offline: the header says so
                    self.post_message(DeviceState("live", str(getattr(exc, "orig", exc))[:120],
                                                  bad=True))
                self.stop_devices.wait(STORE_PROBE_S)
                continue
            with feed:
                while not self.stop_devices.is_set():
                    changes = feed.wait(LIVE_WAIT_S)
                    if changes:
                        self.post_message(StoreChanged(changes))

    @on(StoreChanged)
    def _store_changed(self, message: StoreChanged) -> None:
        if not self.screen_stack:  # the app is closing: its last screen has gone already
            return
        screen = self.screen
        if isinstance(screen, ScanTarget):
            screen.take_changes(message.changes)

    def _store_switched(self, online: bool, report: SyncReport | None) -> None:
        """From the switch (a flow worker or the probe thread): offline, or back and synced."""
        conflicts = len(report.conflicts) if report else 0
        if not online:
            assert self.switch is not None
            state = _("offline (journal): {reason}").format(reason=self.switch.last_error)
        elif conflicts:
            state = _("back: {n} events synced, {c} conflicts for the desk").format(
                n=report.replayed if report else 0, c=conflicts)
        else:
            state = _("back: {n} events synced").format(n=report.replayed if report else 0)
        self.post_message(DeviceState("store", state, bad=not online or conflicts > 0))
        if report is not None and report.slips_moved:
            self.post_message(SlipsWaiting(report.slips_moved))

    # -- keys: the wedge sees every key before any widget ------------------------------------
    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            scan = self.wedge.on_key(event, self.focused)
            if scan is not None:
                self.deliver(scan)
                return
        await super().on_event(event)

    @on(ScanRead)
    def _scan_read(self, message: ScanRead) -> None:
        self.deliver(message.scan)

    def deliver(self, scan: Scan) -> None:
        """The one way in for a scan: the active station."""
        screen = self.screen
        if isinstance(screen, ScanTarget):
            screen.take_scan(scan)
        else:
            self.bell()
            self.notify(_("Choose a station first"), severity="error")

    # -- devices ------------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="scale", exit_on_error=False)
    def read_scale(self) -> None:
        assert self.scale is not None
        self.post_message(DeviceState("scale", self.scale.status))
        worker = get_current_worker()
        for reading in self.scale.readings(self.stop_devices):
            if worker.is_cancelled:
                break
            self.post_message(WeightRead(reading))

    @work(thread=True, exclusive=True, group="scanner", exit_on_error=False)
    def read_scanner(self) -> None:
        from pickpack.devices.scanners import open_scanner

        source = open_scanner(self.cfg.scanner)
        self.post_message(DeviceState("scanner", source.name))
        worker = get_current_worker()
        for scan in source.scans(self.stop_devices):
            if worker.is_cancelled:
                break
            self.post_message(ScanRead(scan))

    @on(WeightRead)
    def _weight_read(self, message: WeightRead) -> None:
        reading = message.reading
        mark = _("stable") if reading.stable else _("settling")
        self.set_state("scale", _("scale: {w:.3f} kg {mark}").format(w=reading.weight_kg, mark=mark))
        screen = self.screen
        if isinstance(screen, ScanTarget):
            screen.take_weight(reading)

    @on(DeviceState)
    def _device_state(self, message: DeviceState) -> None:
        bad = message.bad or message.state.startswith(("offline", "error"))
        label = {"scale": _("scale: {state}"), "printer": _("printer: {state}"),
                 "scanner": _("scanner: {state}"), "store": _("store: {state}"),
                 "live": _("store: live updates off: {state}")}[message.device]
        part = "store" if message.device == "live" else message.device
        self.set_state(part, label.format(state=message.state), bad=bad)

    @on(Worker.StateChanged)
    def _device_failed(self, event: Worker.StateChanged) -> None:
        if event.state != WorkerState.ERROR or event.worker.group not in ("scale", "scanner", "print"):
            return
        device = "printer" if event.worker.group == "print" else event.worker.group
        error = event.worker.error
        reason = str(error) if isinstance(error, DeviceError | OSError) else repr(error)
        self.set_state(device, _("{device}: offline: {reason}").format(device=device, reason=reason),
                       bad=True)

    def set_state(self, part: str, text: str, *, bad: bool = False) -> None:
        """A device or store state for the header of whatever screen is showing."""
        if self.states.get(part) == (text, bad):
            return
        self.states[part] = (text, bad)
        self.refresh_header(self.screen)

    def refresh_header(self, screen: Screen[object]) -> None:
        for header in screen.query(StationHeader):
            for part, (text, bad) in self.states.items():
                if part != "scanner":
                    header.set_part(part, text, bad=bad)

    # -- printing -----------------------------------------------------------------------------
    @work(thread=True, group="print", exit_on_error=False)
    def start_printer(self) -> None:
        state = self.printer.connect()
        self.post_message(DeviceState("printer", state, bad=self.printer.offline))

    @on(SlipsWaiting)
    def _slips_waiting(self, _message: SlipsWaiting) -> None:
        self.print_pending()

    @work(thread=True, group="print", exit_on_error=False)
    def print_pending(self) -> None:
        """Print what waits in the queue (slips the sync moved there when the store came back)."""
        self._print_pending()

    @work(thread=True, group="print", exit_on_error=False)
    def print_order(self, order_id: int) -> None:
        """Print-on-verify: the order's slips through the print queue (blocking: a thread).

        The queue lives in the store in use: on a PostgreSQL station whose central store is
        found away while the slips are queued, they are queued in the journal instead and
        printed from there (the sync later moves any still unprinted to the central queue).
        Only queueing is tried again there: once the slips are queued, a store lost while they
        print leaves them queued for the next round, never queued twice. A store error that is
        not an outage leaves them unqueued, said in red until a reprint (``CMD:REPRINT``)."""
        from pickpack.offline.switch import unreachable

        for attempt in (1, 2):
            try:
                self.printer.enqueue(order_id)
                break
            except DBAPIError as exc:
                if attempt == 1 and self.switch is not None and unreachable(exc):
                    self.switch.go_offline(exc)  # and queue them again, on the journal
                    continue
                log.warning("slips of order %s not queued: %s", order_id, _first_line(exc))
                self.post_message(DeviceState(
                    "printer", _("slips not queued: store error, reprint"), bad=True))
                return
        self._print_pending()

    def _print_pending(self) -> None:
        from pickpack.offline.switch import unreachable

        try:
            state = self.printer.print_pending()
        except DBAPIError as exc:
            if self.switch is not None and unreachable(exc):
                self.switch.go_offline(exc)
            log.warning("print queue not run: %s", _first_line(exc))
            self.post_message(DeviceState(
                "printer", _("slips queued, printing when the store answers"), bad=True))
            return
        self.post_message(DeviceState("printer", state, bad=self.printer.offline))


def _first_line(exc: DBAPIError) -> str:
    return str(getattr(exc, "orig", exc)).strip().splitlines()[0][:200]


def _open_scale(cfg: Config) -> Scale | None:
    return open_scale(cfg.scale) if cfg.scale.port else None
