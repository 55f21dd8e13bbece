"""Desk (审单): the audit queue, search, one order's whole picture, and the desk's actions.

Anything scanned or typed that is not a badge or a command is a search key (order no.,
tracking no., basket, buyer, receiver, phone or its last four digits): one hit opens the order,
several are listed. The actions are commands like every station's (``CMD:AUDIT``…), so a
scan-only desk works from its printed sheet: the audit round (first it shows what the round
takes and the merges it proposes, ``CMD:MERGE`` merges them, the second ``CMD:AUDIT``
releases), release, hold and cancel with a reason code (``CMD:HOLD`` then ``CMD:R:BUYER``, or
``CMD:HOLD:BUYER`` at once; pickpack.core.flows.desk_ask), the remark acknowledged
(``CMD:ACK``), back to the queue. The screen reads the queue and the open order after every
call (``refresh``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from pickpack.commands import COMMON
from pickpack.core.classify import Classified
from pickpack.core.context import Floor
from pickpack.core.desk.ack import Acknowledged, acknowledge, named_gift, unnamed_gift, with_gift
from pickpack.core.desk.parcels import merge_orders
from pickpack.core.desk.queue import AuditRound, QueueGroup, audit_queue, audit_round, run_round
from pickpack.core.desk.search import SearchHit, search_orders
from pickpack.core.desk.view import DeskOrder, action_words, desk_order
from pickpack.core.events import now
from pickpack.core.flows.base import Outcome, StationFlow
from pickpack.core.flows.desk_ask import (
    ACTION_COMMANDS,
    ACTION_NAMES,
    DESK_COMMANDS,
    Asked,
    done_text,
    reason_of,
    run_action,
    take_badge,
    take_pin,
)
from pickpack.core.operators import OperatorInfo
from pickpack.core.refusal import Refusal, scan_fields
from pickpack.i18n import _
from pickpack.offline.conflicts import ConflictView, sync_conflicts

CONFLICTS_SHOWN = 20
"""The newest sync conflicts the desk lists (``pickpack sync conflicts`` lists them all)."""
@dataclass(frozen=True)
class DeskPicture:
    """What the desk screen shows after a call: read in the flow worker."""

    groups: list[QueueGroup]
    order: DeskOrder | None
    hits: list[SearchHit] = field(default_factory=list)
    round: AuditRound | None = None
    asked: Asked | None = None
    """The action waiting for its reason or its supervisor."""
    conflicts: list[ConflictView] = field(default_factory=list)
    """What stations did offline that the central store refused at sync, the last day's."""


class DeskFlow(StationFlow):
    mode = "desk"
    COMMANDS = (*DESK_COMMANDS, *COMMON)

    def __init__(self, floor: Floor, station_id: str) -> None:
        super().__init__(floor, station_id)
        self.view: DeskOrder | None = None
        self.hits: list[SearchHit] = []
        self.round: AuditRound | None = None
        self.asked: Asked | None = None
        self.gift_asked: str | None = None
        """The remark's words for a gift whose SKU the clerk is asked for (F6), if one is."""
        self.now: Callable[[], datetime] = now
        """The wall clock for audit rounds (a test sets its own)."""

    def idle_prompt(self) -> str:
        if self.gift_asked is not None:
            return _("Gift SKU (SKU or SKU*N) or the gift's barcode; 0 = no gift; Esc stops")
        asked = self.asked
        if asked is not None and asked.stage == "reason":
            return _("{action} {o}: reason code (R:…) or choose one; Esc stops").format(
                action=_(ACTION_NAMES[asked.action]), o=asked.order_no)
        if asked is not None and asked.stage == "badge":
            return _("Supervisor badge (Esc stops)")
        if self.round is not None:
            return _("F9 merges, F5 again releases the round; Esc leaves it")
        return _("Scan or type an order no., tracking no., buyer, receiver or phone (last 4)")

    @property
    def wants_pin(self) -> bool:
        return (self.asked is not None and self.asked.stage == "pin") or super().wants_pin

    # -- what the screen reads ---------------------------------------------------------
    def refresh(self) -> DeskPicture:
        """The queue and the open order as the store holds them now (nothing before a login:
        the queue names buyers)."""
        if self.operator is None:
            return DeskPicture([], None)
        since = self.now() - timedelta(days=1)
        with self.floor.engine.connect() as conn:
            groups = audit_queue(conn)
            conflicts = [c for c in sync_conflicts(conn, limit=CONFLICTS_SHOWN)
                         if c.found_at >= since]
            if self.order is not None:
                self.view = desk_order(conn, self.floor.config, self.order.id)
                self.order = self.view.order
        return DeskPicture(groups, self.view if self.order else None, list(self.hits),
                           self.round, self.asked, conflicts)

    # -- scans and commands ------------------------------------------------------------
    def _dispatch(self, item: Classified) -> Outcome:
        asked = self.asked
        if asked is not None and asked.stage in ("badge", "pin") and not (
                item.kind == "command" and item.value == "CANCEL"):
            self.asked = None  # a wrong badge, or a PIN scanned, ends the action
            if asked.stage == "pin":
                raise Refusal("pin_not_scanned", "A PIN is typed, never scanned: override "
                              "cancelled")
            sup = take_badge(self.floor, self.actor, asked, item)
            self.asked = asked
            return Outcome(True, _("Supervisor {name}: type your PIN, then Enter").format(
                name=sup.name), _("PIN"), order=self.order, data={"pin": True})
        if item.kind == "operator" and asked is not None:
            self.asked = None  # a badge while a reason is asked: a new login, the action stops
        if item.kind == "command" and item.value == "RELEASE" and self.operator is not None:
            return self._command(item)  # the desk's release, not the station override
        return super()._dispatch(item)

    def on_scan(self, item: Classified) -> Outcome:
        if item.kind == "command":
            return self._command(item)
        raw = str(scan_fields(item.value)["raw"])
        if self.gift_asked is not None:
            return self.give_gift(raw)
        if self.asked is not None:
            return self.give_reason(raw)
        return self.find(raw)

    def _command(self, item: Classified) -> Outcome:
        name = item.value
        if name == "CANCEL":
            self.asked, self.round, self.gift_asked = None, None, None
            return Outcome(True, _("Stopped"), self.prompt(), order=self.order)
        if name == "QUEUE":
            return self.close_order()
        if name == "AUDIT":
            return self.audit()
        if name == "MERGE":
            return self.merge()
        if name == "ACK":
            return self.acknowledge_remark()
        if name == "R" and self.asked is not None:
            return self.give_reason(item.argument or "")
        if name in ACTION_COMMANDS:
            self.ask(ACTION_COMMANDS[name])
            if item.argument:  # CMD:HOLD:BUYER in one scan
                return self.give_reason(item.argument)
            return Outcome(True, _("{action} {o}: why?").format(
                action=_(ACTION_NAMES[ACTION_COMMANDS[name]]), o=self.order.order_no
                if self.order else ""), self.prompt(), order=self.order)
        raise Refusal("unexpected", "Not expected here: {scanned}", scanned=item.value)

    def find(self, key: str) -> Outcome:
        """Search by any key: one hit opens the order, several are listed."""
        with self.floor.engine.connect() as conn:
            hits = search_orders(conn, key, at=self.now())
        self.round = None
        if len(hits) == 1:
            return self.open_order(hits[0].order_id)
        self.hits = hits
        if not hits:  # by name or phone only orders in work (and recent ones) are searched
            return Outcome(False, _("No order found for {key} (by name or phone only orders in "
                                    "work: find a shipped order by its order no. or tracking "
                                    "no.)").format(key=key), self.prompt(), code="not_found")
        self.order = self.view = None
        return Outcome(True, _("{n} orders found for {key}: choose one").format(
            n=len(hits), key=key), self.prompt())

    def open_order(self, order_id: int) -> Outcome:
        """Open an order chosen from the queue or the hits."""
        self._logged_in()
        with self.floor.engine.connect() as conn:
            self.view = desk_order(conn, self.floor.config, order_id)
        self.order, self.hits, self.asked = self.view.order, [], None
        self.gift_asked = None
        return Outcome(True, _("Order {o}").format(o=self.order.order_no), self.prompt(),
                       order=self.order)

    def close_order(self) -> Outcome:
        self.order = self.view = None
        self.hits, self.asked, self.round, self.gift_asked = [], None, None, None
        return Outcome(True, _("Audit queue"), self.prompt())

    # -- release, hold, cancel: reason, then a supervisor if the service asks ----------
    def ask(self, action: str) -> None:
        self._logged_in()
        if self.order is None:
            raise Refusal("no_order", "Open an order first: scan or type its number")
        self.asked = Asked(action, self.order.id, self.order.order_no)

    def give_reason(self, text: str) -> Outcome:
        """The reason for the action asked (a code scanned, chosen or typed)."""
        self._logged_in()
        asked = self.asked
        if asked is None or asked.stage != "reason":
            raise Refusal("no_action", "No release, hold or cancel is waiting for a reason")
        asked.code, asked.note = reason_of(asked, text)
        return self._act(asked)

    def _act(self, asked: Asked, supervisor: OperatorInfo | None = None) -> Outcome:
        self.asked = None
        try:
            change = run_action(self.floor, self.actor, asked, supervisor)
        except Refusal as refusal:
            if refusal.code != "needs_supervisor" or supervisor is not None:
                raise
            asked.stage, self.asked = "badge", asked
            return Outcome(False, refusal.text(), self.prompt(), code=refusal.code,
                           order=self.order)
        return Outcome(True, done_text(change), self.prompt(), order=self.order)

    def enter_pin(self, pin: str) -> Outcome:
        asked = self.asked
        if asked is None or asked.stage != "pin":
            return super().enter_pin(pin)
        self.last_scan = self.clock()
        self.asked = None
        try:
            sup = take_pin(self.floor, self.actor, asked, pin)
            return self._act(asked, sup)
        except Refusal as refusal:
            return self.alert(refusal)

    def acknowledge_remark(self) -> Outcome:
        """Accept what the open order's remark asks for, as the remark reader read it."""
        self._logged_in()
        if self.order is None:
            raise Refusal("no_order", "Open an order first: scan or type its number")
        with self.floor.engine.connect() as conn:
            gift = unnamed_gift(conn, self.floor.config, self.order.id)
        if gift is not None:  # the remark names a gift the catalog does not know: ask for it
            self.gift_asked = gift.text or gift.value or "?"
            return Outcome(True, _("Gift {remark}: which SKU? Type it (SKU or SKU*N), scan the "
                                   "gift's barcode, or 0 for no gift").format(
                remark=self.gift_asked), self.prompt(), order=self.order)
        return self._acknowledged(acknowledge(self.floor, self.actor, self.order.id))

    def give_gift(self, text: str) -> Outcome:
        """The gift's SKU (or barcode, or no gift) the clerk gives for the remark's gift, then
        the ack with it, as ``order ack --gift SKU`` does."""
        self._logged_in()
        if self.order is None or self.gift_asked is None:
            raise Refusal("no_gift_asked", "No gift is waiting for its SKU: F6 acknowledges")
        order_id = self.order.id
        with self.floor.engine.connect() as conn:
            actions = with_gift(conn, self.floor.config, order_id, named_gift(conn, text))
        done = acknowledge(self.floor, self.actor, order_id, actions)
        self.gift_asked = None
        return self._acknowledged(done)

    def _acknowledged(self, done: Acknowledged) -> Outcome:
        words = ", ".join(action_words(a) for a in done.actions) or "-"
        return Outcome(True, _("Remark of {o} acknowledged: {actions}").format(
            o=done.order_no, actions=words) + (f"  {done.note}" if done.note else ""),
            self.prompt(), order=self.order)

    # -- the audit round -----------------------------------------------------------------
    def audit(self) -> Outcome:
        """The first ``CMD:AUDIT`` shows the round (and the merges it proposes); the second,
        in the same round, releases it."""
        self._logged_in()
        at = self.now()
        with self.floor.engine.connect() as conn:
            planned = audit_round(conn, self.floor.config, at)
        shown = self.round
        if shown is None or shown.boundary != planned.boundary:
            self.round = planned
            return Outcome(True, _("Round {b}: {n} orders paid before {c}; merges proposed: {m}")
                           .format(b=f"{planned.boundary:%H:%M}", c=f"{planned.cutoff:%H:%M}",
                                   n=len(planned.due), m=len(planned.merges)), self.prompt())
        self.round = None
        result = run_round(self.floor, self.actor, shown)
        return Outcome(True, _("Round released: {r} ready, {h} held, {c} holds cleared").format(
            r=result.ready, h=result.held, c=result.cleared), self.prompt(), order=self.order)

    def merge(self) -> Outcome:
        """Merge each group of orders the round shown proposes (one parcel each)."""
        self._logged_in()
        if self.round is None or not self.round.merges:
            raise Refusal("no_merge", "No merge proposed: F5 shows the round and its merges")
        parcels = [merge_orders(self.floor, self.actor, list(m.order_ids)).parcel
                   for m in self.round.merges]
        with self.floor.engine.connect() as conn:
            self.round = audit_round(conn, self.floor.config, self.now())
        return Outcome(True, _("Merged into parcels: {p}").format(p=", ".join(parcels)),
                       self.prompt())

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
