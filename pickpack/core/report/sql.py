"""The few expressions whose SQL differs between SQLite and PostgreSQL, for reports that let
the store count a day's trail instead of reading it row by row."""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, Connection, Float, Integer, cast, func
from sqlalchemy.dialects.postgresql import JSONB

from pickpack.core.tables import EVENTS


def on_sqlite(conn: Connection) -> bool:
    return conn.dialect.name == "sqlite"


def utc_minute(conn: Connection) -> Any:
    """The event's UTC minute (SQLite: text ``YYYY-MM-DD HH:MM``). SQLite keeps a time as UTC text
    ``YYYY-MM-DD HH:MM:SS.ffffff``: its first 16 characters (strftime took 0.2 s more a day)."""
    if on_sqlite(conn):
        return func.substr(EVENTS.c.at, 1, 16)
    # PostgreSQL: the UTC time cut to the minute (grouping by to_char's text sorted 200,000
    # rows by text: 2.6 s a day against 0.4 s); utc_hour_of makes the text of its hour
    return func.date_trunc("minute", func.timezone("UTC", EVENTS.c.at))


def utc_hour_of(conn: Connection, minute: Any) -> Any:
    """The UTC hour ``YYYY-MM-DD HH`` of a :func:`utc_minute`."""
    if on_sqlite(conn):
        return func.substr(minute, 1, 13)
    return func.to_char(minute, "YYYY-MM-DD HH24")


def grouped(conn: Connection, column: Any) -> Any:
    """A text column to group by: on PostgreSQL in the ``C`` collation (equal is equal in
    every collation the store uses; comparing bytes sorts a day's events much faster)."""
    return column if on_sqlite(conn) else column.collate("C")


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


def micros_between(conn: Connection, earlier: Any, later: Any) -> Any:
    """Whole microseconds from ``earlier`` to ``later``, exact (no float day fractions: a
    pause of exactly ten minutes is ten minutes). SQLite's times are UTC text
    ``YYYY-MM-DD HH:MM:SS.ffffff``: the whole seconds by ``strftime('%s')`` of the first 19
    characters (given the fraction, SQLite rounds to milliseconds: ``09.999999`` is 10 s), the
    fraction read as text."""
    if on_sqlite(conn):
        def micros(at: Any) -> Any:
            return cast(func.strftime("%s", func.substr(at, 1, 19)), Integer) * 1_000_000 \
                + cast(func.substr(at, 21, 6), Integer)
        return micros(later) - micros(earlier)
    return cast(func.extract("epoch", later - earlier) * 1_000_000, BigInteger)
