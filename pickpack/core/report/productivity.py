"""Who did how much and how well: per operator and role, hours worked (log-in to log-out or
idle logout), orders, units and scans per hour worked, attributed errors, idle gaps; per hour.

A session runs from a ``login`` to the ``logout`` at that station (``reason: idle`` is the idle
logout). Work seen with no login in the span opens a session at its first event; a session
still open at the span's end ends at its last event. Its role is the station mode logged in
to, else the role of the work done in it. Errors are those ``report errors`` attributes to
the person whose step made them (the picker of a wrong item, the packer of a damage), counted
from the span's start.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, case, func, select

from pickpack.config import Config
from pickpack.core.report import Span, Table
from pickpack.core.report.sql import payload_int, seconds_since, utc_hour
from pickpack.core.reports import errors_by_person, floor_tz
from pickpack.core.tables import EVENTS
from pickpack.i18n import N_

ROLE_OF_MODE = {"pick": "picker", "verify": "verifier", "pack": "packer", "weigh": "weigher",
                "ship": "shipper"}
ROLE_OF_KIND = {"picked": "picker", "verified": "verifier", "packed": "packer",
                "weighed": "weigher", "weight_exception": "weigher", "shipped": "shipper"}
ROLE_OF_ERROR = {"picked": "picker", "verified": "verifier", "passed": "verifier",
                 "packed": "packer", "weighed": "weigher", "handed over": "shipper"}
SCAN_KINDS = ("item_scanned", "item_unscanned", "verify_opened", "verify_reset", "pack_opened",
              "weigh_opened", "picked", "packed", "weighed", "weight_exception", "manifested",
              "refused", "pick_started")
KINDS = ("login", "logout", *SCAN_KINDS, "verified", "shipped")
IDLE_GAP_S = 10 * 60
"""A pause of this long between two events of a session is an idle gap."""

COLUMNS = (("operator", N_("operator")), ("role", N_("role")), ("hours", N_("hours")),
           ("orders", N_("orders")), ("orders_per_h", N_("orders/h")), ("units", N_("units")),
           ("units_per_h", N_("units/h")), ("scans", N_("scans")),
           ("scans_per_h", N_("scans/h")), ("errors", N_("errors")),
           ("error_rate", N_("error rate")), ("idle_gaps", N_("idle gaps")),
           ("idle_min", N_("idle min")), ("idle_logouts", N_("idle logouts")))
HOUR_COLUMNS = (("hour", N_("hour")), ("scans", N_("scans")), ("verified", N_("verified")),
                ("shipped", N_("handed over")), ("operators", N_("operators")))


def productivity(conn: Connection, cfg: Config, span: Span) -> list[Table]:
    """Two tables: per operator and role, and per hour of the day (local). The store counts
    the day's events (grouped, not read one by one); only logins and logouts are read."""
    per_station = _counts(conn, span)
    roles = _station_roles(conn, span, per_station)
    rows: dict[tuple[str, str], dict[str, Any]] = defaultdict(lambda: {
        "hours": 0.0, "orders": 0, "units": 0, "scans": 0, "idle_gaps": 0, "idle_s": 0.0,
        "idle_logouts": 0, "errors": 0})
    for (op, station), c in per_station.items():
        r = rows[(op, roles[(op, station)])]
        for name in ("hours", "units", "scans", "idle_logouts"):
            r[name] += c[name]
    for (op, station), (gaps, idle_s) in _idle_gaps(conn, span).items():
        r = rows[(op, roles.get((op, station), "-"))]
        r["idle_gaps"] += gaps
        r["idle_s"] += idle_s
    kind = EVENTS.c.kind
    for op, k, n in conn.execute(
            select(EVENTS.c.operator, kind, func.count(func.distinct(EVENTS.c.order_id)))
            .where(kind.in_(tuple(ROLE_OF_KIND)), EVENTS.c.at >= span.start,
                   EVENTS.c.at < span.end, EVENTS.c.operator != "")
            .group_by(EVENTS.c.operator, kind)):
        rows[(op, ROLE_OF_KIND[k])]["orders"] += int(n)  # weighed + weight_exception: both
    for err in errors_by_person(conn, span.start):
        role = ROLE_OF_ERROR.get(err["role"])
        if role is not None:
            rows[(err["operator"], role)]["errors"] += int(err["count"])
    table = Table("operators", N_("Productivity per operator and role"), COLUMNS)
    for (op, role), r in sorted(rows.items()):
        hours, orders = r["hours"], r["orders"]
        table.rows.append({
            "operator": op, "role": role, "hours": round(hours, 2), "orders": orders,
            "orders_per_h": _per(orders, hours), "units": r["units"],
            "units_per_h": _per(r["units"], hours), "scans": r["scans"],
            "scans_per_h": _per(r["scans"], hours), "errors": r["errors"],
            "error_rate": round(r["errors"] / orders, 4) if orders else 0.0,
            "idle_gaps": r["idle_gaps"], "idle_min": round(r["idle_s"] / 60, 1),
            "idle_logouts": r["idle_logouts"]})
    return [table, hourly(conn, cfg, span)]


def _in_span(span: Span) -> Any:
    return (EVENTS.c.at >= span.start) & (EVENTS.c.at < span.end)


def _counts(conn: Connection, span: Span) -> dict[tuple[str, str], dict[str, Any]]:
    """Per operator and station: scans, units, first and last event, and hours worked from
    each login to its logout (a login still open ends at the station's last event)."""
    kind = EVENTS.c.kind
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for op, st, scans, units, first, last in conn.execute(
            select(EVENTS.c.operator, EVENTS.c.station,
                   func.sum(case((kind.in_(SCAN_KINDS), 1), else_=0)),
                   func.sum(case((kind == "item_scanned",
                                  func.coalesce(payload_int(conn, "units"), 1)), else_=0)),
                   func.min(EVENTS.c.at), func.max(EVENTS.c.at))
            .where(kind.in_(KINDS), _in_span(span), EVENTS.c.operator != "")
            .group_by(EVENTS.c.operator, EVENTS.c.station)):
        out[(op, st)] = {"scans": int(scans or 0), "units": int(units or 0), "hours": 0.0,
                         "idle_logouts": 0, "first": _aware(first), "last": _aware(last),
                         "modes": []}
    return out


def _station_roles(conn: Connection, span: Span,
                   per_station: dict[tuple[str, str], dict[str, Any]]) -> dict[tuple[str, str], str]:
    """Hours from the logins and logouts (read one by one: a few per person); the role of
    each operator at each station: the mode logged in to, else the work done there."""
    opened: dict[tuple[str, str], datetime] = {}
    for op, st, k, payload, at in conn.execute(
            select(EVENTS.c.operator, EVENTS.c.station, EVENTS.c.kind, EVENTS.c.payload,
                   EVENTS.c.at)
            .where(EVENTS.c.kind.in_(("login", "logout")), _in_span(span),
                   EVENTS.c.operator != "").order_by(EVENTS.c.at, EVENTS.c.id)):
        c = per_station[(op, st)]
        data = json.loads(payload or "{}")
        start = opened.pop((op, st), None)
        if k == "login":
            if start is not None:  # logged in again without a logout: up to this login
                c["hours"] += (at - start).total_seconds() / 3600
            opened[(op, st)] = at
            c["modes"].append(ROLE_OF_MODE.get(data.get("mode", ""), data.get("mode", "")))
            continue
        start = start or c["first"]  # logged in before the span (or never): its first event
        c["hours"] += (at - start).total_seconds() / 3600
        c["idle_logouts"] += data.get("reason") == "idle"
    for key, start in opened.items():
        last = per_station[key]["last"]
        per_station[key]["hours"] += max(0.0, (last - start).total_seconds() / 3600)
    for key, c in per_station.items():
        if not c["modes"] and key not in opened and c["hours"] == 0.0:
            c["hours"] = (c["last"] - c["first"]).total_seconds() / 3600  # work, no login seen
    work = dict.fromkeys(per_station, "")
    kind = EVENTS.c.kind
    best: dict[tuple[str, str], int] = {}
    for op, st, k, n in conn.execute(
            select(EVENTS.c.operator, EVENTS.c.station, kind, func.count())
            .where(kind.in_(tuple(ROLE_OF_KIND)), _in_span(span), EVENTS.c.operator != "")
            .group_by(EVENTS.c.operator, EVENTS.c.station, kind)):
        if n > best.get((op, st), 0):
            best[(op, st)], work[(op, st)] = n, ROLE_OF_KIND[k]
    return {key: (c["modes"][-1] if c["modes"] else work[key] or "-")
            for key, c in per_station.items()}


def _idle_gaps(conn: Connection, span: Span) -> dict[tuple[str, str], tuple[int, float]]:
    """Pauses of ``IDLE_GAP_S`` or more between two events of one person at one station
    while logged in (the pause before a login is time off, not idle)."""
    prev = func.lag(EVENTS.c.at).over(partition_by=(EVENTS.c.operator, EVENTS.c.station),
                                      order_by=(EVENTS.c.at, EVENTS.c.id))
    steps = (select(EVENTS.c.operator, EVENTS.c.station, EVENTS.c.kind,
                    seconds_since(conn, prev).label("gap"))
             .where(EVENTS.c.kind.in_(KINDS), _in_span(span), EVENTS.c.operator != "")
             .subquery())
    out: dict[tuple[str, str], tuple[int, float]] = {}
    for op, st, n, total in conn.execute(
            select(steps.c.operator, steps.c.station, func.count(), func.sum(steps.c.gap))
            .where(steps.c.gap >= IDLE_GAP_S, steps.c.kind != "login")
            .group_by(steps.c.operator, steps.c.station)):
        out[(op, st)] = (int(n), float(total))
    return out


def hourly(conn: Connection, cfg: Config, span: Span) -> Table:
    """Scans, orders verified, parcels handed over and operators at work per local hour."""
    tz = floor_tz(cfg)
    kind, hour = EVENTS.c.kind, utc_hour(conn).label("hour")
    rows = []
    for h, scans, verified, shipped, operators in conn.execute(
            select(hour, func.sum(case((kind.in_(SCAN_KINDS), 1), else_=0)),
                   func.sum(case((kind == "verified", 1), else_=0)),
                   func.sum(case((kind == "shipped", 1), else_=0)),
                   func.count(func.distinct(EVENTS.c.operator)))
            .where(kind.in_((*SCAN_KINDS, "verified", "shipped")), _in_span(span))
            .group_by(hour).order_by(hour)):
        at = datetime.strptime(h, "%Y-%m-%d %H").replace(tzinfo=UTC)
        rows.append({"hour": at.astimezone(tz).strftime("%Y-%m-%d %H:00"),
                     "scans": int(scans), "verified": int(verified), "shipped": int(shipped),
                     "operators": int(operators)})
    return Table("hours", N_("Per hour of the day"), HOUR_COLUMNS, rows)


def _aware(at: Any) -> datetime:
    """min/max of a time column come back as text on SQLite: parsed, in UTC."""
    when = at if isinstance(at, datetime) else datetime.fromisoformat(str(at))
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def _per(n: float, hours: float) -> float:
    return round(n / hours, 1) if hours > 0 else 0.0
