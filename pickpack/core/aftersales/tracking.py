"""Shipped-parcel follow-up: the couriers' tracking updates, and the parcels that need a look.

Updates come from files (pickpack.intake.tracking); each is stored once (tracking no., time,
status). A shipped parcel is listed when it was returned to sender, has a problem update
(异常, 滞留…), or has had no update for ``[aftersales] stale_tracking_days`` (counted from its
last update, or from its handover when it has none) and is not delivered. Each can open a case.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, func, insert, select

from pickpack.config import Config
from pickpack.core.aftersales.cases import insert_case
from pickpack.core.aftersales.tables import CASES, TRACKING
from pickpack.core.aftersales.words import coded
from pickpack.core.authority import as_utc
from pickpack.core.context import Floor
from pickpack.core.events import Actor, append_event, now
from pickpack.core.lifecycle import SHIPPED
from pickpack.core.tables import EVENTS, ORDERS

DELIVERED_WORDS = ("签收", "妥投", "delivered")
RETURNED_WORDS = ("退回", "退件", "拒收", "返回寄件", "returned", "return to sender")
PROBLEM_WORDS = ("异常", "问题件", "滞留", "无法派送", "破损", "丢失", "exception")


def status_state(status: str) -> str:
    """What an update says, by its words: returned, problem, delivered or transit."""
    low = status.lower()
    if any(w in low for w in RETURNED_WORDS):
        return "returned"
    if any(w in low for w in PROBLEM_WORDS):
        return "problem"
    if any(w in low for w in DELIVERED_WORDS):
        return "delivered"
    return "transit"


@dataclass(frozen=True, slots=True)
class Update:
    tracking_no: str
    at: datetime
    status: str
    place: str = ""


def store_updates(conn: Connection, actor: Actor, updates: list[Update]) -> tuple[int, int]:
    """Store the updates not seen before, one event per parcel that got new ones;
    (new, already known)."""
    new: dict[str, list[Update]] = {}
    known = 0
    for u in updates:
        seen = conn.execute(select(TRACKING.c.id).where(
            TRACKING.c.tracking_no == u.tracking_no, TRACKING.c.at == u.at,
            TRACKING.c.status == u.status)).first()
        if seen is not None or u in new.get(u.tracking_no, []):
            known += 1
            continue
        conn.execute(insert(TRACKING).values(tracking_no=u.tracking_no, at=u.at, status=u.status,
                                             place=u.place, state=status_state(u.status),
                                             imported_at=now()))
        new.setdefault(u.tracking_no, []).append(u)
    for tracking_no, got in new.items():
        order_id = conn.execute(select(ORDERS.c.id).where(ORDERS.c.tracking_no == tracking_no)
                                ).scalar()
        last = max(got, key=lambda u: u.at)
        append_event(conn, actor, "tracking_updated", order_id,
                     {"tracking_no": tracking_no, "updates": len(got), "last": last.status,
                      "state": status_state(last.status), "at": last.at.isoformat()})
    return sum(len(v) for v in new.values()), known


@dataclass(frozen=True, slots=True)
class FollowUp:
    order_no: str
    tracking_no: str
    courier: str
    shipped_at: str
    last_at: str
    last_status: str
    why: str
    """stale | returned | problem"""
    days: int
    case: int | None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def follow_up(conn: Connection, cfg: Config, at: datetime | None = None) -> list[FollowUp]:
    """Shipped parcels to look at (see the module docstring), oldest news first."""
    at = at or now()
    stale = timedelta(days=cfg.aftersales.stale_tracking_days)
    shipped_at = dict(conn.execute(select(EVENTS.c.order_id, func.max(EVENTS.c.at))
                                   .where(EVENTS.c.kind == "shipped")
                                   .group_by(EVENTS.c.order_id)).all())
    open_cases = dict(conn.execute(select(CASES.c.order_id, func.max(CASES.c.id)).where(
        and_(CASES.c.kind.in_(("tracking", "lost")), CASES.c.state != "closed"))
        .group_by(CASES.c.order_id)).all())
    out = []
    for o in conn.execute(select(ORDERS.c.id, ORDERS.c.order_no, ORDERS.c.tracking_no,
                                 ORDERS.c.courier).where(ORDERS.c.state == SHIPPED,
                                                         ORDERS.c.tracking_no.is_not(None))):
        last = conn.execute(select(TRACKING).where(TRACKING.c.tracking_no == o.tracking_no)
                            .order_by(TRACKING.c.at.desc(), TRACKING.c.id.desc())).first()
        since = as_utc(last.at) if last is not None else as_utc(shipped_at.get(o.id))
        if since is None:
            continue
        state = last.state if last is not None else "transit"
        why = state if state in ("returned", "problem") else (
            "stale" if state != "delivered" and at - since >= stale else "")
        if not why:
            continue
        shipped = as_utc(shipped_at.get(o.id))
        out.append(FollowUp(o.order_no, o.tracking_no, o.courier or "",
                            shipped.isoformat() if shipped else "", since.isoformat(),
                            last.status if last is not None else "", why,
                            (at - since).days, open_cases.get(o.id)))
    return sorted(out, key=lambda f: f.last_at)


def open_follow_up_cases(floor: Floor, actor: Actor) -> list[int]:
    """A case for each listed parcel with none open yet: ``lost`` for a stale one, else
    ``tracking``; the ids opened."""
    def tx(conn: Connection) -> list[int]:
        opened = []
        for f in follow_up(conn, floor.config):
            if f.case is not None:
                continue
            order_id = conn.execute(select(ORDERS.c.id).where(ORDERS.c.order_no == f.order_no)
                                    ).scalar_one()
            claim = (coded("stale_tracking", days=f.days) if f.why == "stale"
                     else coded("tracking_status", status=f.last_status))
            opened.append(insert_case(conn, actor, "lost" if f.why == "stale" else "tracking",
                                      order_id=order_id, claim=claim,
                                      payload={"why": f.why}))
        return opened

    return floor.run(actor, tx)
