"""Courier claims: a damaged, lost or stalled parcel claimed from its courier.

A claim belongs to a case (its parcel's courier and tracking number come from the order) and
records the goods' value, the photos (file paths), the amount claimed and, once settled, the
amount paid or the refusal. ``claim_filed`` and ``claim_settled`` are its events. The monthly
summary counts the claims of each courier filed that month (the warehouse's local month).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from pickpack.config import Config
from pickpack.core.aftersales.cases import load_case
from pickpack.core.aftersales.tables import CLAIMS
from pickpack.core.authority import as_utc
from pickpack.core.context import Floor
from pickpack.core.events import Actor, append_event, now
from pickpack.core.refusal import Refusal
from pickpack.core.reports import floor_tz
from pickpack.core.tables import ORDERS

CLAIMED_KINDS = ("damaged", "lost", "tracking", "short", "other")


@dataclass(frozen=True, slots=True)
class ClaimView:
    id: int
    case_id: int | None
    courier: str
    tracking_no: str
    value: float
    photos: list[str]
    claimed: float
    paid: float | None
    state: str
    filed_at: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _view(row: Any) -> ClaimView:
    filed = as_utc(row.filed_at)
    return ClaimView(row.id, row.case_id, row.courier, row.tracking_no, row.value,
                     json.loads(row.photos or "[]"), row.claimed, row.paid, row.state,
                     filed.isoformat() if filed else "")


def file_claim(floor: Floor, actor: Actor, case_id: int, *, value: float, claimed: float,
               photos: list[str] | None = None) -> ClaimView:
    """A claim on the courier of the case's parcel."""
    if value < 0 or claimed < 0:
        raise Refusal("bad_amount", "An amount is not negative: {v}", v=min(value, claimed))

    def tx(conn: Connection) -> ClaimView:
        case = load_case(conn, case_id)
        if case.order_id is None:
            raise Refusal("case_no_order", "Case {case} names no order to investigate",
                          case=case_id)
        order = conn.execute(select(ORDERS.c.courier, ORDERS.c.tracking_no)
                             .where(ORDERS.c.id == case.order_id)).one()
        if not order.courier:
            raise Refusal("no_courier", "Order {order_no} has no courier to claim from",
                          order_no=case.order_no)
        claim_id = int(conn.execute(insert(CLAIMS).values(
            case_id=case_id, courier=order.courier, tracking_no=order.tracking_no or "",
            value=value, photos=json.dumps(photos or [], ensure_ascii=False), claimed=claimed,
            state="filed", filed_at=now())).inserted_primary_key[0])  # type: ignore[index]
        append_event(conn, actor, "claim_filed", case.order_id,
                     {"claim": claim_id, "case": case_id, "courier": order.courier,
                      "value": value, "claimed": claimed, "photos": photos or []})
        return _view(conn.execute(select(CLAIMS).where(CLAIMS.c.id == claim_id)).one())

    return floor.run(actor, tx)


def settle_claim(floor: Floor, actor: Actor, claim_id: int, paid: float | None) -> ClaimView:
    """The courier paid ``paid`` (None: refused the claim)."""
    def tx(conn: Connection) -> ClaimView:
        row = conn.execute(select(CLAIMS).where(CLAIMS.c.id == claim_id)).first()
        if row is None:
            raise Refusal("unknown_claim", "No courier claim {claim}", claim=claim_id)
        if row.state != "filed":
            raise Refusal("claim_settled", "Claim {claim} is {state} already", claim=claim_id,
                          state=row.state)
        state = "refused" if paid is None else "paid"
        conn.execute(update(CLAIMS).where(CLAIMS.c.id == claim_id)
                     .values(state=state, paid=paid, settled_at=now()))
        case_order = None if row.case_id is None else load_case(conn, row.case_id).order_id
        append_event(conn, actor, "claim_settled", case_order,
                     {"claim": claim_id, "state": state, "paid": paid, "courier": row.courier})
        return _view(conn.execute(select(CLAIMS).where(CLAIMS.c.id == claim_id)).one())

    return floor.run(actor, tx)


def month_bounds(month: str, cfg: Config) -> tuple[datetime, datetime]:
    """``YYYY-MM`` in the warehouse's time zone as UTC bounds (ValueError naming it)."""
    try:
        year, mon = (int(x) for x in month.split("-"))
        start = date(year, mon, 1)
    except ValueError:
        raise ValueError(f"--month {month!r}: a month such as 2026-11") from None
    end = date(year + (mon == 12), mon % 12 + 1, 1)
    tz = floor_tz(cfg)
    return (datetime(start.year, start.month, 1, tzinfo=tz).astimezone(UTC),
            datetime(end.year, end.month, 1, tzinfo=tz).astimezone(UTC))


def monthly_summary(conn: Connection, cfg: Config, month: str) -> list[dict[str, Any]]:
    """Per courier: claims filed in ``month``, open, paid, refused, amounts claimed and paid."""
    start, end = month_bounds(month, cfg)
    out: dict[str, dict[str, Any]] = {}
    for r in conn.execute(select(CLAIMS).where(CLAIMS.c.filed_at >= start,
                                               CLAIMS.c.filed_at < end)):
        s = out.setdefault(r.courier, {"courier": r.courier, "claims": 0, "open": 0, "paid": 0,
                                       "refused": 0, "value": 0.0, "claimed": 0.0,
                                       "received": 0.0})
        s["claims"] += 1
        s["open" if r.state == "filed" else r.state] += 1
        s["value"] += r.value
        s["claimed"] += r.claimed
        s["received"] += r.paid or 0.0
    return [out[c] for c in sorted(out)]


def list_claims(conn: Connection, *, case_id: int | None = None) -> list[ClaimView]:
    query = select(CLAIMS).order_by(CLAIMS.c.id)
    if case_id is not None:
        query = query.where(CLAIMS.c.case_id == case_id)
    return [_view(r) for r in conn.execute(query)]
