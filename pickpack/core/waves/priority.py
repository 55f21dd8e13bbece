"""Which ready order goes first: an acknowledged urgency (加急), then what must ship today (paid
before ``[floor] cutoff_paid``), then the earliest ship-by time, then first paid.

The ship-by time is 72 h from payment (``[floor] late_after_h``; at risk from ``warn_after_h``).
A platform's promised ship time (承诺发货时间) would come first, but the store keeps none yet:
the order table has no column for it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import NamedTuple

from sqlalchemy import Connection, select

from pickpack.config import Config
from pickpack.core.reports import floor_tz
from pickpack.core.tables import EVENTS

URGENT, TODAY, LATER = 0, 1, 2
"""Priority classes: an acknowledged urgency, paid before today's cut-off, the rest."""


class Candidate(NamedTuple):
    """A ready order as the wave builder sees it, in priority order among its class."""

    id: int
    courier: str
    klass: int
    """URGENT, TODAY or LATER (:class:`Ranking`)."""
    lines: int
    units: int
    sku: str
    """The SKU of a one-line order (its smallest SKU otherwise)."""


def cutoff_today(cfg: Config, at: datetime) -> datetime:
    """Today's ``[floor] cutoff_paid`` (in ``[floor] timezone``) as a UTC time."""
    tz = floor_tz(cfg)
    hh, mm = (int(x) for x in cfg.floor.cutoff_paid.split(":"))
    return datetime.combine(at.astimezone(tz).date(), time(hh, mm), tz).astimezone(UTC)


def urgent_orders(conn: Connection) -> set[int]:
    """Orders whose latest ``remark_acked`` event carries an urgency that is not negated (the
    desk's remark reader writes these when the clerk acknowledges a remark)."""
    latest: dict[int, str] = {}
    for order_id, payload in conn.execute(
            select(EVENTS.c.order_id, EVENTS.c.payload)
            .where(EVENTS.c.kind == "remark_acked", EVENTS.c.order_id.is_not(None))
            .order_by(EVENTS.c.id)):
        latest[int(order_id)] = payload
    return {order_id for order_id, payload in latest.items() if _urgent(payload)}


def _urgent(payload: str) -> bool:
    try:
        actions = json.loads(payload).get("actions", [])
    except (ValueError, AttributeError):
        return False  # not the remark reader's shape: no urgency read into it
    return any(isinstance(a, dict) and a.get("kind") == "urgent" and not a.get("negated")
               for a in actions if isinstance(actions, list))


@dataclass(frozen=True, slots=True)
class Ranking:
    """The build's view of time: who is urgent, today's cut-off, the ship-by rule."""

    urgent: set[int]
    cutoff: datetime
    ship_within: timedelta

    @classmethod
    def at(cls, conn: Connection, cfg: Config, at: datetime) -> Ranking:
        return cls(urgent_orders(conn), cutoff_today(cfg, at),
                   timedelta(hours=cfg.floor.late_after_h))

    def klass(self, order_id: int, paid_at: datetime) -> int:
        if order_id in self.urgent:
            return URGENT
        return TODAY if paid_at < self.cutoff else LATER

    def due(self, paid_at: datetime) -> datetime:
        """When the order must have shipped: 72 h (``late_after_h``) from payment; within a
        class orders go by this, then by payment (the same order while it is payment + a
        constant), then by id."""
        return paid_at + self.ship_within
