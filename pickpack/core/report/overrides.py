"""Who overrode what and why; every hold of the span with who held it, why, who released it
and how long it stayed held (to its release, or to now while it still is)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from pickpack.config import Config
from pickpack.core.events import now
from pickpack.core.report import Span, Table, chunks, events_of
from pickpack.core.reports import local_time
from pickpack.core.tables import EVENTS, ORDERS
from pickpack.i18n import N_

HOLD_KINDS = ("held", "weight_exception")
FROM_HELD = '%"from": "held"%'
"""A move out of held, as ``move`` writes its payload (json.dumps' default separators)."""
OVERRIDE_COLUMNS = (("at", N_("time")), ("order_no", N_("order")), ("operator", N_("operator")),
                    ("supervisor", N_("supervisor")), ("override", N_("override")),
                    ("reason", N_("reason")), ("reason_text", N_("why")))
HOLD_COLUMNS = (("at", N_("held at")), ("order_no", N_("order")), ("operator", N_("held by")),
                ("reason", N_("why")), ("released_at", N_("released at")),
                ("released_by", N_("released by")), ("release", N_("released how")),
                ("hours", N_("hours held")))


def overrides(conn: Connection, cfg: Config, span: Span, at: datetime | None = None) -> list[Table]:
    at = at or now()
    over = list(events_of(conn, ("override",), span))
    holds = [e for e in events_of(conn, HOLD_KINDS, span)
             if json.loads(e.payload or "{}").get("to", "held") == "held"]
    numbers = _order_numbers(conn, {e.order_id for e in (*over, *holds) if e.order_id})
    rows = []
    for e in over:
        d = json.loads(e.payload or "{}")
        rows.append({"at": local_time(e.at, cfg), "order_no": numbers.get(e.order_id, ""),
                     "operator": e.operator, "supervisor": d.get("supervisor", ""),
                     "override": d.get("override", ""), "reason": d.get("reason", ""),
                     "reason_text": d.get("reason_text", "")})
    return [Table("overrides", N_("Overrides"), OVERRIDE_COLUMNS, rows),
            Table("holds", N_("Holds"), HOLD_COLUMNS, _holds(conn, cfg, holds, numbers, at))]


def _holds(conn: Connection, cfg: Config, holds: list[Any], numbers: dict[int, str],
           at: datetime) -> list[dict[str, Any]]:
    releases: dict[int, list[Any]] = {}
    for ids in chunks(sorted({e.order_id for e in holds if e.order_id})):
        for r in conn.execute(select(EVENTS.c.id, EVENTS.c.order_id, EVENTS.c.operator,
                                     EVENTS.c.kind, EVENTS.c.payload, EVENTS.c.at)
                              .where(EVENTS.c.order_id.in_(ids),
                                     EVENTS.c.payload.like(FROM_HELD))
                              .order_by(EVENTS.c.id)):
            releases.setdefault(r.order_id, []).append(r)
    out = []
    for e in holds:
        d = json.loads(e.payload or "{}")
        why = d.get("reason") or (
            f"weight {float(d.get('weight_g', 0)):.0f} g, expected "
            f"{float(d.get('expected_g', 0)):.0f} g"
            if e.kind == "weight_exception" else "")
        rel = next((r for r in releases.get(e.order_id, []) if r.id > e.id), None)
        info = json.loads(rel.payload) if rel is not None else {}
        how = rel.kind if rel is not None else ""
        if info.get("override"):
            how = f"{info['override']} {info.get('supervisor', '')} {info.get('reason', '')}".strip()
        until = rel.at if rel is not None else at
        out.append({"at": local_time(e.at, cfg), "order_no": numbers.get(e.order_id, ""),
                    "operator": e.operator, "reason": why,
                    "released_at": local_time(rel.at, cfg) if rel is not None else "",
                    "released_by": rel.operator if rel is not None else "",
                    "release": how or "open", "hours": round((until - e.at).total_seconds() / 3600, 2)})
    return out


def _order_numbers(conn: Connection, ids: set[int]) -> dict[int, str]:
    out: dict[int, str] = {}
    for chunk in chunks(sorted(ids)):
        out.update({r.id: r.order_no for r in conn.execute(
            select(ORDERS.c.id, ORDERS.c.order_no).where(ORDERS.c.id.in_(chunk)))})
    return out
