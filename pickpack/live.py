"""Live views: other stations and the desk see a change without a key press.

On PostgreSQL a trigger (migration 0002) sends ``NOTIFY pickpack_events`` with the event's id,
order id and kind when the inserting transaction commits; :class:`LiveFeed` LISTENs on a
connection of its own. Item counts, the floor's most frequent event, are left out of the trigger
(migration 0005): the count function notifies when another station has the order open for
verify, and the offline sync rings (:func:`ring`) for the counts it replays. On SQLite there is
no notification, so the feed polls the event table's highest id (writers are serialised there,
so ids arrive in commit order).

``wait()`` blocks; the station app calls it from a thread worker and posts the changes back as a
message. When the PostgreSQL connection drops, notifications sent meanwhile are lost: the feed
reconnects and hands out one ``Change(kind="resync")`` so the view reloads everything.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, func, select, text

from db.engine import is_sqlite
from pickpack.core.tables import EVENTS

log = logging.getLogger(__name__)
CHANNEL = "pickpack_events"
POLL_S = 0.25
RESYNC = "resync"


@dataclass(frozen=True, slots=True)
class Change:
    """One event another station (or this one) committed; ``kind="resync"``: reload all."""

    kind: str
    order_id: int | None = None
    event_id: int | None = None
    station: str = ""


def ring(conn: Connection, change: Change) -> None:
    """Notify the live views of an event the trigger leaves alone (an item count: migration
    0005), when ``conn``'s transaction commits; SQLite's feed polls and needs nothing."""
    if conn.dialect.name == "sqlite":
        return
    conn.execute(_RING, {"channel": CHANNEL, "id": change.event_id, "order_id": change.order_id,
                         "kind": change.kind, "station": change.station})


_RING = text(
    "SELECT pg_notify(:channel, json_build_object('schema', current_schema(), 'id', "
    "CAST(:id AS integer), 'order_id', CAST(:order_id AS integer), 'kind', CAST(:kind AS text), "
    "'station', CAST(:station AS text))::text)"
)


Follower = Callable[[list["Change"]], None]
_FOLLOWERS: list[tuple[Engine, Follower]] = []
_FOLLOWERS_LOCK = threading.Lock()


def follow(engine: Engine, callback: Follower) -> Callable[[], None]:
    """Also hand every batch of changes a :class:`LiveFeed` on ``engine`` reads to ``callback``
    (in the feed's thread): how a station's journal copy follows the store without the screen
    knowing. Returns the call that stops it."""
    entry = (engine, callback)
    with _FOLLOWERS_LOCK:
        _FOLLOWERS.append(entry)

    def stop() -> None:
        with _FOLLOWERS_LOCK:
            if entry in _FOLLOWERS:
                _FOLLOWERS.remove(entry)
    return stop


def _tell_followers(engine: Engine, changes: list[Change]) -> None:
    with _FOLLOWERS_LOCK:
        callbacks = [cb for eng, cb in _FOLLOWERS if eng is engine]
    for callback in callbacks:
        try:
            callback(changes)
        except Exception:  # a follower's fault never stops the feed; it is logged
            log.exception("a live-feed follower failed")


class LiveFeed:
    """Changes committed to the store, as they happen. Not thread-safe: one reader thread."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._closed = threading.Event()
        self._conn: Any = None  # psycopg.Connection while listening on PostgreSQL
        self._schema = ""
        self._last_id = 0
        if is_sqlite(engine):
            self._last_id = self._max_id()
        else:
            self._listen()

    # -- public -------------------------------------------------------------------------
    def wait(self, timeout: float) -> list[Change]:
        """Changes committed since the last call, waiting up to ``timeout`` s for the first."""
        if self._closed.is_set():
            return []
        changes = self._poll(timeout) if is_sqlite(self.engine) else self._notifications(timeout)
        if changes:
            _tell_followers(self.engine, changes)
        return changes

    def close(self) -> None:
        """Stop listening; a ``wait()`` in another thread returns within its poll interval."""
        self._closed.set()
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.close()

    def __enter__(self) -> LiveFeed:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- SQLite -------------------------------------------------------------------------
    def _max_id(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.coalesce(func.max(EVENTS.c.id), 0))).scalar_one())

    def _poll(self, timeout: float) -> list[Change]:
        deadline = time.monotonic() + timeout
        while True:
            with self.engine.connect() as conn:
                rows = conn.execute(
                    select(EVENTS.c.id, EVENTS.c.order_id, EVENTS.c.kind, EVENTS.c.station)
                    .where(EVENTS.c.id > self._last_id).order_by(EVENTS.c.id)
                ).all()
            if rows:
                self._last_id = rows[-1].id
                return [Change(r.kind, r.order_id, r.id, r.station) for r in rows]
            left = deadline - time.monotonic()
            if left <= 0 or self._closed.wait(min(POLL_S, left)):
                return []

    # -- PostgreSQL ---------------------------------------------------------------------
    def _listen(self) -> None:
        raw = self.engine.raw_connection()
        conn = raw.driver_connection
        assert conn is not None
        raw.detach()  # ours for good: it leaves the pool, which opens another when needed
        conn.rollback()
        conn.autocommit = True
        self._schema = str(conn.execute("SELECT current_schema()").fetchone()[0])
        conn.execute(f"LISTEN {CHANNEL}")
        self._conn = conn

    def _notifications(self, timeout: float) -> list[Change]:
        import psycopg

        if self._conn is None:
            return self._reconnect(timeout)
        changes: list[Change] = []
        deadline = time.monotonic() + timeout
        try:
            while not changes and not self._closed.is_set():
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                # Short slices so close() from another thread is seen quickly.
                notes = list(self._conn.notifies(timeout=min(left, 1.0), stop_after=1))
                if notes:
                    notes += self._conn.notifies(timeout=0)  # drain what already arrived
                changes += [c for c in map(self._parse, (n.payload for n in notes)) if c]
        except psycopg.OperationalError:
            if self._closed.is_set():
                return changes
            self._drop()
            return changes + self._reconnect(deadline - time.monotonic())
        return changes

    def _parse(self, payload: str) -> Change | None:
        data = json.loads(payload)
        if data.get("schema") != self._schema:
            return None
        return Change(data["kind"], data.get("order_id"), data.get("id"), data.get("station", ""))

    def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.close()

    def _reconnect(self, timeout: float) -> list[Change]:
        import psycopg
        from sqlalchemy.exc import OperationalError

        deadline = time.monotonic() + max(timeout, 0)
        while not self._closed.is_set():
            try:
                self._listen()
                return [Change(RESYNC)]
            except (OperationalError, psycopg.OperationalError):
                left = deadline - time.monotonic()
                if left <= 0 or self._closed.wait(min(1.0, left)):
                    return []
        return []
