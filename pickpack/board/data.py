"""What the floor board shows, read from the store in one go: plain queries into dataclasses.

Per courier what must still ship today against its pickup ([couriers.X] pickup, else [floor]
cutoff_handover, as ``pickpack report today``); parcels handed over per hour of today (the
``shipped`` events, in the warehouse's time zone) and the day's throughput against its target
(pickpack.core.report.throughput, drawn as an SVG); the stations seen today and who is logged
in at each (``login``/``logout`` events, and the ``station`` table where a station keeps it);
open holds and interceptions; orders at risk (48 h) and late (72 h). Receivers' names, phones
and addresses are never read: an order is its number and its state.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy import Connection, func, select

from pickpack.board.chart import chart
from pickpack.config import Config
from pickpack.core.aftersales.tables import INTERCEPTS
from pickpack.core.events import now
from pickpack.core.holdwords import hold_words
from pickpack.core.lifecycle import CANCELLED, HELD, NEW, ON_FLOOR, SHIPPED
from pickpack.core.report.throughput import throughput
from pickpack.core.reports import floor_tz, late_counts, late_orders
from pickpack.core.tables import EVENTS, MANIFESTS, OPERATORS, ORDERS, STATIONS
from pickpack.core.waves.priority import cutoff_today

ONLINE_MIN = 15
"""A station whose last event is younger than this (minutes) is online."""
LIST_MAX = 12
"""At most this many rows in each list on the wall (the counts are whole)."""


@dataclass(frozen=True, slots=True)
class CourierDue:
    courier: str
    name: str
    pickup: str
    pickup_passed: bool
    due: int
    to_ship: int
    handed_over: int


@dataclass(frozen=True, slots=True)
class StationSeen:
    station: str
    mode: str
    online: bool
    operator: str
    """The badge logged in there now ('' when nobody is)."""
    operator_name: str
    last_seen: str
    """Local ``HH:MM`` of its last event."""


@dataclass(frozen=True, slots=True)
class OrderFlag:
    order_no: str
    state: str
    hours: float
    """Hours since payment (at risk, late) or since the hold."""
    note: str
    """The hold's reason, the interception's status, or '' (never receiver data)."""
    late: bool = False


@dataclass(frozen=True, slots=True)
class BoardView:
    date: str
    clock: str
    cutoff_handover: str
    couriers: list[CourierDue]
    per_hour: list[int]
    """Parcels handed over (shipped) in each hour 0–23 of today, local time."""
    shipped_today: int
    stations: list[StationSeen]
    holds: list[OrderFlag]
    holds_total: int
    intercepts: list[OrderFlag]
    intercepts_total: int
    at_risk: list[OrderFlag]
    at_risk_total: int
    late_total: int
    chart: dict[str, Any] = field(default_factory=dict)
    """Throughput against the day's target, as the SVG's geometry (pickpack.board.chart)."""
    version: int = field(default=0)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def read_board(conn: Connection, cfg: Config, at: datetime | None = None) -> BoardView:
    """The board as the store has it at ``at`` (now)."""
    at = at or now()
    tz = floor_tz(cfg)
    local = at.astimezone(tz)
    start = datetime.combine(local.date(), time(0, 0), tz).astimezone(UTC)
    couriers = couriers_due(conn, cfg, start, at)
    hours: Counter[int] = Counter(
        t.astimezone(tz).hour for t in conn.execute(select(EVENTS.c.at).where(
            EVENTS.c.kind == "shipped", EVENTS.c.at >= start, EVENTS.c.at <= at)).scalars())
    holds = _holds(conn, at)
    intercepts = _intercepts(conn, at)
    at_risk_total, late_total = late_counts(conn, cfg, at)  # counted by the store, and only
    at_risk = [OrderFlag(r["order_no"], r["state"], r["age_h"],  # the oldest listed (37k late)
                         hold_words(r["hold_reason"]) if r["hold_reason"] else "", r["late"])
               for r in late_orders(conn, cfg, at, limit=LIST_MAX)]
    return BoardView(
        date=local.date().isoformat(), clock=local.strftime("%H:%M"),
        cutoff_handover=cfg.floor.cutoff_handover, couriers=couriers,
        per_hour=[hours.get(h, 0) for h in range(24)], shipped_today=sum(hours.values()),
        stations=stations_seen(conn, cfg, start, at),
        holds=holds[:LIST_MAX], holds_total=len(holds),
        intercepts=intercepts[:LIST_MAX], intercepts_total=len(intercepts),
        at_risk=at_risk, at_risk_total=at_risk_total, late_total=late_total,
        chart=chart(throughput(conn, cfg, at, due=sum(c.due for c in couriers))))


def couriers_due(conn: Connection, cfg: Config, start: datetime,
                 at: datetime) -> list[CourierDue]:
    """``pickpack report today``'s figures per courier (pickpack.core.waves.today: paid before
    today's cut-off and not shipped before today; handed over when on a manifest or shipped
    today), counted by the store in two grouped queries: the shipped history of a large store
    is never read row by row."""
    cutoff = cutoff_today(cfg, at)
    due: Counter[str] = Counter()
    handed: Counter[str] = Counter()
    for courier, on_manifest, n in conn.execute(
            select(ORDERS.c.courier, ORDERS.c.manifest_id.is_not(None), func.count())
            .where(ORDERS.c.paid_at < cutoff, ORDERS.c.state.in_((*ON_FLOOR, NEW, HELD)))
            .group_by(ORDERS.c.courier, ORDERS.c.manifest_id.is_not(None))):
        due[courier or "-"] += n
        handed[courier or "-"] += n if on_manifest else 0
    for courier, n in conn.execute(
            select(ORDERS.c.courier, func.count(func.distinct(ORDERS.c.id)))
            .join(ORDERS, ORDERS.c.id == EVENTS.c.order_id)
            .where(EVENTS.c.kind == "shipped", EVENTS.c.at >= start, EVENTS.c.at <= at,
                   ORDERS.c.paid_at < cutoff, ORDERS.c.state == SHIPPED)
            .group_by(ORDERS.c.courier)):
        due[courier or "-"] += n
        handed[courier or "-"] += n
    rows = []
    for courier in sorted(due):
        pickup = cfg.couriers.pickup(courier, cfg.floor.cutoff_handover)
        hh, mm = (int(x) for x in pickup.split(":"))
        pickup_at = datetime.combine(at.astimezone(floor_tz(cfg)).date(), time(hh, mm),
                                     floor_tz(cfg))
        rows.append(CourierDue(courier, cfg.couriers.names.get(courier, courier), pickup,
                               at >= pickup_at, due[courier], due[courier] - handed[courier],
                               handed[courier]))
    return rows


def stations_seen(conn: Connection, cfg: Config, start: datetime,
                  at: datetime) -> list[StationSeen]:
    """Every station with an event since today's first log-in (or a row in ``station``), and
    who is logged in there. Today's events are found from the first log-in's id on (the
    ``kind, at`` index), so a large store's history is never scanned."""
    tz = floor_tz(cfg)
    last: dict[str, datetime] = {}
    who: dict[str, str] = {}
    mode: dict[str, str] = {}
    first = conn.execute(select(func.min(EVENTS.c.id)).where(
        EVENTS.c.kind == "login", EVENTS.c.at >= start, EVENTS.c.at <= at)).scalar()
    rows = conn.execute(select(EVENTS.c.station, EVENTS.c.kind, EVENTS.c.operator,
                               EVENTS.c.at, EVENTS.c.payload)
                        .where(EVENTS.c.id >= (first or 0), EVENTS.c.at >= start,
                               EVENTS.c.at <= at, EVENTS.c.station != "")
                        .order_by(EVENTS.c.id)).all() if first is not None else []
    for r in rows:
        last[r.station] = r.at
        if r.kind == "login":
            who[r.station] = r.operator or ""
            mode[r.station] = _mode(r.payload) or mode.get(r.station, "")
        elif r.kind == "logout":
            who[r.station] = ""
    for s in conn.execute(select(STATIONS)):
        mode.setdefault(s.id, s.mode)
        if s.last_seen is not None and (s.id not in last or _utc(s.last_seen) > last[s.id]):
            last[s.id] = _utc(s.last_seen)
            who.setdefault(s.id, s.operator or "")
    names = dict(conn.execute(select(OPERATORS.c.code, OPERATORS.c.name)
                              .where(OPERATORS.c.code.in_([c for c in who.values() if c]))).all())
    fresh = at - timedelta(minutes=ONLINE_MIN)
    return [StationSeen(sid, mode.get(sid, ""), last[sid] >= fresh, who.get(sid, ""),
                        names.get(who.get(sid, ""), ""), last[sid].astimezone(tz).strftime("%H:%M"))
            for sid in sorted(last)]


def _holds(conn: Connection, at: datetime) -> list[OrderFlag]:
    rows = conn.execute(select(ORDERS.c.order_no, ORDERS.c.hold_reason, ORDERS.c.paid_at)
                        .where(ORDERS.c.state == HELD).order_by(ORDERS.c.paid_at))
    return [OrderFlag(r.order_no, HELD, _hours(at, r.paid_at), hold_words(r.hold_reason or ""))
            for r in rows]


def _intercepts(conn: Connection, at: datetime) -> list[OrderFlag]:
    """Parcels to pull off an open manifest (cancelled or held after they were scanned on:
    note ``manifest M<id>``), then courier interceptions not answered yet (note ``requested``)."""
    pile = conn.execute(select(ORDERS.c.order_no, ORDERS.c.state, ORDERS.c.paid_at,
                               MANIFESTS.c.id.label("manifest"))
                        .join(MANIFESTS, MANIFESTS.c.id == ORDERS.c.manifest_id)
                        .where(MANIFESTS.c.closed_at.is_(None),
                               ORDERS.c.state.in_((CANCELLED, HELD)))
                        .order_by(ORDERS.c.id))
    flags = [OrderFlag(r.order_no, r.state, _hours(at, r.paid_at), f"manifest M{r.manifest}")
             for r in pile]
    rows = conn.execute(select(ORDERS.c.order_no, ORDERS.c.state, ORDERS.c.paid_at,
                               INTERCEPTS.c.status)
                        .join(ORDERS, ORDERS.c.id == INTERCEPTS.c.order_id)
                        .where(INTERCEPTS.c.status == "requested").order_by(INTERCEPTS.c.id))
    return flags + [OrderFlag(r.order_no, r.state, _hours(at, r.paid_at), r.status) for r in rows]


def _mode(payload: str | None) -> str:
    try:
        data = json.loads(payload or "{}")
    except ValueError:
        return ""
    return str(data.get("mode", "")) if isinstance(data, dict) else ""


def _utc(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def _hours(at: datetime, then: datetime | None) -> float:
    return round((at - _utc(then)).total_seconds() / 3600, 1) if then else 0.0
