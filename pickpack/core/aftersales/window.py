"""The 7-day no-reason return window (七天无理由), counted from delivery.

Delivery is read from the tracking updates imported for the parcel
(:mod:`pickpack.core.aftersales.tracking`); with none, the window cannot be counted and the
station says so rather than guess.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, func, select

from pickpack.config import Config
from pickpack.core.aftersales.tables import TRACKING
from pickpack.core.authority import as_utc
from pickpack.core.events import now
from pickpack.core.reports import local_time
from pickpack.i18n import _


def delivered_at(conn: Connection, tracking_no: str) -> datetime | None:
    """When the courier reported the parcel delivered (the first such update)."""
    if not tracking_no:
        return None
    return as_utc(conn.execute(select(func.min(TRACKING.c.at)).where(
        TRACKING.c.tracking_no == tracking_no, TRACKING.c.state == "delivered")).scalar())


def no_reason_window(conn: Connection, cfg: Config, tracking_no: str,
                     at: datetime | None = None) -> str:
    """One line for the returns station: day N of the window, or when it ended."""
    days = cfg.aftersales.no_reason_days
    delivered = delivered_at(conn, tracking_no)
    if delivered is None:
        return _("{n}-day no-reason window: no delivery recorded").format(n=days)
    day = ((at or now()) - delivered).days + 1
    when = local_time(delivered, cfg)
    if day <= days:
        return _("{n}-day no-reason window: day {d} of {n} (delivered {when})").format(
            n=days, d=day, when=when)
    return _("{n}-day no-reason window ended: delivered {when}, {d} days ago").format(
        n=days, when=when, d=day - 1)
