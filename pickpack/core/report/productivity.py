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
from pickpack.core.operators import ROLE_NAMES
from pickpack.core.report import Span, Table
from pickpack.core.report.sql import (
    grouped,
    micros_between,
    payload_int,
    utc_hour_of,
    utc_minute,
)
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
WORK_KINDS = tuple(sorted(ROLE_OF_KIND))
"""The kinds that name a role, counted per station and minute (in order of name: the first
of two done equally often names the role)."""
ROLE_TITLES = {**ROLE_NAMES, "shipper": N_("shipper")}
"""A role as the human table names it (translated where shown)."""
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
    per_station, hours_of_day = _counts(conn, cfg, span)
    roles = _station_roles(conn, span, per_station)
    rows: dict[tuple[str, str], dict[str, Any]] = defaultdict(lambda: {
        "hours": 0.0, "orders": 0, "units": 0, "scans": 0, "idle_gaps": 0, "idle_s": 0.0,
        "idle_logouts": 0, "errors": 0})
    for (op, station), c in per_station.items():
        r = rows[(op, roles[(op, station)])]
        for name in ("hours", "units", "scans", "idle_logouts", "idle_gaps", "idle_s"):
            r[name] += c[name]
    kind = EVENTS.c.kind
    for op, k, n in conn.execute(
            select(EVENTS.c.operator, kind, func.count(func.distinct(EVENTS.c.order_id)))
            .where(kind.in_(tuple(ROLE_OF_KIND)), EVENTS.c.at >= span.start,
                   EVENTS.c.at < span.end, EVENTS.c.operator != "")
            .group_by(EVENTS.c.operator, kind)):
        rows[(op, ROLE_OF_KIND[k])]["orders"] += int(n)  # weighed + weight_exception: both
    for err in errors_by_person(conn, span.start, span.end):
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
    return [table, hours_of_day]


def _in_span(span: Span) -> Any:
    return (EVENTS.c.at >= span.start) & (EVENTS.c.at < span.end)


def _counts(conn: Connection, cfg: Config, span: Span
            ) -> tuple[dict[tuple[str, str], dict[str, Any]], Table]:
    """Per operator and station: scans, units, first and last event, idle gaps; and the
    table per local hour. The store groups the day's events by person, station and minute
    (a pause of ten minutes lies between two minutes: its length is exact), finds the pauses
    between minutes with ``lag`` and sums per person, station and UTC hour: a few hundred rows
    come back, not one per minute worked (issue 19 §5)."""
    kind, minute = EVENTS.c.kind, utc_minute(conn)  # one expression: PostgreSQL groups by it
    who, where = grouped(conn, EVENTS.c.operator), grouped(conn, EVENTS.c.station)
    minutes = select(
        who.label("op"), where.label("st"), minute.label("minute"),
        func.sum(case((kind.in_(SCAN_KINDS), 1), else_=0)).label("scans"),
        func.sum(case((kind == "item_scanned", func.coalesce(payload_int(conn, "units"), 1)),
                      else_=0)).label("units"),
        func.sum(case((kind == "login", 1), else_=0)).label("logins"),
        func.min(EVENTS.c.at).label("first"), func.max(EVENTS.c.at).label("last"),
        *(func.sum(case((kind == k, 1), else_=0)).label(f"w{i}")
          for i, k in enumerate(WORK_KINDS))
    ).where(kind.in_(KINDS), _in_span(span), EVENTS.c.operator != "") \
        .group_by(who, where, minute).subquery("m")
    m = select(minutes, func.lag(minutes.c.last).over(
        partition_by=(minutes.c.op, minutes.c.st), order_by=minutes.c.minute).label("prev")
    ).subquery("g")
    gap = micros_between(conn, m.c.prev, m.c.first)
    idle = (m.c.logins == 0) & m.c.prev.is_not(None) & (gap >= IDLE_GAP_S * 1_000_000)
    hour = utc_hour_of(conn, m.c.minute)  # the time before a login is time off, not idle
    out: dict[tuple[str, str], dict[str, Any]] = {}
    tz = floor_tz(cfg)
    hours: dict[str, dict[str, Any]] = {}
    labels: dict[str, str] = {}
    for op, st, utc_hour, scans, units, first, last, gaps, idle_us, *work in conn.execute(
            select(m.c.op, m.c.st, hour, func.sum(m.c.scans), func.sum(m.c.units),
                   func.min(m.c.first), func.max(m.c.last),
                   func.sum(case((idle, 1), else_=0)), func.sum(case((idle, gap), else_=0)),
                   *(func.sum(m.c[f"w{i}"]) for i in range(len(WORK_KINDS))))
            .group_by(m.c.op, m.c.st, hour)):
        first, last = _aware(first), _aware(last)
        c = out.get((op, st))
        if c is None:
            c = out[(op, st)] = {"scans": 0, "units": 0, "hours": 0.0, "idle_logouts": 0,
                                 "idle_gaps": 0, "idle_s": 0.0, "first": first, "last": last,
                                 "modes": [], "work": dict.fromkeys(WORK_KINDS, 0)}
        c["first"], c["last"] = min(c["first"], first), max(c["last"], last)
        c["idle_gaps"] += int(gaps or 0)
        c["idle_s"] += int(idle_us or 0) / 1_000_000
        c["scans"] += int(scans or 0)
        c["units"] += int(units or 0)
        done = dict(zip(WORK_KINDS, (int(n or 0) for n in work), strict=True))
        for k, n in done.items():
            c["work"][k] += n
        verified, shipped = done["verified"], done["shipped"]
        label = labels.get(utc_hour)
        if label is None:
            at = datetime.strptime(utc_hour, "%Y-%m-%d %H").replace(tzinfo=UTC)
            label = labels[utc_hour] = at.astimezone(tz).strftime("%Y-%m-%d %H:00")
        h = hours.setdefault(label, {"hour": label, "scans": 0, "verified": 0, "shipped": 0,
                                     "operators": set()})
        h["scans"] += int(scans or 0)
        h["verified"] += verified
        h["shipped"] += shipped
        if scans or verified or shipped:
            h["operators"].add(op)
    table = Table("hours", N_("Per hour of the day"), HOUR_COLUMNS,
                  [{**h, "operators": len(h["operators"])} for _k, h in sorted(hours.items())])
    return out, table


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
    return {key: (c["modes"][-1] if c["modes"] else _work_role(c["work"]))
            for key, c in per_station.items()}


def _work_role(work: dict[str, int]) -> str:
    """The role of the kind of work done most at a station (the first kind by name of those
    done equally often); ``-`` where none was done."""
    best, role = 0, "-"
    for k in WORK_KINDS:
        if work[k] > best:
            best, role = work[k], ROLE_OF_KIND[k]
    return role



def _aware(at: Any) -> datetime:
    """min/max of a time column come back as text on SQLite: parsed, in UTC."""
    when = at if isinstance(at, datetime) else datetime.fromisoformat(str(at))
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def _per(n: float, hours: float) -> float:
    return round(n / hours, 1) if hours > 0 else 0.0
