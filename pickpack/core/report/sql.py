"""The few expressions whose SQL differs between SQLite and PostgreSQL, for reports that let
the store count a day's trail instead of reading it row by row."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Integer, cast, func
from sqlalchemy.dialects.postgresql import JSONB

from pickpack.core.tables import EVENTS


def on_sqlite(conn: Connection) -> bool:
    return conn.dialect.name == "sqlite"


def utc_hour(conn: Connection) -> Any:
    """The event's UTC hour as text ``YYYY-MM-DD HH``."""
    if on_sqlite(conn):
        return func.strftime("%Y-%m-%d %H", EVENTS.c.at)
    return func.to_char(func.timezone("UTC", EVENTS.c.at), "YYYY-MM-DD HH24")


def payload_int(conn: Connection, key: str) -> Any:
    """An integer field of the event's JSON payload (NULL where it has none)."""
    if on_sqlite(conn):
        return cast(func.json_extract(EVENTS.c.payload, f"$.{key}"), Integer)
    return cast(cast(EVENTS.c.payload, JSONB)[key].astext, Integer)


def seconds_since(conn: Connection, earlier: Any) -> Any:
    """Seconds from ``earlier`` to the event's time."""
    if on_sqlite(conn):
        return (func.julianday(EVENTS.c.at) - func.julianday(earlier)) * 86400.0
    return func.extract("epoch", EVENTS.c.at - earlier)
