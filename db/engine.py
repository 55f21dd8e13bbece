"""Engine and transactions for SQLite (the embedded default) and PostgreSQL.

The engine is made by a function and injected, never built at import. SQLite runs in WAL mode
with ``synchronous=FULL`` (a scan confirmed to the operator survives a power cut), a busy
timeout, and write transactions that take the lock up front (``BEGIN IMMEDIATE``).

PostgreSQL passwords come from ``PICKPACK_DB_PASSWORD`` (or libpq's own ``~/.pgpass`` /
``PGPASSFILE``), never from the URL in config.toml: a URL that carries one is refused, and every
URL shown to a person goes through :func:`redacted`. A station keeps a small pool (pre-pinged, so
a connection the server dropped is replaced rather than handed to a scan), a short connect
timeout and TCP keepalives, so a store that went away is noticed in seconds, not hung on.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, DisconnectionError
from sqlalchemy.pool import ConnectionPoolEntry

BUSY_TIMEOUT_MS = 5000
PASSWORD_ENV = "PICKPACK_DB_PASSWORD"
T = TypeVar("T")
PING_IDLE_S = 1.0
"""A pooled PostgreSQL connection idle this long is pinged before use."""


NOT_A_DATABASE = "store {where} is not a SQLite database ({cause}): restore it from a backup " \
    "or point [store] url at the right file"
"""A file at the store's path that SQLite cannot read: damaged, or another kind of file."""
UNREACHABLE = "store {where} unreachable: {cause}"
NO_FOLDER = "store {where}: the folder {folder} does not exist: create it or fix [store] url"


class StoreError(Exception):
    """The store is unreachable, has the wrong schema, or refused a write. Made with
    ``values``, the message is a template the CLI can say in the station's language
    (``template`` and ``values`` kept for it)."""

    def __init__(self, message: str, **values: object) -> None:
        self.template = message
        self.values = values
        super().__init__(message.format(**values) if values else message)


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def make_engine(
    url: str, *, pool_size: int = 3, connect_timeout_s: float = 3.0, allow_password: bool = False
) -> Engine:
    """Build an engine for a store URL (``sqlite:///file.db`` or ``postgresql+psycopg://…``).

    A PostgreSQL URL with a password is refused (``allow_password`` is for code that built the
    URL itself, never for config.toml); the password comes from ``PICKPACK_DB_PASSWORD``.
    """
    try:
        u = make_url(url)
        u.port  # noqa: B018 - a port that is not a number fails here, not at the first connect
    except ArgumentError:
        raise StoreError("bad store URL {url}", url=repr(redacted(url))) from None
    except ValueError:  # SQLAlchemy's int() of the port
        raise StoreError("bad store URL {url}: its port is not a number",
                         url=repr(redacted(url))) from None
    if u.get_backend_name() == "sqlite":
        folder = _missing_folder(u.database)
        if folder:
            raise StoreError(NO_FOLDER, where=u.database, folder=folder)
        engine = create_engine(u, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        _tune_sqlite(engine)
        return engine
    if u.get_backend_name() == "postgresql":
        secret = [k for k in u.query if "password" in k.lower()]
        if (u.password is not None or secret) and not allow_password:
            where = f"?{secret[0]}=" if secret else "user:password@"
            raise StoreError(
                "store URL {url} carries a password ({where}…): remove it from "
                "config.toml and set {env} (or use ~/.pgpass; passfile= is fine)",
                url=redacted(url), where=where, env=PASSWORD_ENV,
            )
        password = os.environ.get(PASSWORD_ENV)
        if password:
            u = u.set(password=password)
        timeout = max(2, round(connect_timeout_s))  # libpq treats anything below 2 s as 2 s
        engine = create_engine(
            u,
            pool_size=pool_size,
            max_overflow=2,
            pool_timeout=timeout,
            pool_recycle=1800,
            hide_parameters=True,
            connect_args={
                "connect_timeout": timeout,
                "application_name": "pickpack",
                # A dead server or a cut cable is noticed in ~timeout+10 s, not after 2 hours.
                "keepalives": 1,
                "keepalives_idle": 5,
                "keepalives_interval": 2,
                "keepalives_count": 3,
                "tcp_user_timeout": timeout * 1000 + 5000,
            },
        )
        _ping_idle_connections(engine)
        return engine
    raise StoreError("unsupported store URL scheme: {scheme}", scheme=u.drivername)


def _missing_folder(database: str | None) -> str:
    """The folder a SQLite file path names when that folder is not there (SQLite would only say
    "unable to open database file", and `db upgrade` could not make the store either)."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return ""
    folder = os.path.dirname(os.path.abspath(database))
    return "" if os.path.isdir(folder) else folder


def _ping_idle_connections(engine: Engine) -> None:
    """Pre-ping a pooled connection that sat idle for PING_IDLE_S or more before handing it out
    (a dead one is replaced, not given to a scan). SQLAlchemy's ``pool_pre_ping`` pings on every
    checkout: a round trip per scan (~15 % of a scan's time), for connections used milliseconds
    ago. A connection that dies within that window fails its scan as a disconnect: the pool is
    invalidated and the station shows "scan again" (or goes offline)."""

    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_conn: Any, record: ConnectionPoolEntry) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_conn: Any, record: ConnectionPoolEntry, _proxy: Any) -> None:
        idle_since = record.info.get("idle_since")
        if idle_since is None or time.monotonic() - idle_since < PING_IDLE_S:
            return
        try:
            alive = engine.dialect.do_ping(dbapi_conn)
        except engine.dialect.loaded_dbapi.Error:
            alive = False
        if not alive:
            raise DisconnectionError("pooled connection lost; reconnecting")


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: ConnectionPoolEntry) -> None:
        # Let SQLAlchemy's begin event issue BEGIN itself (pysqlite's own is deferred).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        try:
            cur.execute("PRAGMA journal_mode=WAL")
        except sqlite3.DatabaseError as exc:  # the first read of the file: not a database
            cur.close()
            raise StoreError(NOT_A_DATABASE, where=engine.url.database or "?",
                             cause=str(exc).strip()) from exc
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "IMMEDIATE")
        # straight to the driver: this runs before every write, on the scan's hot path
        conn.connection.driver_connection.execute(f"BEGIN {mode}")  # type: ignore[union-attr]


@contextmanager
def write_tx(engine: Engine) -> Iterator[Connection]:
    """One write transaction (BEGIN IMMEDIATE on SQLite): commit on success, roll back on error."""
    with engine.begin() as conn:
        yield conn


class KeptConnection:
    """One PostgreSQL connection a station keeps while its scans come quickly, instead of a
    pool checkout and checkin around each (a third of a scan's client CPU on a busy server).
    It goes back to the pool once it has been idle for PING_IDLE_S, so a connection the server
    dropped is still pinged and replaced before a scan meets it; one that fails is dropped.
    Used by one thread at a time; a second thread meanwhile gets an ordinary pooled transaction.
    SQLite (a local file, no round trips) always takes the ordinary path."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._conn: Connection | None = None
        self._last_used = 0.0

    @contextmanager
    def write_tx(self, engine: Engine) -> Iterator[Connection]:
        if is_sqlite(engine) or not self._lock.acquire(blocking=False):
            with write_tx(engine) as conn:
                yield conn
            return
        try:
            conn = self._connection(engine, autocommit=False)
            try:
                with conn.begin():
                    yield conn
            finally:
                self._done(conn)
        finally:
            self._lock.release()

    def run_statement(self, engine: Engine, fn: Callable[[Connection], T]) -> T:
        """``fn(conn)`` for a change made by one self-contained statement: on PostgreSQL in
        autocommit (see :func:`one_statement`). The kept connection stays in autocommit until a
        transaction needs it (a verify station's run of counts does not switch it back and
        forth), and leaves it before it goes back to the pool. A plain call, not a context
        manager: it is a busy station's whole client-side path around a count."""
        if is_sqlite(engine) or not self._lock.acquire(blocking=False):
            with one_statement(engine) as conn:
                return fn(conn)
        try:
            conn = self._connection(engine, autocommit=True)
            try:
                return fn(conn)
            finally:
                if conn.in_transaction():
                    conn.rollback()  # SQLAlchemy's bookkeeping only: the driver has nothing open
                self._done(conn)
        finally:
            self._lock.release()

    def close(self) -> None:
        with self._lock:
            self._drop()

    def _connection(self, engine: Engine, *, autocommit: bool) -> Connection:
        conn = self._conn
        if conn is not None and (conn.engine is not engine or conn.invalidated or conn.closed
                                 or time.monotonic() - self._last_used >= PING_IDLE_S):
            self._drop()
            conn = None
        if conn is None:
            conn = self._conn = engine.connect()
        dbapi = conn.connection.driver_connection
        assert dbapi is not None, "the connection is closed"
        if dbapi.autocommit != autocommit:
            dbapi.autocommit = autocommit
        return conn

    def _done(self, conn: Connection) -> None:
        self._last_used = time.monotonic()
        if conn.invalidated or conn.closed:
            self._drop()

    def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is None:
            return
        dbapi = None if conn.invalidated or conn.closed else conn.connection.driver_connection
        if dbapi is not None and dbapi.autocommit:
            try:
                dbapi.autocommit = False  # the pool hands out connections that open transactions
            except conn.dialect.loaded_dbapi.Error as exc:
                conn.invalidate(exc)  # broken: not back to the pool, the pool opens another
        conn.close()


def fetch_one(conn: Connection, sql: str, params: tuple[Any, ...]) -> Any:
    """The first row of ``sql`` run on the DBAPI connection under ``conn`` (a named tuple, or
    None), for the one statement on a PostgreSQL scan's hot path: SQLAlchemy's per-statement
    machinery costs a busy station's client a third of its CPU there. The statement is prepared
    on the server; its cursor is made once per DBAPI connection and kept with it (in the pool
    entry's ``info``, which dies with the connection). A driver error comes out as SQLAlchemy's
    own ``DBAPIError`` (an ``OperationalError`` for a lost server) and a lost connection is
    invalidated, exactly as a statement run through ``conn`` would be, so the station's offline
    switch and the pool see no difference."""
    fairy = conn.connection
    dbapi = fairy.driver_connection
    cursor = fairy.info.get(_CURSOR)
    if cursor is None or cursor.closed or cursor.connection is not dbapi:
        assert dbapi is not None, "the connection is closed"
        from psycopg.rows import namedtuple_row

        cursor = fairy.info[_CURSOR] = dbapi.cursor(row_factory=namedtuple_row)
    try:
        return cursor.execute(sql, params, prepare=True).fetchone()
    except conn.dialect.loaded_dbapi.Error as exc:
        lost = conn.dialect.is_disconnect(exc, dbapi, None)
        if lost:
            conn.invalidate(exc)
        raise DBAPIError.instance(
            None, None, exc, conn.dialect.loaded_dbapi.Error, hide_parameters=True,
            connection_invalidated=lost, dialect=conn.dialect,
        ) from exc


_CURSOR = "pickpack_cursor"


@contextmanager
def one_statement(engine: Engine) -> Iterator[Connection]:
    """A connection for a change made by one self-contained statement (a server-side function
    that locks, checks and writes). On PostgreSQL it runs in autocommit: the statement is its own
    transaction, without the BEGIN and COMMIT round trips around it. SQLite (no round trips)
    gets an ordinary write transaction."""
    if is_sqlite(engine):
        with write_tx(engine) as conn:
            yield conn
        return
    with engine.connect() as conn, _autocommit(conn):
        yield conn


@contextmanager
def _autocommit(conn: Connection) -> Iterator[Connection]:
    """The driver connection in autocommit for the block, then back as it was. Anything run
    through SQLAlchemy meanwhile auto-begins its own bookkeeping; it is closed on the way out."""
    dbapi = conn.connection.driver_connection
    assert dbapi is not None, "the connection is closed"
    dbapi.autocommit = True
    try:
        yield conn
    finally:
        if conn.in_transaction():
            conn.rollback()  # SQLAlchemy's bookkeeping only: the driver has nothing open
        if not (conn.invalidated or conn.closed):
            try:
                dbapi.autocommit = False
            except conn.dialect.loaded_dbapi.Error as exc:
                conn.invalidate(exc)  # broken: not back to the pool, the pool opens another


@contextmanager
def read_tx(engine: Engine) -> Iterator[Connection]:
    """A read transaction (deferred on SQLite, so readers never take the write lock)."""
    with engine.connect() as conn:
        conn = conn.execution_options(sqlite_begin="DEFERRED")
        with conn.begin():
            yield conn


def redacted(url: str) -> str:
    """What a person is shown of a store URL: host, port and database only (a SQLite file's
    path), never the user, password or query string; also for unparseable URLs."""
    try:
        u = make_url(url)
    except (ArgumentError, ValueError):  # ValueError: a port that is not a number
        rest = url.partition("://")[2] or url
        rest = rest.rpartition("@")[2].split("?", 1)[0]
        host = rest.split("/", 1)[0]
        return f"{host}/…" if host else "(unreadable URL)"
    if u.get_backend_name() == "sqlite":
        return u.database or ":memory:"
    port = f":{u.port}" if u.port else ""
    return f"{u.host or 'localhost'}{port}/{u.database or ''}"
