"""What a platform refund does on the floor (退款报表, read by pickpack.intake.refunds).

Before shipping: a full refund cancels the order (intercepted at the next station that scans
it, as a platform close is); a partial refund splits the refunded lines off into a parcel of
their own (the desk's split) and cancels that, or, where the order can no longer be split
(on the floor, slip printed), holds it with the reason ``partial refund``; a refund still
pending (退款中) holds the order, and the hold is lifted when the refund is closed.
After handover: a refund with a return expects the return parcel (registered for the returns
station); a pending refund with no return asks the courier to intercept the parcel (快递拦截).

A platform order merged into another's parcel (the desk's merge) is refunded on the parcel
(:mod:`pickpack.core.aftersales.merged`): a full refund takes its lines off the parcel and
cancels them while the rest ships (the parcel held naming it once its slip is out), a partial
one holds the parcel for the desk, a pending one holds the parcel until the refund closes.
The parcel's own order refunded gives the orders merged into it back (to ``new``, with their
lines) before it is cancelled; only its own lines count for a full refund. After handover the
courier is asked to intercept a parcel of several orders only when every one of them is
refunded; a refund of some of them opens a case (``refund_in_parcel``) instead.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from sqlalchemy import Connection, Row, insert, select, update

from pickpack.core.aftersales.cases import insert_case
from pickpack.core.aftersales.merged import (
    REFUNDED_HOLD,
    close_merged,
    give_back_merged,
    own_line_ids,
    parcel_of,
    parcels_with_merged,
)
from pickpack.core.aftersales.returns import register_return
from pickpack.core.aftersales.tables import INTERCEPTS, REFUNDS, RETURNS
from pickpack.core.context import Floor, OrderAt, lock_order, move
from pickpack.core.desk.parcels import CHANGEABLE, MERGED, platform_orders
from pickpack.core.desk.rows import DESK_LINES
from pickpack.core.desk.split import split_order
from pickpack.core.desk.waybills import slip_out
from pickpack.core.events import Actor, append_event, now
from pickpack.core.lifecycle import CANCELLED, HELD, NEW, ON_FLOOR, PARTLY_RETURNED, RETURNED
from pickpack.core.lifecycle import SHIPPED as SHIPPED_STATE
from pickpack.core.orders import find_order_id
from pickpack.core.refusal import Refusal
from pickpack.core.tables import LINES

SUCCESS, PENDING, CLOSED = "success", "pending", "closed"
PENDING_HOLD = "refund pending (退款中)"
PARTIAL_HOLD = "partial refund"
BEFORE_SHIPPING = (NEW, HELD, "unpaid", *ON_FLOOR)
AFTER_SHIPPING = (SHIPPED_STATE, RETURNED, PARTLY_RETURNED)
REFUND = "platform_refund"
PARCEL_REFUNDED = ("case_opened", "intercept_requested", "refunded_after_shipping",
                   "return_expected")
"""What a refund after handover left in ``refunds.acted``: that order of a parcel is refunded."""


@dataclass(frozen=True, slots=True)
class RefundRecord:
    refund_no: str
    order_no: str
    amount: float
    status: str
    """As the export says (退款成功, 退款关闭, 买家已经申请退款，等待卖家同意…)."""
    kind: str
    """success | pending | closed"""
    reason: str = ""
    items: list[dict[str, Any]] = field(default_factory=list)
    return_tracking: str = ""
    needs_return: bool = False


@dataclass
class RefundsApplied:
    acted: dict[str, int] = field(default_factory=dict)
    """What was done → how many refunds (cancelled, split, held, released, …)."""
    unknown_orders: list[str] = field(default_factory=list)

    def count(self, what: str) -> None:
        self.acted[what] = self.acted.get(what, 0) + 1


def apply_refunds(floor: Floor, actor: Actor, records: list[RefundRecord]) -> RefundsApplied:
    """Each refund in a transaction of its own (a split is the desk's own transaction)."""
    done = RefundsApplied()
    for rec in records:
        acted = floor.run(actor, partial(_apply, floor=floor, actor=actor, rec=rec))
        if acted == "split_needed":
            acted = _split_off(floor, actor, rec)
        floor.run(actor, partial(_acted, refund_no=rec.refund_no, acted=acted))
        done.count(acted)
        if acted == "unknown_order":
            done.unknown_orders.append(rec.order_no)
    return done


def _acted(conn: Connection, *, refund_no: str, acted: str) -> None:
    conn.execute(update(REFUNDS).where(REFUNDS.c.refund_no == refund_no).values(acted=acted))


def _store(conn: Connection, rec: RefundRecord, order_id: int | None) -> Row[Any] | None:
    """The refund row as it was before (None: new), and the new one written."""
    before = conn.execute(select(REFUNDS).where(REFUNDS.c.refund_no == rec.refund_no)).first()
    values = {"order_no": rec.order_no, "order_id": order_id, "amount": rec.amount,
              "status": rec.status, "reason": rec.reason,
              "items": json.dumps(rec.items, ensure_ascii=False),
              "return_tracking": rec.return_tracking, "imported_at": now()}
    if before is None:
        conn.execute(insert(REFUNDS).values(refund_no=rec.refund_no, acted="", **values))
    else:
        conn.execute(update(REFUNDS).where(REFUNDS.c.refund_no == rec.refund_no).values(**values))
    return before


def _apply(conn: Connection, *, floor: Floor, actor: Actor, rec: RefundRecord) -> str:
    order_id = find_order_id(conn, rec.order_no)
    before = _store(conn, rec, order_id)
    if before is not None and before.status == rec.status and before.acted \
            and before.return_tracking == rec.return_tracking:
        return str(before.acted)  # the same line imported again: nothing new to do
    if order_id is None:
        return "unknown_order"
    row = lock_order(conn, order_id)
    info = {"refund_no": rec.refund_no, "status": rec.status, "amount": rec.amount}
    append_event(conn, actor, "refund_imported", order_id, {**info, "kind": rec.kind})
    parcel_id = parcel_of(conn, row.id) if row.state == MERGED else None
    if parcel_id is not None:
        return _in_parcel(conn, actor, row, lock_order(conn, parcel_id), rec, info)
    if row.state in BEFORE_SHIPPING and rec.kind == SUCCESS \
            and parcels_with_merged(conn, [row.id]):
        return _parcel_refunded(conn, actor, row, rec, info)
    if row.state in BEFORE_SHIPPING:
        return _before_shipping(conn, actor, row, rec, info)
    if row.state in AFTER_SHIPPING:
        return _after_shipping(conn, actor, row, rec)
    return "unchanged"


def _in_parcel(conn: Connection, actor: Actor, child: Row[Any], parcel: Row[Any],
               rec: RefundRecord, info: dict[str, Any]) -> str:
    """A refund of a platform order that travels merged in ``parcel``."""
    info = {**info, "refunded_order": child.order_no}
    if parcel.state in AFTER_SHIPPING:
        return _after_shipping(conn, actor, parcel, rec)
    if rec.kind != SUCCESS:
        return _before_shipping(conn, actor, parcel, rec, info)
    mine = conn.execute(select(LINES.c.id).join(DESK_LINES, DESK_LINES.c.line_id == LINES.c.id)
                        .where(LINES.c.order_id == parcel.id,
                               DESK_LINES.c.origin_id == child.id)).scalars().all()
    if _refunds_all(conn, list(mine), rec):
        return close_merged(conn, actor, child.id, info, reason=REFUND) or "unchanged"
    if parcel.state == CANCELLED:
        return "unchanged"
    skus = ", ".join(i["sku"] for i in rec.items)
    reason = f"{PARTIAL_HOLD} {rec.refund_no} ({child.order_no}): {skus}"[:200]
    if parcel.state == HELD:
        append_event(conn, actor, "held", parcel.id, {"reason": reason, **info})
    else:
        move(conn, actor, parcel, HELD, "held", {"reason": reason, **info},
             hold_reason=reason, held_from=parcel.state)
    return "held_partial"


def _parcel_refunded(conn: Connection, actor: Actor, row: Row[Any], rec: RefundRecord,
                     info: dict[str, Any]) -> str:
    """The parcel's own platform order refunded (orders are merged into it)."""
    if row.state == CANCELLED:
        return "unchanged"
    if not _refunds_all(conn, own_line_ids(conn, row.id), rec):
        return "split_needed"
    if row.state in CHANGEABLE and not slip_out(conn, row.id):
        give_back_merged(conn, actor, row.id, info, reason=REFUND)
        cancel(conn, actor, lock_order(conn, row.id), info)
        return "cancelled"
    hold = REFUNDED_HOLD.format(no=row.order_no)
    payload = {"reason": hold, "refunded_order": row.order_no, **info}
    if row.state == HELD:
        append_event(conn, actor, "held", row.id, payload)
    else:
        move(conn, actor, row, HELD, "held", payload, hold_reason=hold[:200],
             held_from=row.state)
    return "held_partial"


def _refunds_all(conn: Connection, line_ids: list[int], rec: RefundRecord) -> bool:
    lines = [(r.sku, r.qty) for r in conn.execute(select(LINES.c.sku, LINES.c.qty)
                                                  .where(LINES.c.id.in_(line_ids)))]
    if not rec.items:
        return True
    refunded: dict[str, int] = {}
    for item in rec.items:
        refunded[item["sku"]] = refunded.get(item["sku"], 0) + int(item.get("qty") or 10 ** 6)
    return all(refunded.get(sku, 0) >= qty for sku, qty in lines)


def _before_shipping(conn: Connection, actor: Actor, row: Row[Any], rec: RefundRecord,
                     info: dict[str, Any]) -> str:
    if row.state == CANCELLED:
        return "unchanged"
    if rec.kind == PENDING:
        if row.state == HELD:
            return "held"
        move(conn, actor, row, HELD, "held", {"reason": PENDING_HOLD, **info},
             hold_reason=f"{PENDING_HOLD} {rec.refund_no}"[:200], held_from=row.state)
        return "held"
    if rec.kind == CLOSED:
        if row.state == HELD and str(row.hold_reason).startswith(PENDING_HOLD):
            move(conn, actor, row, row.held_from or NEW, "hold_cleared",
                 {"reason": row.hold_reason, "by": "refund closed", **info},
                 hold_reason="", held_from=None)
            return "released"
        return "unchanged"
    every = conn.execute(select(LINES.c.id).where(LINES.c.order_id == row.id)).scalars().all()
    if _refunds_all(conn, list(every), rec):
        cancel(conn, actor, row, info)
        return "cancelled"
    return "split_needed"


def cancel(conn: Connection, actor: Actor, row: Row[Any] | OrderAt, info: dict[str, Any]) -> None:
    """A platform refund cancels the order; on the floor it is intercepted as well."""
    floor_now = row.state in ON_FLOOR or (row.state == HELD and getattr(row, "held_from", None)
                                          not in (None, NEW))
    move(conn, actor, row, CANCELLED, "cancelled",
         {"reason": "platform_refund", "intercept": floor_now, **info})
    if floor_now:
        append_event(conn, actor, "intercept_pending", row.id,
                     {"reason": "platform_refund", **info})


def _split_off(floor: Floor, actor: Actor, rec: RefundRecord) -> str:
    """The refunded lines split off (the desk's split) and cancelled; held when they cannot be."""
    def lines(conn: Connection) -> tuple[int, list[tuple[int, int | None]]]:
        oid = find_order_id(conn, rec.order_no)
        assert oid is not None
        wanted: dict[str, int | None] = {i["sku"]: i.get("qty") for i in rec.items}
        cut: list[tuple[int, int | None]] = []
        own = set(own_line_ids(conn, oid)) if parcels_with_merged(conn, [oid]) else None
        for r in conn.execute(select(LINES).where(LINES.c.order_id == oid)):
            if r.sku in wanted and (own is None or r.id in own):
                qty = wanted[r.sku]
                cut.append((r.id, None if qty is None else min(qty, r.qty)))
        return oid, cut

    oid, cut = floor.run(actor, lines)
    if cut:
        try:
            change = split_order(floor, actor, oid, cut)
        except Refusal:
            change = None
        if change is not None:
            parcel_no = change.parcels[-1]

            def cancel_parcel(conn: Connection) -> None:
                pid = find_order_id(conn, parcel_no)
                assert pid is not None
                cancel(conn, actor, lock_order(conn, pid),
                       {"refund_no": rec.refund_no, "status": rec.status, "amount": rec.amount,
                        "split_from": rec.order_no})

            floor.run(actor, cancel_parcel)
            return "split"

    def hold(conn: Connection) -> str:
        row = lock_order(conn, oid)
        if row.state == CANCELLED:
            return "unchanged"
        skus = ", ".join(i["sku"] for i in rec.items)
        reason = f"{PARTIAL_HOLD} {rec.refund_no}: {skus}"[:200]
        move(conn, actor, row, HELD, "held", {"reason": reason, "refund_no": rec.refund_no},
             hold_reason=reason, held_from=row.held_from if row.state == HELD else row.state)
        return "held_partial"

    return floor.run(actor, hold)


def _after_shipping(conn: Connection, actor: Actor, row: Row[Any], rec: RefundRecord) -> str:
    if rec.kind == CLOSED:
        return "unchanged"
    if rec.needs_return or rec.return_tracking:
        known = conn.execute(select(RETURNS.c.id).where(RETURNS.c.refund_no == rec.refund_no)
                             ).scalar()
        if known is None:
            ordered = dict(conn.execute(select(LINES.c.sku, LINES.c.qty)
                                        .where(LINES.c.order_id == row.id)).all())
            declared = [{"sku": i["sku"], "qty": i.get("qty") or ordered.get(i["sku"], 1)}
                        for i in rec.items]
            register_return(conn, actor, row.id, refund_no=rec.refund_no,
                            tracking_no=rec.return_tracking, reason=rec.reason,
                            declared=declared, source="refund")
        elif rec.return_tracking:
            conn.execute(update(RETURNS).where(RETURNS.c.id == known, RETURNS.c.tracking_no == "")
                         .values(tracking_no=rec.return_tracking))
        return "return_expected"
    orders = platform_orders(conn, row.id, row.order_no)
    if len(orders) > 1 and rec.kind != CLOSED:
        refunded = {rec.order_no, *conn.execute(
            select(REFUNDS.c.order_no).where(REFUNDS.c.order_no.in_(orders),
                                             REFUNDS.c.acted.in_(PARCEL_REFUNDED))).scalars()}
        if not refunded.issuperset(orders):
            return _case_in_parcel(conn, actor, row, rec, orders)
    if rec.kind == PENDING and row.state == SHIPPED_STATE:
        if conn.execute(select(INTERCEPTS.c.id).where(INTERCEPTS.c.order_id == row.id)).first():
            return "intercept_requested"
        conn.execute(insert(INTERCEPTS).values(order_id=row.id, tracking_no=row.tracking_no or "",
                                               refund_no=rec.refund_no, status="requested",
                                               outcome="", requested_at=now()))
        append_event(conn, actor, "intercept_requested", row.id,
                     {"refund_no": rec.refund_no, "tracking_no": row.tracking_no,
                      "courier": row.courier, "orders": orders})
        return "intercept_requested"
    return "refunded_after_shipping"


def _case_in_parcel(conn: Connection, actor: Actor, row: Row[Any], rec: RefundRecord,
                    orders: list[str]) -> str:
    """Some of a shipped parcel's orders refunded: no interception (the rest is the buyer's),
    a case for the desk (once per refund; the same line imported again changes nothing)."""
    insert_case(conn, actor, "refund_in_parcel", order_id=row.id, claim=rec.reason,
                items=rec.items, payload={"refund_no": rec.refund_no,
                                          "refunded_order": rec.order_no, "orders": orders,
                                          "status": rec.status})
    return "case_opened"
