"""The station's local journal: a SQLite file with the store's schema and a copy of its work.

The copy is what a station needs to keep scanning through an outage: the catalog (SKUs and
barcodes), couriers, operators, and the orders in hand with their lines, basket and events. It
is taken (and refreshed after every committed scan of a held order) while the central store
answers; the events the station writes while offline are what ``sync`` replays later.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, and_, delete, or_, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from db.engine import StoreError, make_engine, read_tx
from pickpack.core.operators import SECRET_COLUMNS
from pickpack.core.tables import BARCODES, BASKETS, COURIERS, EVENTS, LINES, OPERATORS, ORDERS, SKUS

log = logging.getLogger(__name__)

CATALOG: tuple[tuple[Table, tuple[str, ...]], ...] = (
    (SKUS, ("sku",)), (BARCODES, ("code",)), (COURIERS, ("code",)), (OPERATORS, ("code",)),
)


def open_journal(path: str | Path) -> Engine:
    """The journal file at ``path``, created or migrated by the store's own migrations (the
    station makes its own journal: a missing file is created, not refused as a store would be;
    an existing one is backed up before a migration, it may hold events not synced yet)."""
    from db.migrate import backup_sqlite, current_revision, head_revision, known_revisions, upgrade

    engine = make_engine(f"sqlite:///{Path(path)}")
    current = current_revision(engine)
    if current == head_revision():
        return engine
    if current is not None and current not in known_revisions():
        raise StoreError(f"journal {path} schema {current} is newer than this PickPack knows; "
                         "upgrade PickPack")
    if current is not None:
        backup_sqlite(engine)
    upgrade(engine)
    return engine


@lru_cache(maxsize=16)
def _upsert_statement(table: Table, keys: tuple[str, ...]) -> Any:
    """INSERT … ON CONFLICT (keys) DO UPDATE of every other column; built once per table (its
    construction, not its execution, was most of a journal copy's time)."""
    stmt = sqlite_insert(table)
    columns = [c.name for c in table.columns if c.name not in keys]
    return stmt.on_conflict_do_update(index_elements=list(keys),
                                      set_={c: stmt.excluded[c] for c in columns})


def _upsert(conn: Connection, table: Table, rows: Sequence[dict[str, Any]], keys: tuple[str, ...]
            ) -> None:
    if not rows:
        return
    stmt = _upsert_statement(table, keys)
    for start in range(0, len(rows), 500):
        conn.execute(stmt, list(rows[start:start + 500]))


def _rows(conn: Connection, query: Any) -> list[dict[str, Any]]:
    return [dict(r._mapping) for r in conn.execute(query)]


OVERLAP = 20
"""Events re-read before the last one copied: on PostgreSQL an event's id is taken at insert,
so one written in a transaction that commits later can land below the last id seen. The overlap
is deduplicated by UUID; a full copy (``since`` None) is taken at start and on every return."""


@contextmanager
def _copy_tx(local: Engine) -> Iterator[Connection]:
    """A write transaction for the copy of central data, committed without an fsync.

    The copy is a cache: the central store has it all, and the station re-takes it after a
    restart. In WAL mode ``synchronous=NORMAL`` keeps the file consistent through a power cut
    and makes the commit durable at the next checkpoint or FULL commit. The station's own
    events (written offline) never go through here: they keep ``synchronous=FULL``.
    """
    with local.connect() as conn:
        driver = conn.connection.driver_connection
        assert driver is not None
        driver.execute("PRAGMA synchronous=NORMAL")
        try:
            with conn.begin():
                yield conn
        finally:
            try:
                driver.execute("PRAGMA synchronous=FULL")
            except sqlite3.Error:
                # never back to the pool with NORMAL, where offline events would use it
                log.exception("journal connection could not be set back to synchronous=FULL")
                conn.invalidate()


@dataclass
class Copy:
    """Rows read from the central store for the journal (see :func:`read_copy`)."""

    ids: list[int]
    catalog: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    orders: list[dict[str, Any]] = field(default_factory=list)
    lines: list[dict[str, Any]] = field(default_factory=list)
    baskets: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    last_event: dict[int, int] = field(default_factory=dict)
    """Per order copied, the id of the last central event copied (``since`` next time)."""


def read_copy(src: Connection, order_ids: Iterable[int], *, catalog: bool = True,
              since: Mapping[int, int] | None = None) -> Copy:
    """Read ``order_ids`` (with lines, baskets and events) and, unless ``catalog=False``, the
    catalog, couriers and operators, on a connection to the central store.

    ``since`` maps an order to the id of the last central event already copied: only later
    events (less ``OVERLAP``) are read again.
    """
    ids = sorted(set(order_ids))
    since = since or {}
    out = Copy(ids)
    if catalog:
        out.catalog = {t.name: _rows(src, select(*(c for c in t.columns
                                                   if c.name not in SECRET_COLUMNS)))
                       for t, _ in CATALOG}  # never a PIN hash in a journal
    if not ids:
        return out
    out.orders = _rows(src, select(ORDERS).where(ORDERS.c.id.in_(ids)))
    out.lines = _rows(src, select(LINES).where(LINES.c.order_id.in_(ids)))
    out.baskets = _rows(src, select(BASKETS).where(BASKETS.c.order_id.in_(ids)))
    which = [and_(EVENTS.c.order_id == oid, EVENTS.c.id > since.get(oid, 0) - OVERLAP)
             for oid in ids]
    out.events = _rows(src, select(EVENTS).where(or_(*which)).order_by(EVENTS.c.id))
    out.last_event = {o["id"]: since.get(o["id"], 0) for o in out.orders}
    for ev in out.events:  # local ids of their own; the UUID is the identity
        oid = ev["order_id"]
        out.last_event[oid] = max(out.last_event.get(oid, 0), ev.pop("id"))
    return out


def write_copy(local: Engine, copy: Copy) -> dict[int, int]:
    """Write what :func:`read_copy` read into the journal, replacing the local copy of its
    orders; returns ``copy.last_event``."""
    with _copy_tx(local) as dst:
        for table, keys in CATALOG:
            _upsert(dst, table, copy.catalog.get(table.name, []), keys)
        _upsert(dst, ORDERS, copy.orders, ("id",))
        if copy.ids:
            dst.execute(delete(LINES).where(LINES.c.order_id.in_(copy.ids)))
            dst.execute(BASKETS.update().where(BASKETS.c.order_id.in_(copy.ids))
                        .values(order_id=None))
        if copy.lines:
            dst.execute(LINES.insert(), copy.lines)
        _upsert(dst, BASKETS, copy.baskets, ("code",))
        if copy.events:
            dst.execute(sqlite_insert(EVENTS).on_conflict_do_nothing(index_elements=["uuid"]),
                        copy.events)
    return copy.last_event


def snapshot(central: Engine, local: Engine, order_ids: Iterable[int], *, catalog: bool = True,
             since: Mapping[int, int] | None = None) -> dict[int, int]:
    """Copy ``order_ids`` and, unless ``catalog=False``, the catalog from ``central`` into the
    journal, in a read transaction of its own (see :func:`read_copy`, :func:`write_copy`).

    Only while online and after the journal's own events were synced: the local copy of an
    order is replaced by the central one. Returns the last central event id per order copied.
    """
    with read_tx(central) as src:
        copy = read_copy(src, order_ids, catalog=catalog, since=since)
    return write_copy(local, copy)


def journal_has_copy(path: str | Path) -> bool:
    """The journal at ``path`` holds a copy a station can start from (operators at least, so
    someone can log in); read only, the file is not created nor migrated here."""
    try:
        db = sqlite3.connect(f"file:{Path(path)}?mode=ro", uri=True, timeout=5)
    except sqlite3.Error:
        return False
    try:
        return db.execute("SELECT 1 FROM operator LIMIT 1").fetchone() is not None
    except sqlite3.Error:  # no such table: a journal never filled
        return False
    finally:
        db.close()
