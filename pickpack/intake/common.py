"""Small helpers shared by the importers: the time, event rows, tables."""

from __future__ import annotations

import json
import operator
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Engine, Table, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError

from db.engine import BUSY_TIMEOUT_MS, StoreError, write_tx
from db.models import metadata
from pickpack.i18n import N_
from pickpack.intake.result import RowError

ORDERS: Table = metadata.tables["orders"]
ORDER_LINE: Table = metadata.tables["order_line"]
EVENT: Table = metadata.tables["event"]
SKU: Table = metadata.tables["sku"]
BARCODE: Table = metadata.tables["barcode"]
COMPONENT: Table = metadata.tables["sku_component"]
COURIER: Table = metadata.tables["courier"]
WAYBILL: Table = metadata.tables["waybill"]
BATCH = 1000
IMPORT_LOCK = 0x696D7074
"""``"impt"``: the PostgreSQL advisory lock (with the schema's hash) that makes imports take turns."""
IMPORT_WAIT_S = 600
"""How long an import waits on SQLite for another writer (an import, a station) to finish."""
_VARIANT = {c: "89ab"[int(c, 16) & 3] for c in "0123456789abcdef"}
_json = json.JSONEncoder(ensure_ascii=False).encode


def utcnow() -> datetime:
    """Now, aware UTC: the store's datetime columns (sqlmodel UTCDateTime) refuse naive times."""
    return datetime.now(UTC)


@contextmanager
def big_cache(conn: Connection, kib: int = 65536) -> Iterator[None]:
    """A larger SQLite page cache while a big import runs (index inserts stay in memory)."""
    if conn.dialect.name != "sqlite":
        yield
        return
    old = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    conn.exec_driver_sql(f"PRAGMA cache_size=-{int(kib)}")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size={int(old or -2000)}")


@contextmanager
def import_tx(engine: Engine) -> Iterator[Connection]:
    """One import's write transaction; concurrent imports of one store take turns.

    Every import reads what the store already holds (orders, SKUs, tracking numbers) and inserts
    the rest, so two imports of the same rows at once must not both see them missing. On
    PostgreSQL a transaction-scoped advisory lock (keyed by the schema too) is taken first; the
    reads after it see what the previous import committed. On SQLite ``BEGIN IMMEDIATE`` already
    serialises writers; the import waits up to IMPORT_WAIT_S for the lock, not the stations'
    short busy timeout, and a lock still held after that is one line (StoreError).
    """
    if engine.dialect.name != "sqlite":
        with write_tx(engine) as conn:
            conn.execute(text("SELECT pg_advisory_xact_lock(:k, hashtext(current_schema()))"),
                         {"k": IMPORT_LOCK})
            yield conn
        return
    with engine.connect() as conn:
        raw = conn.connection.driver_connection
        assert raw is not None
        raw.execute(f"PRAGMA busy_timeout={IMPORT_WAIT_S * 1000}")
        try:
            try:
                trans = conn.begin()
            except (sqlite3.OperationalError, OperationalError) as exc:
                raise StoreError(N_("the store stayed locked by another writer for {seconds} s; "
                                    "nothing imported ({cause})"), seconds=IMPORT_WAIT_S,
                                 cause=exc) from exc
            with trans:
                yield conn
        finally:
            raw.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")


def _is_datetime(table: Table, key: str) -> bool:
    t = table.c[key].type
    return isinstance(t, DateTime) or isinstance(getattr(t, "impl", None), DateTime)


def bulk_insert(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Core ``insert()`` executemany; on SQLite straight to the driver's executemany.

    SQLAlchemy's per-row parameter processing costs more than SQLite's insert itself, so on
    SQLite the compiled statement gets tuples, datetimes written as SQLAlchemy stores them
    (UTC, ``YYYY-MM-DD HH:MM:SS.ffffff``). Other databases take the ordinary path.
    """
    if not rows:
        return
    if conn.dialect.name != "sqlite":
        conn.execute(table.insert(), rows)
        return
    keys = list(rows[0])
    compiled = table.insert().compile(dialect=conn.dialect, column_keys=keys)
    names = compiled.positiontup or []
    dt_keys = [k for k in keys if _is_datetime(table, k)]
    seen: dict[datetime, str] = {}
    for r in rows:
        for k in dt_keys:
            v = r[k]
            if v is not None:
                text = seen.get(v)
                if text is None:
                    u = v if v.tzinfo is UTC else v.astimezone(UTC)
                    text = seen[v] = u.isoformat(" ", "microseconds")[:26]
                r[k] = text
    get = operator.itemgetter(*names)
    params = [get(r) for r in rows] if len(names) > 1 else [(get(r),) for r in rows]
    conn.exec_driver_sql(str(compiled), params)


def uuid4_hex() -> str:
    """A random (version 4) UUID as 32 hex digits, like ``uuid.uuid4().hex``, cheaper."""
    h = os.urandom(16).hex()
    return f"{h[:12]}4{h[13:16]}{_VARIANT[h[16]]}{h[17:]}"


def event_row(order_id: int | None, kind: str, payload: dict[str, Any], *, station: str,
              operator: str, at: datetime) -> dict[str, Any]:
    """A row for the event table (client-made UUID, JSON payload keeping Chinese readable)."""
    return {
        "uuid": uuid4_hex(), "order_id": order_id, "station": station[:16],
        "operator": operator[:32], "kind": kind, "at": at,
        "payload": _json(payload),
    }


def record_rejected(conn: Connection, errors: list[RowError], *, station: str,
                    operator: str) -> None:
    """One ``import_rejected`` event per refused row (``--skip-bad``)."""
    if not errors:
        return
    at = utcnow()
    rows = [event_row(None, "import_rejected",
                      {"file": e.file, "row": e.row, "field": e.field, "message": e.message},
                      station=station, operator=operator, at=at) for e in errors]
    for i in range(0, len(rows), BATCH):
        bulk_insert(conn, EVENT, rows[i:i + BATCH])
