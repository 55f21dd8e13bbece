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
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from pickpack.config import Config
from pickpack.core.report import Span, Table, events_of
from pickpack.core.reports import errors_by_person, floor_tz
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


@dataclass(slots=True)
class Session:
    operator: str
    start: datetime
    last: datetime
    role: str = ""
    end: datetime | None = None
    scans: int = 0
    units: int = 0
    idle_gaps: int = 0
    idle_s: float = 0.0
    idle_logout: bool = False
    work: Counter[str] = field(default_factory=Counter)

    def touch(self, at: datetime) -> None:
        gap = (at - self.last).total_seconds()
        if gap >= IDLE_GAP_S:
            self.idle_gaps += 1
            self.idle_s += gap
        self.last = max(self.last, at)

    def close(self, at: datetime | None = None) -> Session:
        self.end = at or self.last
        if not self.role:
            self.role = self.work.most_common(1)[0][0] if self.work else "-"
        return self


def sessions(conn: Connection, span: Span) -> tuple[list[Session], list[Any]]:
    """The span's sessions, and its completion events (``verified``, ``shipped``, …)."""
    open_: dict[tuple[str, str], Session] = {}
    done: list[Session] = []
    work: list[Any] = []
    for e in events_of(conn, KINDS, span):
        if not e.operator:
            continue
        key = (e.operator, e.station)
        s = open_.get(key)
        if e.kind == "login":
            if s is not None:
                done.append(s.close())
            mode = json.loads(e.payload or "{}").get("mode", "")
            open_[key] = Session(e.operator, e.at, e.at, ROLE_OF_MODE.get(mode, mode))
            continue
        if s is None:
            s = open_[key] = Session(e.operator, e.at, e.at)
        s.touch(e.at)
        if e.kind == "logout":
            s.idle_logout = json.loads(e.payload or "{}").get("reason") == "idle"
            done.append(s.close(e.at))
            del open_[key]
            continue
        if e.kind in SCAN_KINDS:
            s.scans += 1
        if e.kind == "item_scanned":
            s.units += int(json.loads(e.payload or "{}").get("units", 1))
        if e.kind in ROLE_OF_KIND:
            s.work[ROLE_OF_KIND[e.kind]] += 1
            work.append(e)
    done.extend(s.close() for s in open_.values())
    return done, work


def productivity(conn: Connection, cfg: Config, span: Span) -> list[Table]:
    """Two tables: per operator and role, and per hour of the day (local)."""
    done, work = sessions(conn, span)
    rows: dict[tuple[str, str], dict[str, Any]] = defaultdict(lambda: {
        "hours": 0.0, "orders": set(), "units": 0, "scans": 0, "idle_gaps": 0, "idle_s": 0.0,
        "idle_logouts": 0, "errors": 0})
    for s in done:
        r = rows[(s.operator, s.role)]
        r["hours"] += ((s.end or s.last) - s.start).total_seconds() / 3600
        r["units"] += s.units
        r["scans"] += s.scans
        r["idle_gaps"] += s.idle_gaps
        r["idle_s"] += s.idle_s
        r["idle_logouts"] += int(s.idle_logout)
    for e in work:
        if e.order_id is not None:
            rows[(e.operator, ROLE_OF_KIND[e.kind])]["orders"].add(e.order_id)
    for err in errors_by_person(conn, span.start):
        role = ROLE_OF_ERROR.get(err["role"])
        if role is not None:
            rows[(err["operator"], role)]["errors"] += int(err["count"])
    table = Table("operators", N_("Productivity per operator and role"), COLUMNS)
    for (op, role), r in sorted(rows.items()):
        hours, orders = r["hours"], len(r["orders"])
        table.rows.append({
            "operator": op, "role": role, "hours": round(hours, 2), "orders": orders,
            "orders_per_h": _per(orders, hours), "units": r["units"],
            "units_per_h": _per(r["units"], hours), "scans": r["scans"],
            "scans_per_h": _per(r["scans"], hours), "errors": r["errors"],
            "error_rate": round(r["errors"] / orders, 4) if orders else 0.0,
            "idle_gaps": r["idle_gaps"], "idle_min": round(r["idle_s"] / 60, 1),
            "idle_logouts": r["idle_logouts"]})
    return [table, hourly(conn, cfg, span)]


def hourly(conn: Connection, cfg: Config, span: Span) -> Table:
    """Scans, orders verified, parcels handed over and operators at work per local hour."""
    tz = floor_tz(cfg)
    hours: dict[str, dict[str, Any]] = defaultdict(lambda: {
        "scans": 0, "verified": 0, "shipped": 0, "operators": set()})
    for e in events_of(conn, (*SCAN_KINDS, "verified", "shipped"), span):
        h = hours[e.at.astimezone(tz).strftime("%Y-%m-%d %H:00")]
        if e.kind in SCAN_KINDS:
            h["scans"] += 1
        elif e.kind == "verified":
            h["verified"] += 1
        else:
            h["shipped"] += 1
        if e.operator:
            h["operators"].add(e.operator)
    return Table("hours", N_("Per hour of the day"), HOUR_COLUMNS, [
        {"hour": k, "scans": v["scans"], "verified": v["verified"], "shipped": v["shipped"],
         "operators": len(v["operators"])} for k, v in sorted(hours.items())])


def _per(n: float, hours: float) -> float:
    return round(n / hours, 1) if hours > 0 else 0.0
