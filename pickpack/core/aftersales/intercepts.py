"""快递拦截: a parcel the courier was asked to bring back (a refund after handover).

The request is made by the refund import (pickpack.core.aftersales.refunds). Its outcome comes
from the courier: ``intercepted`` — the parcel is on its way back, so a return is expected for
the returns station (by the original's tracking number); ``failed`` — it was delivered all the
same, and the buyer's return (or a case) follows. Each outcome is an event.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Connection, select, update

from pickpack.core.aftersales.returns import register_return
from pickpack.core.aftersales.tables import INTERCEPTS, REFUNDS
from pickpack.core.context import Floor
from pickpack.core.events import Actor, append_event, now
from pickpack.core.orders import require_order_id
from pickpack.core.refusal import Refusal
from pickpack.core.tables import LINES

OUTCOMES = ("intercepted", "failed")


@dataclass(frozen=True, slots=True)
class InterceptView:
    id: int
    order_id: int
    tracking_no: str
    refund_no: str
    status: str
    outcome: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def list_intercepts(conn: Connection, *, status: str | None = None) -> list[InterceptView]:
    query = select(INTERCEPTS).order_by(INTERCEPTS.c.id)
    if status:
        query = query.where(INTERCEPTS.c.status == status)
    return [InterceptView(r.id, r.order_id, r.tracking_no, r.refund_no, r.status, r.outcome)
            for r in conn.execute(query)]


def settle_intercept(floor: Floor, actor: Actor, key: str, status: str,
                     outcome: str = "") -> InterceptView:
    """The courier's answer for the parcel of order or tracking no. ``key``."""
    if status not in OUTCOMES:
        raise Refusal("bad_intercept", "Unknown intercept outcome {status}: intercepted or "
                      "failed", status=status)

    def tx(conn: Connection) -> InterceptView:
        order_id = require_order_id(conn, key)
        row = conn.execute(select(INTERCEPTS).where(INTERCEPTS.c.order_id == order_id,
                                                    INTERCEPTS.c.status == "requested")
                           .order_by(INTERCEPTS.c.id.desc())).first()
        if row is None:
            raise Refusal("no_intercept", "No courier intercept asked for {key}", key=key)
        conn.execute(update(INTERCEPTS).where(INTERCEPTS.c.id == row.id)
                     .values(status=status, outcome=outcome[:200], settled_at=now()))
        append_event(conn, actor, "intercept_settled", order_id,
                     {"intercept": row.id, "status": status, "outcome": outcome,
                      "refund_no": row.refund_no})
        if status == "intercepted":
            reason = conn.execute(select(REFUNDS.c.reason).where(
                REFUNDS.c.refund_no == row.refund_no)).scalar() or "courier intercept"
            declared = [{"sku": r.sku, "qty": r.qty} for r in conn.execute(
                select(LINES.c.sku, LINES.c.qty).where(LINES.c.order_id == order_id))]
            register_return(conn, actor, order_id, refund_no=row.refund_no,
                            tracking_no=row.tracking_no, reason=str(reason),
                            declared=declared, source="refund")
        return InterceptView(row.id, order_id, row.tracking_no, row.refund_no, status,
                             outcome)

    return floor.run(actor, tx)
