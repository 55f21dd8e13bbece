"""The part every station shares: login, alerts that wait for OK, overrides, logout."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pickpack.commands import COMMON, CommandSpec
from pickpack.core.classify import Classified
from pickpack.core.context import Floor, intercepted, record_refusal
from pickpack.core.events import Actor
from pickpack.core.lifecycle import CANCELLED
from pickpack.core.operators import OperatorInfo, login, logout
from pickpack.core.orders import OrderView, load_order
from pickpack.core.overrides import REASONS, override
from pickpack.core.refusal import Refusal
from pickpack.i18n import _
from pickpack.scan import Scan

OVERRIDE_COMMANDS = {"ACCEPT": "accept_weight", "RELEASE": "release_hold", "SHORT": "ship_short"}


@dataclass(frozen=True)
class Outcome:
    """What the station shows after a scan. ``alert``: full-width red, bell, wait for OK."""

    ok: bool
    message: str
    prompt: str = ""
    alert: bool = False
    code: str = ""
    order: OrderView | None = None
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class _PendingOverride:
    kind: str
    order_id: int
    supervisor: str | None = None


class StationFlow:
    """Base of the per-mode flows. Subclasses implement ``on_scan`` for logged-in scans."""

    mode = "station"
    COMMANDS: tuple[CommandSpec, ...] = COMMON
    """Every command this station takes: its command sheet is printed from this
    (pickpack.commands). Overrides are taken only where declared."""

    def __init__(self, floor: Floor, station_id: str) -> None:
        self.floor = floor
        self.station_id = station_id
        self.operator: OperatorInfo | None = None
        self.awaiting_ack = False
        self.order: OrderView | None = None
        self.pending: _PendingOverride | None = None
        self.on_event: Callable[[str, OrderView | None], None] | None = None

    @property
    def actor(self) -> Actor:
        op = self.operator
        return Actor(self.station_id, op.code if op else "", op.role if op else "")

    # -- entry points -------------------------------------------------------------------
    def handle(self, scan: Scan) -> Outcome:
        """Interpret one scan. Never raises for floor problems: they come back as alerts."""
        before = self.order.id if self.order else None
        outcome = self._handle(scan)
        after = self.order.id if self.order else None
        if after != before:  # the order in hand changed: the offline journal follows it
            if before is not None:
                self.floor.let_go(before)
            if after is not None:
                self.floor.hold(after)
        return outcome

    def _handle(self, scan: Scan) -> Outcome:
        item = self.floor.classifier.classify(scan.code, scan.symbology)
        if self.awaiting_ack:
            if item.kind == "command" and item.value == "OK":
                return self.acknowledge()
            self._record(Refusal("awaiting_ack", "Scan ignored while an alert waits: {scanned}",
                                 scanned=scan.code))
            return Outcome(False, _("Acknowledge the alert first: scan CMD:OK or press Enter"),
                           alert=True, code="awaiting_ack", order=self.order)
        try:
            return self._dispatch(item)
        except Refusal as refusal:
            return self.alert(refusal)

    def changed_elsewhere(self) -> Outcome | None:
        """The live feed says another station (or the desk) changed the order open here: read
        it again. A cancelled order is the intercept alert at once, before the next scan; any
        other change shows the fresh order. None when no order is open or an alert waits."""
        current = self.order
        if current is None or self.awaiting_ack:
            return None
        try:  # through the floor: a store that went away switches the station offline
            fresh = self.floor.run(self.actor, lambda conn: load_order(conn, current.id))
        except Refusal:
            return None  # offline now (the header says so): the next scan meets the journal
        if fresh.state == CANCELLED:
            self.order = None
            refusal = intercepted(fresh.order_no, fresh.id)
            self._record(refusal)
            return self.alert(refusal)
        self.order = fresh
        return Outcome(True, _("Order {o} was changed at another station").format(o=fresh.order_no),
                       self.prompt(), order=fresh)

    def acknowledge(self) -> Outcome:
        """Enter or CMD:OK: clears the alert and does nothing else."""
        self.awaiting_ack = False
        return Outcome(True, _("OK"), self.prompt(), order=self.order)

    def alert(self, refusal: Refusal) -> Outcome:
        self.awaiting_ack = True
        return Outcome(False, refusal.text(), self.prompt(), alert=True, code=refusal.code,
                       order=self.order, data=dict(refusal.params))

    def prompt(self) -> str:
        return _("Scan your badge") if self.operator is None else self.idle_prompt()

    def idle_prompt(self) -> str:
        return _("Scan the next order")

    # -- dispatch -----------------------------------------------------------------------
    def _dispatch(self, item: Classified) -> Outcome:
        if item.kind == "invalid":
            raise Refusal("invalid_code", "Unreadable code {scanned}: {reason}", scanned=item.value,
                          reason=item.reason)
        if self.pending is not None:
            return self._continue_override(item)
        if item.kind == "operator":
            return self._login(item.value)
        if self.operator is None:
            raise Refusal("not_logged_in", "Scan your badge first")
        if item.kind == "command" and item.value == "LOGOUT":
            return self.do_logout()
        if item.kind == "command" and item.value == "OK":
            return Outcome(True, _("Nothing to acknowledge"), self.prompt(), order=self.order)
        if item.kind == "command" and item.value in OVERRIDE_COMMANDS and any(
                spec.code == item.value for spec in self.COMMANDS):  # where the station takes it
            return self._start_override(OVERRIDE_COMMANDS[item.value])
        return self.on_scan(item)

    def on_scan(self, item: Classified) -> Outcome:
        raise NotImplementedError

    def _record(self, refusal: Refusal) -> None:
        record_refusal(self.floor.engine, self.actor, refusal, self.order.id if self.order else None)

    def _login(self, badge: str) -> Outcome:
        if self.operator is not None and self.operator.code != badge:
            logout(self.floor.engine, self.actor)
        self.operator = login(self.floor.engine, self.station_id, badge)
        return Outcome(True, _("Hello {name}").format(name=self.operator.name), self.prompt())

    def do_logout(self) -> Outcome:
        if self.operator is not None:
            logout(self.floor.engine, self.actor)
        self.operator, self.order, self.pending = None, None, None
        return Outcome(True, _("Logged out"), self.prompt())

    # -- supervisor overrides -------------------------------------------------------------
    def _start_override(self, kind: str) -> Outcome:
        if self.order is None:
            raise Refusal("no_order", "Scan the order first, then the override")
        self.pending = _PendingOverride(kind, self.order.id)
        return Outcome(True, _("Override {kind}: supervisor, scan your badge").format(kind=kind),
                       _("Supervisor badge"), order=self.order)

    def _continue_override(self, item: Classified) -> Outcome:
        pending = self.pending
        assert pending is not None
        if item.kind == "command" and item.value == "CANCEL":
            self.pending = None
            return Outcome(True, _("Override cancelled"), self.prompt(), order=self.order)
        if pending.supervisor is None:
            if item.kind != "operator":
                self.pending = None
                raise Refusal("override_needs_badge", "An override needs a supervisor's badge")
            pending.supervisor = item.value
            codes = "  ".join(f"R:{k} {v}" for k, v in REASONS.items())
            return Outcome(True, _("Scan a reason code"), codes, order=self.order)
        if item.kind != "command" or item.value != "R" or item.argument not in REASONS:
            self.pending = None
            raise Refusal("override_needs_reason", "An override needs a reason code (CMD:R:R1…)")
        self.pending = None
        self.order = override(self.floor, self.actor, pending.supervisor, pending.order_id,
                              pending.kind, item.argument or "")
        return self.after_override(pending.kind)

    def after_override(self, kind: str) -> Outcome:
        return Outcome(True, _("Override recorded"), self.prompt(), order=self.order)
