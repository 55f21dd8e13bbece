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

from sqlalchemy import Connection, and_, func, or_, select

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
    """The board at ``at`` (now). Two grouped reads, whatever the store's history: the counts
    per courier, state and manifest (an order shipped before today is left out by the store),
    then the orders not handed over that will miss their pickup."""
    at = at or now()
    tz = floor_tz(cfg)
    start = datetime.combine(at.astimezone(tz).date(), time(0, 0), tz).astimezone(UTC)
    cutoff = cutoff_today(cfg, at)
    shipped_today = select(EVENTS.c.order_id).where(
        EVENTS.c.kind == "shipped", EVENTS.c.at >= start, EVENTS.c.at <= at,
        EVENTS.c.order_id.is_not(None))
    open_states = ORDERS.c.state.in_((*ON_FLOOR, NEW, HELD))
    on_manifest = ORDERS.c.manifest_id.is_not(None)
    counts: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(COLUMNS, 0))
    for courier, state, manifested, n in conn.execute(
            select(ORDERS.c.courier, ORDERS.c.state, on_manifest, func.count())
            .where(ORDERS.c.paid_at < cutoff,
                   or_(open_states,
                       and_(ORDERS.c.state == SHIPPED, ORDERS.c.id.in_(shipped_today))))
            .group_by(ORDERS.c.courier, ORDERS.c.state, on_manifest)):
        handed = state == SHIPPED or bool(manifested)
        column = "handed_over" if handed else _COLUMN.get(state, state)
        counts[courier or "-"][column] += int(n)
    pickups = {c: cfg.couriers.pickup(c, cfg.floor.cutoff_handover) for c in counts}
    passed = [c for c, hhmm in pickups.items() if c != "-" and at >= _clock(at, hhmm, cfg)]
    missing: list[dict[str, Any]] = []
    for r in conn.execute(select(
            ORDERS.c.order_no, ORDERS.c.courier, ORDERS.c.state, ORDERS.c.paid_at,
            ORDERS.c.hold_reason,
    ).where(ORDERS.c.paid_at < cutoff, open_states, ORDERS.c.manifest_id.is_(None),
            or_(ORDERS.c.state.in_((HELD, NEW)), ORDERS.c.courier.is_(None),
                ORDERS.c.courier.in_(passed)))
            .order_by(ORDERS.c.paid_at, ORDERS.c.id)):
        courier = r.courier or "-"
        reason = _miss_reason(r, at, _clock(at, pickups.get(courier, cfg.floor.cutoff_handover),
                                            cfg))
        if reason:
            missing.append({"order_no": r.order_no, "courier": courier, "state": r.state,
                            "paid_at": r.paid_at.astimezone(tz).isoformat(),
                            "reason": reason})
    couriers = []
    for courier in sorted(counts):
        row = counts[courier]
        pickup = pickups[courier]
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
