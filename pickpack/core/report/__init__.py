"""The shift's reports, built from the event trail: productivity, shipped, weights, overrides
and holds, couriers. Each report is a list of :class:`Table` over a :class:`Span` of local days.

Machine names (``key``) head JSON and CSV; the human header (``head``) is translated where shown.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVar

from sqlalchemy import Connection, select

from pickpack.config import Config
from pickpack.core.reports import floor_tz
from pickpack.core.tables import EVENTS

T = TypeVar("T")
IN_CHUNK = 900
"""Ids per IN list (SQLite's parameter limit is 999)."""


@dataclass(frozen=True, slots=True)
class Span:
    """Local days ``first``..``last`` (both included) of the warehouse, as UTC bounds."""

    first: date
    last: date
    start: datetime
    end: datetime

    @property
    def label(self) -> str:
        return self.first.isoformat() if self.first == self.last else \
            f"{self.first.isoformat()}..{self.last.isoformat()}"


def day_span(cfg: Config, first: date, last: date | None = None) -> Span:
    """The UTC bounds of local days ``first``..``last`` in ``[floor] timezone``."""
    last = last or first
    if last < first:
        raise ValueError(f"--to {last.isoformat()} is before --from {first.isoformat()}")
    tz = floor_tz(cfg)
    start = datetime.combine(first, time(0), tz).astimezone(UTC)
    end = datetime.combine(last + timedelta(days=1), time(0), tz).astimezone(UTC)
    return Span(first, last, start, end)


def parse_day(text: str, what: str) -> date:
    """``YYYY-MM-DD``; anything else a ValueError naming the option."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{what}: {text!r} is not a day (YYYY-MM-DD)") from None


def span_of(cfg: Config, *, day: str | None = None, since: str | None = None,
            until: str | None = None, days: int | None = None, at: datetime | None = None) -> Span:
    """``--day D``, ``--from D [--to D]``, or ``--days N`` (the N local days up to today);
    today when none is given."""
    today = (at or datetime.now(UTC)).astimezone(floor_tz(cfg)).date()
    if day is not None:
        if since is not None or until is not None:
            raise ValueError("--day and --from/--to: give one or the other")
        return day_span(cfg, parse_day(day, "--day"))
    if since is not None or until is not None:
        first = parse_day(since, "--from") if since is not None else today
        return day_span(cfg, first, parse_day(until, "--to") if until is not None else today)
    if days is not None:
        if days < 1:
            raise ValueError(f"--days {days}: at least 1")
        return day_span(cfg, today - timedelta(days=days - 1), today)
    return day_span(cfg, today)


@dataclass(slots=True)
class Table:
    """One table of a report: ``columns`` are ``(key, head)``; ``rows`` dicts by key."""

    name: str
    title: str
    columns: Sequence[tuple[str, str]]
    rows: list[dict[str, Any]] = field(default_factory=list)

    def fields(self) -> list[str]:
        return [k for k, _h in self.columns]

    def as_json(self) -> list[dict[str, Any]]:
        return [{k: r.get(k) for k in self.fields()} for r in self.rows]


def events_of(conn: Connection, kinds: Sequence[str], span: Span) -> Iterator[Any]:
    """Events of ``kinds`` in ``span``, oldest first (the ``(kind, at)`` index answers)."""
    yield from conn.execute(
        select(EVENTS.c.id, EVENTS.c.order_id, EVENTS.c.station, EVENTS.c.operator,
               EVENTS.c.kind, EVENTS.c.payload, EVENTS.c.at)
        .where(EVENTS.c.kind.in_(tuple(kinds)), EVENTS.c.at >= span.start,
               EVENTS.c.at < span.end)
        .order_by(EVENTS.c.at, EVENTS.c.id))


def chunks(ids: Sequence[T]) -> Iterator[list[T]]:
    items = list(ids)
    for i in range(0, len(items), IN_CHUNK):
        yield items[i:i + IN_CHUNK]


def quantile(values: Sequence[float], q: float) -> float:
    """The ``q`` quantile (linear between the two nearest ranks); 0 of nothing."""
    if not values:
        return 0.0
    s = sorted(values)
    pos = (len(s) - 1) * q
    lo = int(pos)
    hi = min(lo + 1, len(s) - 1)
    return round(s[lo] + (s[hi] - s[lo]) * (pos - lo), 1)

