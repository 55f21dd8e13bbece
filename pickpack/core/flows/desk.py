"""Desk (审单): the audit queue, search, one order's whole picture, and the desk's actions.

Anything scanned or typed that is not a badge or a command is a search key (order no.,
tracking no., basket, buyer, receiver, phone or its last four digits): one hit opens the order,
several are listed. The actions are commands like every station's (``CMD:AUDIT``…), so a
scan-only desk works from its printed sheet: the audit round (first it shows what the round
takes and the merges it proposes, the second ``CMD:AUDIT`` releases), hold with a reason code
(``CMD:HOLD:D1``) or a typed reason, a supervisor's release (badge, PIN, reason), back to the
queue. The screen reads the queue and the open order after every call (``refresh``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from pickpack.commands import COMMON, REASON_CODES, RELEASE, CommandSpec
from pickpack.core.classify import Classified
from pickpack.core.context import Floor
from pickpack.core.desk.queue import AuditRound, QueueGroup, audit_queue, audit_round
from pickpack.core.desk.search import SearchHit, search_orders
from pickpack.core.desk.view import DeskOrder, desk_order
from pickpack.core.events import now
from pickpack.core.flows.base import Outcome, StationFlow
from pickpack.core.overrides import hold
from pickpack.core.refusal import Refusal, scan_fields
from pickpack.core.release import release
from pickpack.i18n import N_, _

DESK_HOLD_REASONS: dict[str, str] = {
    "D1": N_("address to check with the buyer"),
    "D2": N_("buyer asked to wait"),
    "D3": N_("stock to check in the bins"),
    "D4": N_("remark needs the shop's answer"),
    "D5": N_("suspected fraud or risky buyer"),
}
"""The reasons the desk holds an order for (``CMD:HOLD:D1``); any other reason is typed."""
DESK_COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec("AUDIT", N_("Audit round"),
                N_("Shows what the round takes and the merges it proposes; again: releases")),
    CommandSpec("HOLD", N_("Hold order"),
                N_("Holds the open order (then a reason code or a typed reason)")),
    *(CommandSpec(f"HOLD:{code}", N_("Hold reason"), text, detail=code)
      for code, text in DESK_HOLD_REASONS.items()),
    RELEASE, *REASON_CODES,
    CommandSpec("QUEUE", N_("Back to the queue"), N_("Closes the open order")),
    CommandSpec("CANCEL", N_("Cancel"), N_("Cancels a hold or an override in progress")),
)


@dataclass(frozen=True)
class DeskPicture:
    """What the desk screen shows after a call: read in the flow worker."""

    groups: list[QueueGroup]
    order: DeskOrder | None
    hits: list[SearchHit] = field(default_factory=list)
    round: AuditRound | None = None
    hold_asked: bool = False


class DeskFlow(StationFlow):
    mode = "desk"
    COMMANDS = (*DESK_COMMANDS, *COMMON)

    def __init__(self, floor: Floor, station_id: str) -> None:
        super().__init__(floor, station_id)
        self.view: DeskOrder | None = None
        self.hits: list[SearchHit] = []
        self.round: AuditRound | None = None
        self.hold_asked = False
        self.now: Callable[[], datetime] = now
        """The wall clock for audit rounds (a test sets its own)."""

    def idle_prompt(self) -> str:
        if self.hold_asked and self.order is not None:
            return _("Hold {o}: a reason code (D1…) or the reason typed; Esc keeps it").format(
                o=self.order.order_no)
        if self.round is not None:
            return _("F5 again releases the round; Esc leaves it")
        return _("Scan or type an order no., tracking no., buyer, receiver or phone (last 4)")

    # -- what the screen reads ---------------------------------------------------------
    def refresh(self) -> DeskPicture:
        """The queue and the open order as the store holds them now (nothing before a login:
        the queue names buyers)."""
        if self.operator is None:
            return DeskPicture([], None)
        with self.floor.engine.connect() as conn:
            groups = audit_queue(conn)
            if self.order is not None:
                self.view = desk_order(conn, self.floor.config, self.order.id)
                self.order = self.view.order
        return DeskPicture(groups, self.view if self.order else None, list(self.hits),
                           self.round, self.hold_asked)

    # -- scans and commands ------------------------------------------------------------
    def on_scan(self, item: Classified) -> Outcome:
        if item.kind == "command":
            return self._command(item)
        if self.hold_asked and self.order is not None:
            return self.hold_order(str(scan_fields(item.value)["raw"]))
        return self.find(str(scan_fields(item.value)["raw"]))

    def _command(self, item: Classified) -> Outcome:
        name = item.value
        if name == "CANCEL":
            self.hold_asked, self.round = False, None
            return Outcome(True, _("Cancelled"), self.prompt(), order=self.order)
        if name == "QUEUE":
            return self.close_order()
        if name == "AUDIT":
            return self.audit()
        if name == "HOLD":
            if item.argument:
                return self.hold_order(item.argument)
            if self.order is None:
                raise Refusal("no_order", "Open an order first: scan or type its number")
            self.hold_asked = True
            return Outcome(True, _("Hold {o}: why?").format(o=self.order.order_no),
                           self.prompt(), order=self.order)
        raise Refusal("unexpected", "Not expected here: {scanned}", scanned=item.value)

    def find(self, key: str) -> Outcome:
        """Search by any key: one hit opens the order, several are listed."""
        with self.floor.engine.connect() as conn:
            hits = search_orders(conn, key, at=self.now())
        self.round = None
        if len(hits) == 1:
            return self.open_order(hits[0].order_id)
        self.hits = hits
        if not hits:
            return Outcome(False, _("No order found for {key}").format(key=key), self.prompt(),
                           code="not_found")
        self.order = self.view = None
        return Outcome(True, _("{n} orders found for {key}: choose one").format(
            n=len(hits), key=key), self.prompt())

    def open_order(self, order_id: int) -> Outcome:
        """Open an order chosen from the queue or the hits."""
        self._logged_in()
        with self.floor.engine.connect() as conn:
            self.view = desk_order(conn, self.floor.config, order_id)
        self.order, self.hits, self.hold_asked = self.view.order, [], False
        return Outcome(True, _("Order {o}").format(o=self.order.order_no), self.prompt(),
                       order=self.order)

    def close_order(self) -> Outcome:
        self.order = self.view = None
        self.hits, self.hold_asked, self.round = [], False, None
        return Outcome(True, _("Audit queue"), self.prompt())

    def hold_order(self, reason: str) -> Outcome:
        """Hold the open order with a code of :data:`DESK_HOLD_REASONS` or the typed words."""
        reason = reason.strip()
        self._logged_in()
        if self.order is None:
            self.hold_asked = False
            raise Refusal("no_order", "Open an order first: scan or type its number")
        if not reason:
            raise Refusal("hold_needs_reason", "A hold needs a reason: scan a reason code or "
                          "type it")
        text = DESK_HOLD_REASONS.get(reason.upper(), reason)
        self.hold_asked = False
        self.order = hold(self.floor, self.actor, self.order.id, text)
        return Outcome(True, _("Order {o} held: {reason}").format(
            o=self.order.order_no, reason=_(text)), self.prompt(), order=self.order)

    def audit(self) -> Outcome:
        """The first ``CMD:AUDIT`` shows the round (and the merges it proposes); the second,
        in the same round, releases."""
        at = self.now()
        with self.floor.engine.connect() as conn:
            planned = audit_round(conn, self.floor.config, at)
        if self.round is None or self.round.boundary != planned.boundary:
            self.round = planned
            return Outcome(True, _("Round {b}: {n} orders paid before {c}; merges proposed: {m}")
                           .format(b=f"{planned.boundary:%H:%M}", c=f"{planned.cutoff:%H:%M}",
                                   n=len(planned.due), m=len(planned.merges)), self.prompt())
        self.round = None
        result = release(self.floor.engine, self.floor.config, self.actor)
        return Outcome(True, _("Round released: {r} ready, {h} held, {c} holds cleared").format(
            r=result.ready, h=result.held_total, c=result.cleared), self.prompt(),
            order=self.order)

    def _logged_in(self) -> None:
        """A row chosen on screen, not scanned: the badge comes first here too."""
        if self.operator is None:
            raise Refusal("not_logged_in", "Scan your badge first")

    def changed_elsewhere(self) -> Outcome | None:
        """Another station changed the open order: the desk shows it as it is now (a cancel
        is news here, not an interception)."""
        if self.order is None or self.awaiting_ack:
            return None
        return Outcome(True, _("Order {o} was changed at another station").format(
            o=self.order.order_no), self.prompt(), order=self.order)

    def after_override(self, kind: str) -> Outcome:
        return Outcome(True, self.override_message(kind), self.prompt(), order=self.order)
