"""The part every station shares: login, alerts that wait for OK, overrides, logout.

An override is three steps: the supervisor's badge (refused at once if it is not an active,
unlocked supervisor's), the PIN typed into the station's PIN field (:meth:`StationFlow.enter_pin`;
a PIN is never scanned), then a reason code (``CMD:R:R1``, or ``R:R1`` as the prompt lists it).
A station logs its operator out after ``[station] idle_logout_min`` without a scan.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pickpack.commands import COMMON, CommandSpec
from pickpack.core.authority import check_badge, prove_supervisor
from pickpack.core.classify import Classified
from pickpack.core.context import Floor, intercepted, record_refusal
from pickpack.core.events import Actor
from pickpack.core.lifecycle import CANCELLED
from pickpack.core.operators import OperatorInfo, login, logout
from pickpack.core.orders import OrderView, load_order
from pickpack.core.overrides import KIND_NAMES, REASONS, override
from pickpack.core.refusal import Refusal, scanning
from pickpack.core.resolve import check_shelf_life, meaning
from pickpack.i18n import N_, _
from pickpack.scan import Scan

OVERRIDE_COMMANDS = {"ACCEPT": "accept_weight", "RELEASE": "release_hold", "SHORT": "ship_short"}
OVERRIDE_DONE = {
    "accept_weight": N_("Weight accepted by supervisor"),
    "release_hold": N_("Hold released by supervisor"),
    "ship_short": N_("Shipped short by supervisor"),
}
"""What the station says after each override: what the trail records, in words."""
REASON_SCAN = re.compile(r"R:(R\d+)", re.IGNORECASE)
"""A reason code as the prompt lists it (``R:R1``), scanned without the command prefix."""


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
    badge: str | None = None
    supervisor: OperatorInfo | None = None
    """Set once badge and PIN proved a supervisor; then the reason code is asked."""

    @property
    def stage(self) -> str:
        if self.badge is None:
            return "badge"
        return "pin" if self.supervisor is None else "reason"


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
        self.alert_text = ""
        """The alert that waits, as it was said: repeated when a scan comes before its ack."""
        self.order: OrderView | None = None
        self.pending: _PendingOverride | None = None
        self.on_event: Callable[[str, OrderView | None], None] | None = None
        self.clock: Callable[[], float] = time.monotonic
        """Seconds, for the idle logout (a test sets its own)."""
        self.last_scan = self.clock()

    @property
    def actor(self) -> Actor:
        op = self.operator
        return Actor(self.station_id, op.code if op else "", op.role if op else "")

    # -- entry points -------------------------------------------------------------------
    def handle(self, scan: Scan) -> Outcome:
        """Interpret one scan. Never raises for floor problems: they come back as alerts."""
        before = self.order.id if self.order else None
        with scanning(scan.code, scan.symbology):  # the trail keeps the code as scanned
            outcome = self._handle(scan)
        after = self.order.id if self.order else None
        if after != before:  # the order in hand changed: the offline journal follows it
            if before is not None:
                self.floor.let_go(before)
            if after is not None:
                self.floor.hold(after)
        return outcome

    def _handle(self, scan: Scan) -> Outcome:
        idle = self.check_idle()
        self.last_scan = self.clock()
        item = self.classify(scan)
        if idle is not None and item.kind != "operator":
            return self.alert(Refusal("idle_logout", "Logged out after {m:g} minutes without a "
                                      "scan: scan your badge", m=self._idle_minutes()))
        if self.awaiting_ack:
            if item.kind == "command" and item.value == "OK":
                return self.acknowledge()
            self._record(Refusal("awaiting_ack", "Scan ignored while an alert waits: {scanned}",
                                 scanned=scan.code))
            # the alert stays in sight (what was wrong is what the person must still read)
            words = (_("{alert} — acknowledge it first: scan CMD:OK or press Enter (that scan "
                       "was not taken)").format(alert=self.alert_text) if self.alert_text else
                     _("Acknowledge the alert first: scan CMD:OK or press Enter"))
            return Outcome(False, words, alert=True, code="awaiting_ack", order=self.order)
        try:
            try:
                return self._dispatch(item)
            except Refusal as refusal:  # the count's own look-up did not know it: the store's
                other = self._known_otherwise(item, refusal)
                if other is None:
                    raise
                return self._dispatch(other)
        except Refusal as refusal:
            if not refusal.recorded:  # refused by the flow itself: into the trail too
                self._record_through_floor(refusal)
            return self.alert(refusal)

    def classify(self, scan: Scan) -> Classified:
        """What a scan means: what the store holds under it first, then its shape
        (pickpack.core.resolve). An item scanned into an open order at verify is looked
        up by the count itself, in its own round trip."""
        return meaning(self.floor, scan, counting=self.mode == "verify" and self.order is not None,
                       actor=self.actor)

    def _known_otherwise(self, item: Classified, refusal: Refusal) -> Classified | None:
        """An item the count did not know (``unknown_code``) that the store holds as something
        else (another order's slip, a badge): that, else None."""
        if refusal.code != "unknown_code" or item.kind != "item":
            return None
        other = meaning(self.floor, Scan(item.value), actor=self.actor)
        return other if other.kind not in ("item", "invalid") else None

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
        self.awaiting_ack, self.alert_text = False, ""
        return Outcome(True, _("Alert acknowledged"), self.prompt(), order=self.order)

    def alert(self, refusal: Refusal) -> Outcome:
        self.awaiting_ack = True
        self.alert_text = refusal.text()
        return Outcome(False, refusal.text(), self.prompt(), alert=True, code=refusal.code,
                       order=self.order, data=dict(refusal.params))

    def prompt(self) -> str:
        if self.pending is not None and self.pending.stage == "badge":
            return _("Supervisor badge (CMD:CANCEL drops the override)")
        return _("Scan your badge") if self.operator is None else self.idle_prompt()

    def idle_prompt(self) -> str:
        return _("Scan the next order")

    # -- dispatch -----------------------------------------------------------------------
    def _dispatch(self, item: Classified) -> Outcome:
        if item.kind == "invalid":
            raise Refusal("invalid_code", "Unreadable code {scanned}: {reason}", scanned=item.value,
                          reason=item.reason)
        if item.kind == "sscc":
            raise Refusal("sscc", "{scanned} is a cage or pallet label (SSCC), not a parcel",
                          scanned=item.value)
        if item.kind == "ambiguous":
            raise Refusal("ambiguous_code", "Code {scanned} could be several things ({reason}): "
                          "scan another code on it", scanned=item.value, reason=item.reason)
        if item.kind == "item" and item.expiry and self.mode == "verify":
            check_shelf_life(self.floor, item)
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

    @property
    def wants_pin(self) -> bool:
        """The station shows its PIN field: a supervisor's badge was taken, the PIN is next."""
        return self.pending is not None and self.pending.stage == "pin"

    def _idle_minutes(self) -> float:
        return float(self.floor.config.station.idle_logout_min)

    def check_idle(self) -> Outcome | None:
        """Log the operator out once ``idle_logout_min`` passed without a scan (the screen asks
        now and then; the next scan asks too). None while nobody is logged in or not idle."""
        limit = self._idle_minutes() * 60
        if self.operator is None or limit <= 0 or self.clock() - self.last_scan < limit:
            return None
        logout(self.floor.engine, self.actor, reason="idle")
        self.operator, self.order, self.pending, self.awaiting_ack = None, None, None, False
        return Outcome(True, _("Logged out after {m:g} minutes without a scan").format(
            m=self._idle_minutes()), self.prompt())

    def _record_through_floor(self, refusal: Refusal) -> None:
        """Record a refusal the flow made itself as the services' refusals are: through the
        floor, so a store that just went away switches the station offline, no traceback."""
        def refuse(_conn: Any) -> None:
            raise refusal

        for _attempt in range(2):  # the second, if the first found the store away: the journal
            try:
                self.floor.run(self.actor, refuse, order_id=self.order.id if self.order else None)
            except Refusal as raised:
                if raised is refusal:  # raised again once recorded
                    return

    def _record(self, refusal: Refusal) -> None:
        record_refusal(self.floor.engine, self.actor, refusal, self.order.id if self.order else None)

    def _login(self, badge: str) -> Outcome:
        before = self.operator
        if before is not None and before.code != badge:
            logout(self.floor.engine, self.actor)
        self.operator = login(self.floor.engine, self.station_id, badge, self.mode)
        if before is not None and before.code != badge:  # the station changed hands: say so
            return Outcome(True, _("{old} logged out; hello {name}").format(
                old=before.name, name=self.operator.name), self.prompt())
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
        return Outcome(True, _("Override {kind}: supervisor, scan your badge").format(
            kind=_(KIND_NAMES.get(kind, kind))),
                       _("Supervisor badge"), order=self.order)

    def _continue_override(self, item: Classified) -> Outcome:
        pending = self.pending
        assert pending is not None
        if item.kind == "command" and item.value == "CANCEL":
            self.pending = None
            return Outcome(True, _("Override cancelled"), self.prompt(), order=self.order)
        if pending.stage == "badge":
            if item.kind != "operator":
                self.pending = None
                raise Refusal("override_needs_badge", "An override needs a supervisor's badge")
            self.pending = None
            if not getattr(self.floor, "online", True):  # PINs live in the central store only
                raise Refusal("override_offline", "A supervisor override needs the central "
                              "store, which is away: put the order aside")
            try:
                sup = self.floor.run(self.actor, lambda conn: check_badge(conn, item.value))
            except Refusal:
                # Not a supervisor's badge (the weigher's own, a borrowed one): no authority was
                # given, so the override, and a typed weight with it, still waits for a
                # supervisor's; CMD:CANCEL drops it. The next badge is not a log-in.
                self.pending = pending
                raise
            pending.badge = item.value
            self.pending = pending
            return Outcome(True, _("Supervisor {name}: type your PIN, then Enter").format(
                name=sup.name), _("PIN"), order=self.order, data={"pin": True})
        if pending.stage == "pin":
            self.pending = None
            raise Refusal("pin_not_scanned", "A PIN is typed, never scanned: override cancelled")
        reason = self._reason(item)
        if reason is None:
            self.pending = None
            raise Refusal("override_needs_reason", "An override needs a reason code (R:R1…)")
        assert pending.supervisor is not None
        self.pending = None
        self.order = override(self.floor, self.actor, pending.supervisor, pending.order_id,
                              pending.kind, reason)
        return self.after_override(pending.kind)

    @staticmethod
    def _reason(item: Classified) -> str | None:
        """``CMD:R:R1`` or ``R:R1`` (as the prompt lists it): the reason code, if known."""
        if item.kind == "command" and item.value == "R":
            code = (item.argument or "").upper()
        else:
            match = REASON_SCAN.fullmatch(item.value.strip())
            code = match.group(1).upper() if match else ""
        return code if code in REASONS else None

    def enter_pin(self, pin: str) -> Outcome:
        """The PIN typed after a supervisor's badge. A wrong PIN ends the override (and is
        counted: five in a row lock that supervisor)."""
        pending = self.pending
        self.last_scan = self.clock()
        try:
            if pending is None or pending.stage != "pin" or pending.badge is None:
                raise Refusal("no_pin_asked", "No PIN is asked for now")
            if self.awaiting_ack:
                raise Refusal("awaiting_ack", "Acknowledge the alert first: scan CMD:OK or press "
                              "Enter")
            self.pending = None
            pending.supervisor = prove_supervisor(self.floor, self.actor, pending.badge, pin)
        except Refusal as refusal:
            return self.alert(refusal)
        self.pending = pending
        codes = "  ".join(f"R:{k} {_(v)}" for k, v in REASONS.items())
        return Outcome(True, _("Supervisor {name}: scan a reason code").format(
            name=pending.supervisor.name), codes, order=self.order)

    def override_message(self, kind: str) -> str:
        return _(OVERRIDE_DONE.get(kind, N_("Override recorded")))

    def after_override(self, kind: str) -> Outcome:
        return Outcome(True, self.override_message(kind), self.prompt(), order=self.order)
