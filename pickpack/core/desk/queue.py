"""The desk's audit queue: new and held orders grouped by why each is not ready, with the fix.

The reason is the one the audit (pickpack.core.release) or a station wrote into
``orders.hold_reason``; a ``new`` order has not been audited yet and waits for the round.

Audit rounds (审单): the clock is cut into rounds of ``[floor] audit_round_min`` minutes from the
warehouse's midnight. The round running now takes only the orders paid before the previous
round's boundary, so a buyer who adds a second order meanwhile can still be merged with the
first: the round proposes those merges (same buyer, same receiver and address) before it
releases.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Connection, func, select, text

from pickpack.config import Config
from pickpack.core.context import Floor, is_sqlite_conn
from pickpack.core.events import Actor
from pickpack.core.lifecycle import HELD, NEW, READY
from pickpack.core.release import RELEASE_LOCK, available_units, release_one
from pickpack.core.release import _reaudit as reaudit  # the re-audit of pickpack release
from pickpack.core.reports import floor_tz
from pickpack.core.tables import ORDERS
from pickpack.i18n import N_

QUEUE_ROWS = 400
"""Orders the queue lists (first paid first); each group's count is always exact."""

UNAUDITED = "unaudited"
OTHER_HOLD = "other"
GROUPS: tuple[tuple[str, tuple[str, ...], str, str], ...] = (
    # key, hold_reason prefixes, what it is, the fix
    (UNAUDITED, (), N_("Not audited yet"), N_("The audit round takes it (F5)")),
    ("not_paid", ("not paid",), N_("Not paid"),
     N_("Wait for the payment; cancel if the buyer gave up")),
    ("address", ("address incomplete",), N_("Address incomplete"),
     N_("Complete the address with the buyer, then re-audit (F5)")),
    ("no_lines", ("no order lines",), N_("No order lines"),
     N_("Check the platform export: import it again or cancel")),
    ("unknown_sku", ("unknown SKU",), N_("Unknown SKU"),
     N_("Import the catalog with the SKU, then re-audit (F5)")),
    ("stock", ("short of stock",), N_("Short of stock"),
     N_("Re-audit when stock arrives, or split, or hold by decision")),
    ("bulk", ("bulk order",), N_("Bulk order"),
     N_("A supervisor looks, then releases it (F3: badge, PIN, reason)")),
    ("waybill", ("no waybill left",), N_("No waybill left"),
     N_("Import waybills for the courier, then re-audit (F5)")),
    ("remark", ("remark to acknowledge",), N_("Remark to acknowledge"),
     N_("Read the remark, acknowledge it (F6), then re-audit (F5)")),
    ("weight", ("weight ",), N_("Weight exception"),
     N_("Weigh again; a supervisor accepts the weight or releases it (F3)")),
    (OTHER_HOLD, (), N_("Held at a station or by hand"),
     N_("Read the trail; a supervisor releases it (F3)")),
)
"""Every group of the queue, in the order the desk shows them."""
GROUP_LABEL = {key: label for key, _p, label, _f in GROUPS}
GROUP_FIX = {key: fix for key, _p, _l, fix in GROUPS}


def reason_group(state: str, hold_reason: str) -> str:
    """The queue group of an order in ``state`` held (or not) with ``hold_reason``."""
    if state == NEW:
        return UNAUDITED
    for key, prefixes, _label, _fix in GROUPS:
        if prefixes and hold_reason.startswith(prefixes):
            return key
    return OTHER_HOLD


@dataclass(frozen=True, slots=True)
class QueueEntry:
    order_id: int
    order_no: str
    state: str
    paid_at: datetime | None
    buyer: str
    receiver_name: str
    hold_reason: str


@dataclass(frozen=True, slots=True)
class QueueGroup:
    key: str
    label: str
    """Marked for translation (``N_``): the screen translates it."""
    fix: str
    count: int
    entries: tuple[QueueEntry, ...]


def audit_queue(conn: Connection, *, rows: int = QUEUE_ROWS) -> list[QueueGroup]:
    """New and held orders by group (only groups that have orders), each first paid first.

    Counts come from one GROUP BY over the ``state`` index; the listed orders are the first
    ``rows`` paid, so a million shipped orders are never read."""
    in_queue = ORDERS.c.state.in_((NEW, HELD))
    counts: dict[str, int] = defaultdict(int)
    for state, reason, n in conn.execute(
            select(ORDERS.c.state, ORDERS.c.hold_reason, func.count())
            .where(in_queue).group_by(ORDERS.c.state, ORDERS.c.hold_reason)):
        counts[reason_group(state, reason or "")] += int(n)
    entries: dict[str, list[QueueEntry]] = defaultdict(list)
    for r in conn.execute(
            select(ORDERS.c.id, ORDERS.c.order_no, ORDERS.c.state, ORDERS.c.paid_at,
                   ORDERS.c.buyer, ORDERS.c.receiver_name, ORDERS.c.hold_reason)
            .where(in_queue).order_by(ORDERS.c.paid_at, ORDERS.c.id).limit(rows)):
        entry = QueueEntry(r.id, r.order_no, r.state, r.paid_at, r.buyer, r.receiver_name,
                           r.hold_reason or "")
        entries[reason_group(entry.state, entry.hold_reason)].append(entry)
    return [QueueGroup(key, label, fix, counts[key], tuple(entries[key]))
            for key, _p, label, fix in GROUPS if counts[key]]


# -- rounds ---------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class MergeProposal:
    """Orders of one buyer to one receiver and address, none printed yet: one parcel."""

    buyer: str
    receiver_name: str
    address: str
    order_nos: tuple[str, ...]
    order_ids: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class AuditRound:
    boundary: datetime
    """This round's boundary (aware, the warehouse's time zone)."""
    cutoff: datetime
    """The previous round's boundary: the round takes orders paid before it."""
    due: tuple[QueueEntry, ...]
    """``new`` orders the round audits, first paid first."""
    waiting: int
    """``new`` orders paid since the cutoff: the next round takes them."""
    merges: tuple[MergeProposal, ...] = field(default=())


def round_boundary(at: datetime, cfg: Config) -> datetime:
    """The boundary of the round ``at`` falls in: the last multiple of ``audit_round_min``
    minutes since the warehouse's local midnight."""
    local = at.astimezone(floor_tz(cfg))
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    step = cfg.floor.audit_round_min
    minutes = (local - midnight) // timedelta(minutes=1)
    return midnight + timedelta(minutes=minutes // step * step)


def audit_round(conn: Connection, cfg: Config, at: datetime) -> AuditRound:
    """What the round running at ``at`` takes, and the merges it proposes first."""
    boundary = round_boundary(at, cfg)
    cutoff = boundary - timedelta(minutes=cfg.floor.audit_round_min)
    due = tuple(
        QueueEntry(r.id, r.order_no, r.state, r.paid_at, r.buyer, r.receiver_name, "")
        for r in conn.execute(
            select(ORDERS.c.id, ORDERS.c.order_no, ORDERS.c.state, ORDERS.c.paid_at,
                   ORDERS.c.buyer, ORDERS.c.receiver_name)
            .where(ORDERS.c.state == NEW, ORDERS.c.paid_at < cutoff)
            .order_by(ORDERS.c.paid_at, ORDERS.c.id)))
    waiting = conn.execute(select(func.count()).where(
        ORDERS.c.state == NEW, (ORDERS.c.paid_at >= cutoff) | ORDERS.c.paid_at.is_(None))
    ).scalar_one()
    return AuditRound(boundary, cutoff, due, int(waiting), merge_proposals(conn, due))


MERGE_STATES = (NEW, HELD, READY)
"""Orders that may still join a parcel: not on the floor past release, no slip printed."""
_SAME_PARCEL = ("buyer", "receiver_name", "receiver_phone", "province", "city", "district",
                "street", "platform")


def merge_proposals(conn: Connection, due: tuple[QueueEntry, ...]) -> tuple[MergeProposal, ...]:
    """Groups of two or more orders (one of them due in the round) of the same buyer to the
    same receiver and address, none with its express slip printed."""
    if not due:
        return ()
    due_ids = {e.order_id for e in due}
    cols = [ORDERS.c[name] for name in _SAME_PARCEL]
    groups: dict[tuple[str, ...], list[tuple[int, str]]] = defaultdict(list)
    for r in conn.execute(
            select(ORDERS.c.id, ORDERS.c.order_no, *cols)
            .where(ORDERS.c.state.in_(MERGE_STATES), ORDERS.c.buyer != "",
                   ORDERS.c.paid_at.is_not(None))
            .order_by(ORDERS.c.paid_at, ORDERS.c.id)):
        groups[tuple(str(getattr(r, name) or "") for name in _SAME_PARCEL)].append(
            (r.id, r.order_no))
    out = []
    for key, members in groups.items():
        if len(members) > 1 and any(oid in due_ids for oid, _no in members):
            address = " ".join(part for part in key[3:7] if part)
            out.append(MergeProposal(key[0], key[1], address, tuple(no for _i, no in members),
                                     tuple(oid for oid, _no in members)))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class RoundResult:
    ready: int
    held: int
    cleared: int
    """The audit's holds whose reason was gone (back to ``new`` and audited again)."""
    skipped: int
    """Orders of the round another desk took meanwhile (no longer ``new``)."""


def run_round(floor: Floor, actor: Actor, plan: AuditRound) -> RoundResult:
    """Release the round ``plan`` showed, in one transaction as ``pickpack release`` does (its
    lock on PostgreSQL): the audit's own holds are audited again, then every ``new`` order paid
    before the round's cutoff (those the plan showed, and holds just cleared) by the audit
    (pickpack.core.release), first paid first; orders paid since the cutoff wait."""
    cfg = floor.config

    def tx(conn: Connection) -> RoundResult:
        if not is_sqlite_conn(conn):
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": RELEASE_LOCK})
        cleared = reaudit(conn, cfg, actor, available_units(conn, cfg))
        due = list(conn.execute(  # the round's orders, and holds the re-audit just cleared
            select(ORDERS.c.id).where(ORDERS.c.state == NEW, ORDERS.c.paid_at < plan.cutoff)
            .order_by(ORDERS.c.paid_at, ORDERS.c.id)).scalars())
        skipped = len({e.order_id for e in plan.due} - set(due))
        ready = held = 0
        for order_id in due:
            if release_one(conn, cfg, actor, order_id):
                held += 1
            else:
                ready += 1
        return RoundResult(ready, held, cleared, skipped)

    return floor.run(actor, tx)
