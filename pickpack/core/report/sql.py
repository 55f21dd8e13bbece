"""The few expressions whose SQL differs between SQLite and PostgreSQL, for reports that let
the store count a day's trail instead of reading it row by row."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Float, Integer, cast, func
from sqlalchemy.dialects.postgresql import JSONB

from pickpack.core.tables import EVENTS


def on_sqlite(conn: Connection) -> bool:
    return conn.dialect.name == "sqlite"


def utc_minute(conn: Connection) -> Any:
    """The event's UTC minute as text ``YYYY-MM-DD HH:MM``. SQLite keeps a time as UTC text
    ``YYYY-MM-DD HH:MM:SS.ffffff``: its first 16 characters (strftime took 0.2 s more a day)."""
    if on_sqlite(conn):
        return func.substr(EVENTS.c.at, 1, 16)
    return func.to_char(func.timezone("UTC", EVENTS.c.at), "YYYY-MM-DD HH24:MI")


def payload_int(conn: Connection, key: str) -> Any:
    """An integer field of the event's JSON payload (NULL where it has none)."""
    if on_sqlite(conn):
        return cast(func.json_extract(EVENTS.c.payload, f"$.{key}"), Integer)
    return cast(cast(EVENTS.c.payload, JSONB)[key].astext, Integer)


def payload_number(conn: Connection, key: str) -> Any:
    """A numeric field of the event's JSON payload as a float (NULL where it has none)."""
    if on_sqlite(conn):
        return cast(func.json_extract(EVENTS.c.payload, f"$.{key}"), Float)
    return cast(cast(EVENTS.c.payload, JSONB)[key].astext, Float)
