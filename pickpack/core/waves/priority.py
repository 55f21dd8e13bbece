"""Which ready order goes first: an acknowledged urgency (加急), then what must ship today, then
the earliest ship-by time, then first paid.

What must ship today: an order paid before ``[floor] cutoff_paid``, or one whose platform
promise (``orders.promised_ship_at``: 承诺发货时间, pre-sales) falls before the end of today in
``[floor] timezone``. The ship-by time is that promise where the export had one, else 72 h from
payment (``[floor] late_after_h``; at risk from ``warn_after_h``): within a class a pre-sale
promised for tonight goes before an order paid yesterday, and one promised for next week after
today's others (Pinduoduo promises every order, so its orders keep the cut-off like any other).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import NamedTuple

from sqlalchemy import Connection, case, func, select
from sqlalchemy.sql.elements import ColumnElement

from pickpack.config import Config
from pickpack.core.reports import floor_tz
from pickpack.core.tables import EVENTS, ORDERS

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
    day_end: datetime
    """The end of today in ``[floor] timezone`` (UTC): a promise before it ships today, even
    when paid after the cut-off."""

    @classmethod
    def at(cls, conn: Connection, cfg: Config, at: datetime) -> Ranking:
        tz = floor_tz(cfg)
        tomorrow = at.astimezone(tz).date() + timedelta(days=1)
        return cls(urgent_orders(conn), cutoff_today(cfg, at),
                   timedelta(hours=cfg.floor.late_after_h),
                   datetime.combine(tomorrow, time(0, 0), tz).astimezone(UTC))

    def klass(self, order_id: int, paid_at: datetime, promised: datetime | None = None) -> int:
        if order_id in self.urgent:
            return URGENT
        if paid_at < self.cutoff or (promised is not None and promised < self.day_end):
            return TODAY
        return LATER

    def due(self, paid_at: datetime, promised: datetime | None = None) -> datetime:
        """When the order must have shipped: the platform's promise where it made one, else
        72 h (``late_after_h``) from payment; within a class orders go by this, then by
        payment, then by id."""
        return promised if promised is not None else paid_at + self.ship_within

    def klass_sql(self) -> ColumnElement[int]:
        """:meth:`klass` but urgency, in SQL over ``orders`` (the build's one statement)."""
        return case((ORDERS.c.paid_at < self.cutoff, TODAY),
                    (ORDERS.c.promised_ship_at < self.day_end, TODAY), else_=LATER)

    def due_sql(self, sqlite: bool) -> ColumnElement[object]:
        """A sort key that orders as :meth:`due` does: payment, or the promise less
        ``late_after_h`` (promise < payment + h exactly when promise - h < payment). Rows
        without a promise sort by their stored payment as it is (on SQLite the text the
        store wrote, parsed for no row but the promised ones)."""
        if sqlite:
            back = f"-{int(self.ship_within.total_seconds())} seconds"
            return func.coalesce(
                func.strftime("%Y-%m-%d %H:%M:%f", ORDERS.c.promised_ship_at, back),
                ORDERS.c.paid_at)
        return func.coalesce(ORDERS.c.promised_ship_at - self.ship_within, ORDERS.c.paid_at)
