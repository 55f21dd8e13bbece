"""Sync: replay the journal's events on the central store, in order, once each.

An event already on the central store (same UUID) is skipped, so a sync cut short is simply run
again. Every event that changed something is replayed with the rules the services use: the
order's state is compare-and-set from the state the station saw, a count only goes up while
``scanned + units <= qty``. When the central order moved meanwhile (cancelled at the desk while
verified offline, say) the event is not applied: a ``sync_conflict`` event records it for the
desk, and the report carries it to the operator. Conflicts are never dropped. Slips queued
offline that did not print yet are moved to the central print queue last.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import Connection, Engine, Row, Table, and_, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from db.engine import read_tx, write_tx
from pickpack.core.events import now
from pickpack.core.tables import BASKETS, EVENTS, LINES, ORDERS, PRINT_JOBS
from pickpack.live import Change, ring
from pickpack.printing import STALE_S

STATION_COLUMNS = ("basket", "picker", "verifier", "packer", "carton", "weight_g", "remark_ack")
"""Order columns a station sets with a state change; copied from the journal when replayed."""
COUNTS = ("item_scanned", "item_unscanned", "verify_reset")
log = logging.getLogger(__name__)
CONFLICT_NS = uuid.UUID("5d0f4f1e-6b8a-4c39-9a57-0c1f1b8f3a10")


@dataclass(frozen=True, slots=True)
class SyncConflict:
    """A journal event the central store could not take, as the operator and desk see it."""

    order_id: int | None
    order_no: str
    event_uuid: str
    event_kind: str
    reason: str


@dataclass
class SyncReport:
    replayed: int = 0
    skipped: int = 0
    conflicts: list[SyncConflict] = field(default_factory=list)
    slips_moved: int = 0
    """Slips queued offline and not printed yet, now in the central print queue."""


class _Conflict(Exception):
    def __init__(self, reason: str, central_state: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.central_state = central_state


def conflict_uuid(event_uuid: str) -> str:
    """The UUID of the ``sync_conflict`` event for ``event_uuid`` (stable: re-syncs skip it)."""
    return uuid.uuid5(CONFLICT_NS, event_uuid).hex


def _insert_once(conn: Connection, values: dict[str, Any]) -> int | None:
    """Insert an event unless its UUID is there already; its id when inserted."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    stmt = (dialect.insert(EVENTS).values(**values)
            .on_conflict_do_nothing(index_elements=["uuid"]).returning(EVENTS.c.id))
    event_id = conn.execute(stmt).scalar()
    return None if event_id is None else int(event_id)


def _is_move(payload: dict[str, Any]) -> bool:
    return "from" in payload and "to" in payload


def _expected_states(events: list[Row[Any]], local_state: dict[int, str]) -> dict[str, str]:
    """The state each event's order was in (at the station) just before the event."""
    tracked: dict[int, str] = {}
    first_from: dict[int, str] = {}
    for ev in events:
        p = json.loads(ev.payload)
        if ev.order_id is not None and _is_move(p):
            first_from.setdefault(ev.order_id, p["from"])
    expected: dict[str, str] = {}
    for ev in events:
        if ev.order_id is None:
            continue
        state = tracked.get(ev.order_id) or first_from.get(ev.order_id) \
            or local_state.get(ev.order_id, "")
        expected[ev.uuid] = state
        p = json.loads(ev.payload)
        tracked[ev.order_id] = p["to"] if _is_move(p) else state
    return expected


def _on_central(central: Engine, uuids: list[str]) -> set[str]:
    found: set[str] = set()
    with read_tx(central) as conn:
        for start in range(0, len(uuids), 500):
            chunk = uuids[start:start + 500]
            found.update(conn.execute(select(EVENTS.c.uuid).where(EVENTS.c.uuid.in_(chunk))).scalars())
    return found


def _lock(conn: Connection, table: Table, order_id: int) -> Row[Any] | None:
    query = select(table).where(table.c.id == order_id)
    if conn.dialect.name != "sqlite":
        query = query.with_for_update()
    return conn.execute(query).first()


def _apply(conn: Connection, ev: Row[Any], p: dict[str, Any], local_order: Row[Any] | None,
           central_state: str) -> None:
    """The event's effect on the central store; raises _Conflict when a rule refuses it."""
    oid = ev.order_id
    if _is_move(p):
        columns = {c: getattr(local_order, c) for c in STATION_COLUMNS} if local_order else {}
        moved = conn.execute(update(ORDERS).where(ORDERS.c.id == oid, ORDERS.c.state == p["from"])
                             .values(state=p["to"], updated_at=now(), **columns)).rowcount
        if moved != 1:
            raise _Conflict("order changed on the central store", central_state)
        if ev.kind == "pick_started" and p.get("basket"):
            taken = conn.execute(select(BASKETS.c.order_id).where(BASKETS.c.code == p["basket"])
                                 ).scalar()
            if taken not in (None, oid):
                raise _Conflict(f"basket {p['basket']} is in use on the central store",
                                central_state)
            values = {"order_id": oid, "picker": ev.operator, "bound_at": ev.at}
            if conn.execute(update(BASKETS).where(BASKETS.c.code == p["basket"]).values(values)
                            ).rowcount == 0:
                conn.execute(BASKETS.insert().values(code=p["basket"], **values))
        if ev.kind == "verified":
            conn.execute(update(BASKETS).where(BASKETS.c.order_id == oid).values(order_id=None))
    elif ev.kind == "item_scanned":
        units = int(p["units"])
        line = conn.execute(select(LINES.c.id).where(
            LINES.c.order_id == oid, LINES.c.sku == p["sku"], LINES.c.scanned + units <= LINES.c.qty,
        ).order_by((LINES.c.qty - LINES.c.scanned).desc())).scalar()
        if line is None or conn.execute(
            update(LINES).where(LINES.c.id == line, LINES.c.scanned + units <= LINES.c.qty)
            .values(scanned=LINES.c.scanned + units)
        ).rowcount != 1:
            raise _Conflict(f"too many {p['sku']}: already counted on the central store",
                            central_state)
    elif ev.kind == "item_unscanned":
        units = int(p["units"])
        line = conn.execute(select(LINES.c.id).where(
            LINES.c.order_id == oid, LINES.c.sku == p["sku"], LINES.c.scanned >= units)).scalar()
        if line is None:
            raise _Conflict(f"nothing of {p['sku']} to undo on the central store", central_state)
        conn.execute(update(LINES).where(LINES.c.id == line).values(scanned=LINES.c.scanned - units))
    elif ev.kind == "verify_reset":
        conn.execute(update(LINES).where(LINES.c.order_id == oid).values(scanned=0))
        conn.execute(update(ORDERS).where(ORDERS.c.id == oid).values(verifier=None))


def _values(ev: Row[Any]) -> dict[str, Any]:
    return {k: v for k, v in ev._mapping.items() if k != "id"}


def _replay(central: Engine, ev: Row[Any], expected: str, local_order: Row[Any] | None,
            blocked: bool) -> bool:
    """Replay one event in one central transaction; False when it was already there."""
    p = json.loads(ev.payload)
    with write_tx(central) as conn:
        if ev.order_id is None or not (_is_move(p) or ev.kind in COUNTS):
            return _insert_once(conn, _values(ev)) is not None
        row = _lock(conn, ORDERS, ev.order_id)
        if row is None:
            raise _Conflict("order is not on the central store", "")
        if blocked:
            raise _Conflict("an earlier event of this order was a conflict", row.state)
        if row.state != expected:
            raise _Conflict(f"order is {row.state} on the central store, was {expected} here",
                            row.state)
        event_id = _insert_once(conn, _values(ev))
        if event_id is None:
            return False
        _apply(conn, ev, p, local_order, row.state)
        if ev.kind == "item_scanned":  # the event trigger leaves counts to whoever makes them
            ring(conn, Change(ev.kind, ev.order_id, event_id, ev.station))
        return True


def _record_conflict(central: Engine, ev: Row[Any], expected: str, conflict: _Conflict) -> bool:
    payload = {"event_uuid": ev.uuid, "event_kind": ev.kind, "reason": conflict.reason,
               "expected_state": expected, "central_state": conflict.central_state,
               "event_payload": json.loads(ev.payload), "event_at": ev.at.isoformat()}
    with write_tx(central) as conn:
        order_id = ev.order_id
        if order_id is not None and _lock(conn, ORDERS, order_id) is None:
            order_id = None
        return None is not _insert_once(conn, {
            "uuid": conflict_uuid(ev.uuid), "order_id": order_id, "station": ev.station,
            "operator": ev.operator, "kind": "sync_conflict",
            "payload": json.dumps(payload, ensure_ascii=False), "at": now(),
        })


def sync(local: Engine, central: Engine) -> SyncReport:
    """Replay the journal's events that the central store lacks (each keeps its own station,
    operator and time); see the module docstring."""
    report = SyncReport()
    with read_tx(local) as conn:
        events = list(conn.execute(select(EVENTS).order_by(EVENTS.c.id)).all())
        orders = {r.id: r for r in conn.execute(select(ORDERS))}
    expected = _expected_states(events, {oid: r.state for oid, r in orders.items()})
    uuids = [ev.uuid for ev in events]
    present = _on_central(central, uuids + [conflict_uuid(u) for u in uuids])
    blocked: dict[int, bool] = defaultdict(bool)
    for ev in events:
        if ev.uuid in present or conflict_uuid(ev.uuid) in present:
            report.skipped += 1
            if conflict_uuid(ev.uuid) in present and ev.order_id is not None:
                blocked[ev.order_id] = True
            continue
        state = expected.get(ev.uuid, "")
        local_order = orders.get(ev.order_id) if ev.order_id is not None else None
        try:
            if _replay(central, ev, state, local_order, blocked[ev.order_id or 0]):
                report.replayed += 1
            else:
                report.skipped += 1
        except _Conflict as conflict:
            if ev.order_id is not None:
                blocked[ev.order_id] = True
            _record_conflict(central, ev, state, conflict)
            order_no = local_order.order_no if local_order is not None else ""
            report.conflicts.append(SyncConflict(ev.order_id, order_no, ev.uuid, ev.kind,
                                                 conflict.reason))
    report.slips_moved = _move_slips(local, central, {oid for oid, b in blocked.items() if b})
    return report


def _move_slips(local: Engine, central: Engine, blocked: set[int]) -> int:
    """Slips queued in the journal and not printed yet go to the central queue, after their
    order's events (a station back online prints from there). Each is first claimed in the
    journal (``queued`` → ``moving``, so the journal's own printer loop cannot send it too),
    then queued centrally, then marked ``moved``; a stop in between moves it again on the next
    sync: a slip printed twice at most, never one lost. Slips of an order whose events
    conflicted are kept out (state ``conflict``): the desk decides."""
    movable = or_(PRINT_JOBS.c.state.in_(("queued", "moving")),
                  and_(PRINT_JOBS.c.state == "sending",  # a send cut off by a crash offline
                       PRINT_JOBS.c.claimed_at < now() - timedelta(seconds=STALE_S)))
    with read_tx(local) as conn:
        jobs = conn.execute(select(PRINT_JOBS).where(movable).order_by(PRINT_JOBS.c.id)).all()
    moved = 0
    for job in jobs:
        blocked_job = job.order_id in blocked
        with write_tx(local) as conn:
            claimed = conn.execute(update(PRINT_JOBS).where(PRINT_JOBS.c.id == job.id, movable)
                                   .values(state="conflict" if blocked_job else "moving")).rowcount
        if not claimed or blocked_job:
            continue
        try:
            with write_tx(central) as conn:
                conn.execute(PRINT_JOBS.insert().values(
                    kind=job.kind, order_id=job.order_id, printer=job.printer,
                    payload=job.payload, state="queued", attempts=job.attempts,
                    last_error=job.last_error, created_at=job.created_at, station=job.station))
        except IntegrityError as exc:  # the central store refuses this one: the desk decides
            log.warning("slip %s of order %s not moved to the central queue: %s", job.id,
                        job.order_id, str(exc.orig).splitlines()[0][:200])
            with write_tx(local) as conn:
                conn.execute(update(PRINT_JOBS).where(PRINT_JOBS.c.id == job.id)
                             .values(state="conflict", last_error=str(exc.orig)[:300]))
            continue
        with write_tx(local) as conn:
            conn.execute(update(PRINT_JOBS).where(PRINT_JOBS.c.id == job.id).values(state="moved"))
        moved += 1
    return moved
