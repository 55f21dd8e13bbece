"""What left: parcels handed over per courier and shop, those that left late (past
``[floor] warn_after_h`` / ``late_after_h`` after payment); what is still late or at risk, and
what missed the day's cut-off (``report late`` and ``report cutoff``, as of the span's end)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, select

from pickpack.config import Config
from pickpack.core.events import now
from pickpack.core.report import Span, Table
from pickpack.core.reports import driver_rows, late_orders, missed_cutoff, utc
from pickpack.core.tables import EVENTS, ORDERS
from pickpack.i18n import N_

COLUMNS = (("courier", N_("courier")), ("shop", N_("shop")), ("shipped", N_("handed over")),
           ("at_risk", N_("left after warning")), ("late", N_("left late")))
LATE_COLUMNS = (("order_no", N_("order")), ("state", N_("state")), ("paid_at", N_("paid")),
                ("age_h", N_("age h")), ("status", N_("status")),
                ("hold_reason", N_("hold reason")))
CUTOFF_COLUMNS = (("order_no", N_("order")),)


def shipped(conn: Connection, cfg: Config, span: Span, at: datetime | None = None) -> list[Table]:
    """Handed over in the span per courier and shop; late and at-risk; missed cut-off."""
    at = min(at or now(), span.end - timedelta(seconds=1))  # still the span's last day
    per: dict[tuple[str, str], dict[str, int]] = defaultdict(
        lambda: {"shipped": 0, "at_risk": 0, "late": 0})
    for courier, shop, paid_at, when in handed_over(conn, span).values():
        row = per[(courier or "-", shop or "-")]
        row["shipped"] += 1
        age_h = (when - paid_at).total_seconds() / 3600 if paid_at else 0.0
        row["late"] += age_h >= cfg.floor.late_after_h
        row["at_risk"] += cfg.floor.warn_after_h <= age_h < cfg.floor.late_after_h
    out = Table("shipped", N_("Handed over per courier and shop"), COLUMNS, [
        {"courier": c, "shop": s, **n} for (c, s), n in sorted(per.items())])
    late: list[dict[str, Any]] = late_orders(conn, cfg, at)
    for o in late:  # as `report late` shows them
        o["paid_at"] = o["paid_at"][:16].replace("T", " ")
        o["status"] = "late" if o["late"] else "at_risk"
        o["hold_reason"] = o["hold_reason"] or ""
    cutoff = [{"order_no": o} for o in missed_cutoff(conn, cfg, at)]
    return [out, Table("late", N_("Late and at risk"), LATE_COLUMNS, late),
            Table("cutoff", N_("Missed cut-off"), CUTOFF_COLUMNS, cutoff)]


def handed_over(conn: Connection, span: Span) -> dict[int, tuple[str | None, str | None,
                                                              datetime | None, datetime]]:
    """Orders handed over in the span: ``id → (courier, shop, paid_at, handed over at)``, the
    last ``shipped`` event of each; one join through the ``(kind, at)`` index."""
    rows = driver_rows(conn.execute(
        select(ORDERS.c.id, ORDERS.c.courier, ORDERS.c.shop, ORDERS.c.paid_at, EVENTS.c.at)
        .join(ORDERS, ORDERS.c.id == EVENTS.c.order_id)
        .where(EVENTS.c.kind == "shipped", EVENTS.c.at >= span.start, EVENTS.c.at < span.end)
        .order_by(EVENTS.c.at, EVENTS.c.id)))
    return {oid: (courier, shop, paid and utc(paid), utc(at))
            for oid, courier, shop, paid, at in rows}
