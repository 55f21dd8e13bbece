"""Today's board: per courier, what must still ship today and how far it got, against the
courier's pickup time (``[couriers.X] pickup``, else ``[floor] cutoff_handover``), and the
orders paid before the cut-off that will miss it (so the buyer can be told).

"Must ship today": paid before today's ``[floor] cutoff_paid`` (the warehouse's time zone) and
not shipped before today. Handed over: on a manifest (scanned at ship) or shipped today (its
``shipped`` event). An order will miss the pickup when it is held or not yet released, or when
the courier's pickup time has passed and it is not handed over.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, time
from typing import Any

from sqlalchemy import Connection, func, select

from pickpack.config import Config
from pickpack.core.events import now
from pickpack.core.lifecycle import (
    HELD,
    NEW,
    ON_FLOOR,
    PACKED,
    PICKED,
    PICKING,
    PRINTED,
    READY,
    SHIPPED,
    VERIFIED,
    WEIGHED,
)
from pickpack.core.reports import floor_tz
from pickpack.core.tables import EVENTS, ORDERS
from pickpack.core.waves.priority import cutoff_today

COLUMNS = ("waiting", PICKING, PICKED, VERIFIED, PACKED, WEIGHED, "handed_over")
"""The board's columns: waiting (ready or printed, not picked yet) … handed over."""
_COLUMN = {READY: "waiting", PRINTED: "waiting", NEW: "waiting", HELD: "waiting"}


def _clock(day: datetime, hhmm: str, cfg: Config) -> datetime:
    tz = floor_tz(cfg)
    hh, mm = (int(x) for x in hhmm.split(":"))
    return datetime.combine(day.astimezone(tz).date(), time(hh, mm), tz).astimezone(UTC)


def today_board(conn: Connection, cfg: Config, at: datetime | None = None) -> dict[str, Any]:
    at = at or now()
    tz = floor_tz(cfg)
    start = datetime.combine(at.astimezone(tz).date(), time(0, 0), tz).astimezone(UTC)
    cutoff = cutoff_today(cfg, at)
    shipped_today = set(conn.execute(select(EVENTS.c.order_id).where(
        EVENTS.c.kind == "shipped", EVENTS.c.at >= start, EVENTS.c.at <= at)).scalars())
    rows = conn.execute(select(
        ORDERS.c.id, ORDERS.c.order_no, ORDERS.c.courier, ORDERS.c.state, ORDERS.c.paid_at,
        ORDERS.c.manifest_id, ORDERS.c.hold_reason,
    ).where(ORDERS.c.paid_at < cutoff,
            ORDERS.c.state.in_((*ON_FLOOR, NEW, HELD, SHIPPED))).order_by(ORDERS.c.paid_at))
    counts: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(COLUMNS, 0))
    missing: list[dict[str, Any]] = []
    for r in rows:
        if r.state == SHIPPED and r.id not in shipped_today:
            continue  # shipped before today
        courier = r.courier or "-"
        handed = r.state == SHIPPED or r.manifest_id is not None
        column = "handed_over" if handed else _COLUMN.get(r.state, r.state)
        counts[courier][column] += 1
        if handed:
            continue
        pickup_at = _clock(at, cfg.couriers.pickup(courier, cfg.floor.cutoff_handover), cfg)
        reason = _miss_reason(r, at, pickup_at)
        if reason:
            missing.append({"order_no": r.order_no, "courier": courier, "state": r.state,
                            "paid_at": r.paid_at.astimezone(tz).isoformat(),
                            "reason": reason})
    couriers = []
    for courier in sorted(counts):
        row = counts[courier]
        pickup = cfg.couriers.pickup(courier, cfg.floor.cutoff_handover)
        couriers.append({
            "courier": courier, "name": cfg.couriers.names.get(courier, courier),
            "pickup": pickup, "pickup_passed": at >= _clock(at, pickup, cfg),
            "due": sum(row.values()), "to_ship": sum(row.values()) - row["handed_over"],
            **row})
    return {"date": at.astimezone(tz).date().isoformat(), "cutoff_paid": cfg.floor.cutoff_paid,
            "cutoff_handover": cfg.floor.cutoff_handover, "couriers": couriers,
            "missing": missing, "shipped_today": _count_shipped(conn, start, at)}


def _miss_reason(r: Any, at: datetime, pickup: datetime) -> str:
    if r.state == HELD:
        return f"held: {r.hold_reason or '-'}"
    if r.state == NEW:
        return "not released"
    if r.courier is None:
        return "no courier"
    if at >= pickup:
        return "pickup passed"
    return ""


def _count_shipped(conn: Connection, start: datetime, at: datetime) -> int:
    """Every parcel shipped today, paid before the cut-off or not (from the events)."""
    return int(conn.execute(select(func.count()).select_from(EVENTS).where(
        EVENTS.c.kind == "shipped", EVENTS.c.at >= start, EVENTS.c.at <= at)).scalar() or 0)
