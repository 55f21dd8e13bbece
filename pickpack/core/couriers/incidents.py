"""Out-of-area incidents (超区): a courier could not deliver a parcel to its region.

Each is the event ``out_of_area`` on the order: ``{tracking_no, courier, province, city,
region, action: returned|transferred, new_tracking, new_courier}``. The rules propose
themselves from them (:func:`proposals`): at least ``MIN_INCIDENTS`` incidents of one courier in
one city (not yet on its out-of-area list) propose adding that city to the list, with the
courier that delivered there instead (from the transfers' new numbers).
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, or_, select

from pickpack.config import Config
from pickpack.core.couriers.areas import out_of_area
from pickpack.core.events import Actor, append_event
from pickpack.core.refusal import Refusal
from pickpack.core.tables import EVENTS, ORDERS, WAYBILLS

ACTIONS = ("returned", "transferred")
"""What was done with the parcel: sent back to the warehouse, or handed to another courier."""
MIN_INCIDENTS = 2
"""Incidents of one courier in one city that make a proposal."""


@dataclass(frozen=True, slots=True)
class Incident:
    order_no: str
    tracking_no: str
    courier: str
    province: str
    city: str
    action: str
    new_tracking: str = ""
    new_courier: str = ""

    def payload(self) -> dict[str, str]:
        return {"tracking_no": self.tracking_no, "courier": self.courier,
                "province": self.province, "city": self.city,
                "region": f"{self.province} {self.city}".strip(), "action": self.action,
                "new_tracking": self.new_tracking, "new_courier": self.new_courier}


@dataclass(frozen=True, slots=True)
class Proposal:
    courier: str
    province: str
    city: str
    incidents: int
    instead: dict[str, int] = field(default_factory=dict)
    """Couriers that delivered there instead (transfers), with how often."""

    @property
    def region(self) -> str:
        return f"{self.province} {self.city}".strip()

    def to_json(self) -> dict[str, Any]:
        best = max(self.instead, key=lambda c: self.instead[c]) if self.instead else ""
        return {"courier": self.courier, "region": self.region, "incidents": self.incidents,
                "add_out": self.region, "instead": self.instead,
                "rule": {"prefix": self.province, "city": self.city, "courier": best}
                if best else None}


def _courier_of(conn: Connection, cfg: Config, tracking: str) -> str:
    known = conn.execute(select(WAYBILLS.c.courier)
                         .where(WAYBILLS.c.tracking_no == tracking)).scalar()
    if known:
        return str(known)
    shapes = [c for c, p in cfg.couriers.patterns.items() if re.fullmatch(p, tracking)]
    return shapes[0] if len(shapes) == 1 else ""


def record_incident(conn: Connection, cfg: Config, actor: Actor, tracking: str, action: str,
                    region: str = "", new_tracking: str = "") -> Incident:
    """Record that the parcel ``tracking`` came back out of its courier's area (in the caller's
    transaction). ``region``: "province city" ('' the order's address)."""
    if action not in ACTIONS:
        raise Refusal("bad_action", "Unknown action {action}: returned or transferred",
                      action=action)
    if action == "returned" and new_tracking:
        raise Refusal("bad_action", "A returned parcel has no new tracking number")
    row = conn.execute(select(ORDERS).where(or_(
        ORDERS.c.tracking_no == tracking,
        ORDERS.c.id == select(WAYBILLS.c.order_id).where(WAYBILLS.c.tracking_no == tracking)
        .scalar_subquery()))).first()
    if row is None:
        raise Refusal("unknown_tracking", "No order with tracking number {tracking}",
                      tracking=tracking)
    parts = region.split() if region.strip() else [row.province, row.city or ""]
    if len(parts) > 2 or any(len(p) > 32 for p in parts):
        raise Refusal("bad_region", "Region {region}: \"province city\" (e.g. 新疆 阿勒泰地区)",
                      region=region)
    province, city = parts[0], parts[1] if len(parts) > 1 else ""
    incident = Incident(row.order_no, tracking, _courier_of(conn, cfg, tracking) or
                        (row.courier or ""), province, city, action, new_tracking,
                        _courier_of(conn, cfg, new_tracking) if new_tracking else "")
    append_event(conn, actor, "out_of_area", row.id, incident.payload())
    return incident


def incidents(conn: Connection) -> list[Incident]:
    """Every out-of-area incident recorded, oldest first."""
    out = []
    for order_no, payload in conn.execute(
            select(ORDERS.c.order_no, EVENTS.c.payload)
            .join(ORDERS, ORDERS.c.id == EVENTS.c.order_id)
            .where(EVENTS.c.kind == "out_of_area").order_by(EVENTS.c.id)):
        p = json.loads(payload or "{}")
        out.append(Incident(order_no, p.get("tracking_no", ""), p.get("courier", ""),
                            p.get("province", ""), p.get("city", ""), p.get("action", ""),
                            p.get("new_tracking", ""), p.get("new_courier", "")))
    return out


def proposals(conn: Connection, cfg: Config, least: int = MIN_INCIDENTS) -> list[Proposal]:
    """Rules the incidents propose: a city to add to a courier's out-of-area list (one not on
    it yet), most incidents first."""
    seen: dict[tuple[str, str, str], list[Incident]] = defaultdict(list)
    for i in incidents(conn):
        if i.courier and i.province:
            seen[(i.courier, i.province, i.city)].append(i)
    out = []
    for (courier, province, city), group in seen.items():
        if len(group) < least or out_of_area(cfg, courier, province, city):
            continue
        instead = Counter(i.new_courier for i in group if i.new_courier)
        out.append(Proposal(courier, province, city, len(group), dict(instead.most_common())))
    return sorted(out, key=lambda p: (-p.incidents, p.courier, p.region))
