"""Throughput per hour of today against the day's target, from the events only.

Three series, each counted by the store in one grouped query over today's events (the
``kind, at`` index): scans (the events a scan records, as the productivity report counts
them), orders verified (``verified``) and parcels handed over (``shipped``: the manifest closed
and the courier took it). The day's target is what today's board (pickpack.core.waves.today)
counts as due: the orders paid before today's ``[floor] cutoff_paid`` and not shipped before
today, spread evenly over the working day from the shift start to ``[floor] cutoff_handover``;
the chart draws the cumulative actual against that cumulative target line.

``[floor]`` has no shift start: the working day starts at :data:`SHIFT_START`.

The store groups by the UTC hour (one expression both SQLite and PostgreSQL have) and each
UTC hour is put on the warehouse's local hour here; in a time zone whose offset is not whole
hours the buckets are the UTC hours' (the warehouses we serve are in whole-hour zones).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, time
from typing import Any

from sqlalchemy import Connection, func, select

from pickpack.config import Config
from pickpack.core.events import now
from pickpack.core.lifecycle import HELD, NEW, ON_FLOOR, SHIPPED
from pickpack.core.report.productivity import SCAN_KINDS
from pickpack.core.reports import floor_tz
from pickpack.core.tables import EVENTS, ORDERS
from pickpack.core.waves.priority import cutoff_today

SHIFT_START = "08:00"
"""When the working day starts (local time): ``[floor]`` names no shift start."""
SERIES_KINDS: dict[str, tuple[str, ...]] = {
    "scans": tuple(SCAN_KINDS), "verified": ("verified",), "handed_over": ("shipped",)}
"""Each series and the event kinds it counts."""


@dataclass(frozen=True, slots=True)
class Throughput:
    """Today's hours from the shift start (or the first event, if earlier) to the handover
    cut-off (or the last event, if later), with each series' count per hour."""

    date: str
    clock: str
    """The local time it was read (``HH:MM``)."""
    hours: list[int]
    """Local hours of the day, in order: ``[8, 9, …, 16]``."""
    scans: list[int]
    verified: list[int]
    handed_over: list[int]
    target: list[int]
    """The cumulative target at the end of each hour (whole orders, rounded up)."""
    due: int
    """Orders that must ship today (today's board's count)."""
    shift_start: str
    cutoff_handover: str
    upto: int
    """How many of ``hours`` have begun: the actual lines end there."""

    def cumulative(self, series: str) -> list[int]:
        """The series summed hour by hour, for the hours that have begun."""
        values: list[int] = getattr(self, series)
        out, total = [], 0
        for n in values[:self.upto]:
            total += n
            out.append(total)
        return out

    def total(self, series: str) -> int:
        return sum(getattr(self, series))

    def target_now(self) -> int:
        """The target by the end of the current hour (0 before the shift)."""
        return self.target[self.upto - 1] if self.upto else 0

    def to_json(self) -> dict[str, Any]:
        return asdict(self) | {"cumulative": {s: self.cumulative(s) for s in SERIES_KINDS}}


def throughput(conn: Connection, cfg: Config, at: datetime | None = None, *,
               due: int | None = None) -> Throughput:
    """Today's throughput as the store has it at ``at`` (now); ``due`` when the caller has
    counted today's due orders already (the board has)."""
    at = at or now()
    tz = floor_tz(cfg)
    local = at.astimezone(tz)
    start = datetime.combine(local.date(), time(0, 0), tz).astimezone(UTC)
    counts = {name: hourly(conn, cfg, kinds, start, at) for name, kinds in SERIES_KINDS.items()}
    shift_min, cut_min = _minutes(SHIFT_START), _minutes(cfg.floor.cutoff_handover)
    seen = [h for c in counts.values() for h in c]
    first = min([shift_min // 60, *seen])
    last = max([(cut_min - 1) // 60 if cut_min > 0 else 0, *seen])
    hours = list(range(first, max(first, last) + 1))  # a cut-off before 08:00: one hour
    due = due_today(conn, cfg, at) if due is None else due
    return Throughput(
        date=local.date().isoformat(), clock=local.strftime("%H:%M"), hours=hours,
        scans=[counts["scans"].get(h, 0) for h in hours],
        verified=[counts["verified"].get(h, 0) for h in hours],
        handed_over=[counts["handed_over"].get(h, 0) for h in hours],
        target=[target_by(due, (h + 1) * 60, shift_min, cut_min) for h in hours],
        due=due, shift_start=SHIFT_START, cutoff_handover=cfg.floor.cutoff_handover,
        upto=sum(1 for h in hours if h <= local.hour))


def target_by(due: int, minute: int, shift_min: int, cut_min: int) -> int:
    """The orders due spread evenly from the shift start to the cut-off: how many should be
    done by ``minute`` of the day (all of them from the cut-off on)."""
    if minute <= shift_min:
        return 0
    if minute >= cut_min or cut_min <= shift_min:
        return due
    return -(-due * (minute - shift_min) // (cut_min - shift_min))  # rounded up


def hourly(conn: Connection, cfg: Config, kinds: tuple[str, ...], start: datetime,
           at: datetime) -> Counter[int]:
    """Events of ``kinds`` between ``start`` and ``at`` per local hour, in one grouped query."""
    tz = floor_tz(cfg)
    hour = _utc_hour(conn)
    out: Counter[int] = Counter()
    for key, n in conn.execute(select(hour, func.count()).where(
            EVENTS.c.kind.in_(kinds), EVENTS.c.at >= start, EVENTS.c.at <= at).group_by(hour)):
        utc = datetime.strptime(str(key), "%Y-%m-%d %H").replace(tzinfo=UTC)
        out[utc.astimezone(tz).hour] += int(n)
    return out


def due_today(conn: Connection, cfg: Config, at: datetime) -> int:
    """What today's board counts as due (pickpack.core.waves.today): paid before today's cut-off
    and on the floor, new or held, or shipped today; counted by the store, not read row by row."""
    tz = floor_tz(cfg)
    start = datetime.combine(at.astimezone(tz).date(), time(0, 0), tz).astimezone(UTC)
    cutoff = cutoff_today(cfg, at)
    waiting = conn.execute(select(func.count()).select_from(ORDERS).where(
        ORDERS.c.paid_at < cutoff, ORDERS.c.state.in_((*ON_FLOOR, NEW, HELD)))).scalar()
    shipped = conn.execute(
        select(func.count(func.distinct(ORDERS.c.id)))
        .select_from(EVENTS.join(ORDERS, ORDERS.c.id == EVENTS.c.order_id))
        .where(EVENTS.c.kind == "shipped", EVENTS.c.at >= start, EVENTS.c.at <= at,
               ORDERS.c.paid_at < cutoff, ORDERS.c.state == SHIPPED)).scalar()
    return int(waiting or 0) + int(shipped or 0)


def ticks(top: int) -> list[int]:
    """At most five whole-number ticks from 0 to ``top`` for a chart's count axis."""
    step = max(1, -(-top // 4))
    return list(range(0, top + 1, step))


def _utc_hour(conn: Connection) -> Any:
    """The event's UTC hour as text ``YYYY-MM-DD HH``."""
    if conn.dialect.name == "sqlite":
        return func.strftime("%Y-%m-%d %H", EVENTS.c.at)
    return func.to_char(func.timezone("UTC", EVENTS.c.at), "YYYY-MM-DD HH24")


def _minutes(hhmm: str) -> int:
    hh, mm = (int(x) for x in hhmm.split(":"))
    return hh * 60 + mm
