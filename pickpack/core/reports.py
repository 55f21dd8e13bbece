"""Reports built from the store's events and states: the floor, late orders, errors, export."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime, time, timedelta, timezone, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Connection, CursorResult, Engine, func, or_, select, union_all

from db.engine import write_tx
from pickpack.config import Config, ConfigError
from pickpack.core.desk.parcels import platform_orders
from pickpack.core.events import Actor, append_event, now
from pickpack.core.lifecycle import ON_FLOOR, SHIPPED
from pickpack.core.tables import EVENTS, ORDERS

CHINA = timezone(timedelta(hours=8), "CST")
UNSHIPPED = (*ON_FLOOR, "new", "held")
"""The states of an order still to ship (the backlog lists and counts)."""


def floor_tz(cfg: Config) -> tzinfo:
    """The warehouse's ``[floor] timezone``; China time also where no tz database is installed."""
    try:
        return ZoneInfo(cfg.floor.timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        if cfg.floor.timezone in ("Asia/Shanghai", "Asia/Chongqing", "PRC"):
            return CHINA
        raise ConfigError(f"[floor] timezone: unknown time zone {cfg.floor.timezone!r}") from exc


def local_time(at: datetime, cfg: Config) -> str:
    """A stored (UTC) time as the warehouse reads it: ``2026-11-20 17:00``."""
    return at.astimezone(floor_tz(cfg)).strftime("%Y-%m-%d %H:%M")


def floor_counts(conn: Connection) -> dict[str, int]:
    return dict(conn.execute(select(ORDERS.c.state, func.count()).group_by(ORDERS.c.state)).all())


def late_orders(conn: Connection, cfg: Config, at: datetime | None = None, *,
                limit: int | None = None) -> list[dict[str, Any]]:
    """Unshipped paid orders past the warning age (48 h), marked late past 72 h, the oldest
    first (the first ``limit`` only, if given); ``paid_at`` in the warehouse's time zone (ISO 8601
    with its offset)."""
    at = at or now()
    warn = at - timedelta(hours=cfg.floor.warn_after_h)
    rows = driver_rows(conn.execute(_backlog(warn, limit)))
    tz = floor_tz(cfg)
    out = []
    late_after = cfg.floor.late_after_h
    for order_no, state, paid, hold_reason in rows:
        paid = utc(paid)
        age_h = (at - paid).total_seconds() / 3600
        out.append({"order_no": order_no, "state": state, "paid_at": paid.astimezone(tz).isoformat(),
                    "age_h": round(age_h, 1), "late": age_h >= late_after,
                    "hold_reason": hold_reason})
    return out


def _backlog(before: datetime, limit: int | None) -> Any:
    """Unshipped orders paid before ``before``, the oldest first. With a ``limit`` (the board's
    oldest few), the oldest of each state are taken from its own range of ``(state, paid_at)``
    and merged: asked in one, PostgreSQL walked ``paid_at`` from the oldest order and passed
    every shipped one (990,000 on the 1,000,000-order store: 3.9 s a board, issue 19 §5)."""
    cols = (ORDERS.c.order_no, ORDERS.c.state, ORDERS.c.paid_at, ORDERS.c.hold_reason)
    if limit is None:
        return select(*cols).where(ORDERS.c.state.in_(UNSHIPPED), ORDERS.c.paid_at < before) \
            .order_by(ORDERS.c.paid_at)
    parts = [select(*cols).where(ORDERS.c.state == state, ORDERS.c.paid_at < before)
             .order_by(ORDERS.c.paid_at).limit(limit).subquery() for state in UNSHIPPED]
    merged = union_all(*(select(part) for part in parts)).subquery()
    return select(merged).order_by(merged.c.paid_at).limit(limit)


def driver_rows(result: CursorResult[Any]) -> list[Any]:
    """Every row of ``result`` at once, as the driver gives them: no Row object and no type
    conversion per row (times are SQLite's text or PostgreSQL's datetimes: read them with
    :func:`utc`). SQLAlchemy's rows cost 2–3× the query for the 181,600 order numbers of
    ``report cutoff`` (issue 19 §5)."""
    try:
        return list(result.cursor.fetchall()) if result.cursor is not None else []
    finally:
        result.close()


def utc(at: datetime | str) -> datetime:
    """A time from :func:`driver_rows`, in UTC: SQLite gives the store's UTC text, PostgreSQL
    an aware datetime."""
    if isinstance(at, str):
        at = datetime.fromisoformat(at)
    if at.tzinfo is None:
        return at.replace(tzinfo=UTC)
    return at if at.tzinfo is UTC else at.astimezone(UTC)


def late_counts(conn: Connection, cfg: Config, at: datetime | None = None) -> tuple[int, int]:
    """How many orders :func:`late_orders` lists (at risk, 48 h), and how many of them are late
    (72 h): two counts the store makes, not a list read into the process."""
    at = at or now()
    unshipped = ORDERS.c.state.in_((*ON_FLOOR, "new", "held"))
    warn = at - timedelta(hours=cfg.floor.warn_after_h)
    late = at - timedelta(hours=cfg.floor.late_after_h)

    def count(*where: Any) -> int:
        return int(conn.execute(select(func.count()).select_from(ORDERS).where(
            unshipped, *where)).scalar_one())

    return count(ORDERS.c.paid_at < warn), count(ORDERS.c.paid_at < warn, ORDERS.c.paid_at <= late)


def missed_cutoff(conn: Connection, cfg: Config, day: datetime | None = None) -> list[str]:
    """Orders paid before today's cut-off (``[floor] cutoff_paid`` in ``[floor] timezone``)
    that have not shipped."""
    tz = floor_tz(cfg)
    local = (day or now()).astimezone(tz)
    hh, mm = (int(x) for x in cfg.floor.cutoff_paid.split(":"))
    cutoff = datetime.combine(local.date(), time(hh, mm), tz).astimezone(UTC)
    return [r[0] for r in driver_rows(conn.execute(
        select(ORDERS.c.order_no).where(
            ORDERS.c.paid_at < cutoff, ORDERS.c.state.in_((*ON_FLOOR, "new", "held")))
        .order_by(ORDERS.c.paid_at)))]


def errors_by_person(conn: Connection, since: datetime,
                     until: datetime | None = None) -> list[dict[str, Any]]:
    """Refused scans per operator and reason from ``since`` (to ``until``, excluded, if given);
    verify errors also count against the picker."""
    counts: Counter[tuple[str, str, str]] = Counter()
    span = [EVENTS.c.kind == "refused", EVENTS.c.at >= since]
    if until is not None:
        span.append(EVENTS.c.at < until)
    for op, payload in conn.execute(select(EVENTS.c.operator, EVENTS.c.payload).where(*span)):
        data = json.loads(payload)
        code = data.get("code", "?")
        counts[(op, code, "caught")] += 1
        if data.get("picker") and code in ("wrong_item", "too_many"):
            counts[(data["picker"], code, "picked")] += 1
    from pickpack.core.aftersales.errors import case_errors  # errors confirmed by a case

    return [{"operator": op, "code": code, "role": role, "count": n}
            for (op, code, role), n in sorted(counts.items())] + case_errors(conn, since, until)


def reship_ids(conn: Connection) -> set[int]:
    """Orders that are reships or exchanges of another (never sent to the platform)."""
    from pickpack.core.aftersales.tables import RESHIPS

    return set(conn.execute(select(RESHIPS.c.order_id)).scalars())


def export_shipped(engine: Engine, actor: Actor, *, again: bool = False) -> list[dict[str, str]]:
    """Handed-over orders not yet sent back to the platform; each is marked exported (an event).
    A parcel handed over (its ``shipped`` event) goes back whatever its state now: one that came
    back as a return before the export ran still needs its waybill on the platform."""
    with write_tx(engine) as conn:
        done = set() if again else set(conn.execute(
            select(EVENTS.c.order_id).where(EVENTS.c.kind == "exported")).scalars())
        handed_over = select(EVENTS.c.order_id).where(EVENTS.c.kind == "shipped")
        rows = conn.execute(select(ORDERS.c.id, ORDERS.c.order_no, ORDERS.c.courier,
                                   ORDERS.c.tracking_no)
                            .where(or_(ORDERS.c.state == SHIPPED, ORDERS.c.id.in_(handed_over)))
                            .order_by(ORDERS.c.id)).all()
        out = []
        done |= reship_ids(conn)  # a reship is no platform order (pickpack.core.aftersales)
        for r in rows:
            if r.id in done:
                continue
            append_event(conn, actor, "exported", r.id, {"tracking_no": r.tracking_no})
            # a parcel answers for every platform order in it (pickpack.core.desk: merge, split)
            for order_no in platform_orders(conn, r.id, r.order_no):
                out.append({"order_no": order_no, "courier": r.courier or "",
                            "tracking_no": r.tracking_no or ""})
        return out
