"""Writing order records in batches (SQLAlchemy Core executemany) with their events."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.engine import Connection

from pickpack.core.desk.parcels import MERGED
from pickpack.core.events import Actor
from pickpack.intake.common import BATCH, EVENT, ORDER_LINE, ORDERS, bulk_insert, event_row, utcnow
from pickpack.intake.merged import close_merged, give_back_merged, parcels_with_merged
from pickpack.intake.result import ImportResult
from pickpack.intake.taobao import Kind, OrderRecord

FLOOR_STATES = frozenset(
    {"ready", "printed", "picking", "picked", "verified", "packed", "weighed", "held"})
INSERT_STATE: dict[Kind, str] = {"paid": "new", "unpaid": "unpaid", "closed": "cancelled",
                                 "shipped": "shipped_elsewhere", "partial": "held"}
PARTIAL_REASON = ("partly shipped on the platform (卖家部分发货): the export does not say which "
                  "lines are still to ship")
"""The hold of a partly shipped order whose item rows do not tell shipped lines apart."""
CLOSED = {"reason": "platform_closed"}
Line = tuple[str, int, str, str, str, int, float]
"""Item file name, line, sku, title, variant, qty, price."""
Change = tuple[str, list[tuple[str, dict[str, Any]]], str]


def transition(state: str, kind: Kind) -> Change | None:
    """What a later export does to a known order: (new state, events, counter) or None."""
    if kind == "closed":
        if state in ("new", "unpaid"):
            return "cancelled", [("cancelled", dict(CLOSED))], "cancelled"
        if state in FLOOR_STATES:
            return "cancelled", [("cancelled", {**CLOSED, "intercept": True}),
                                 ("intercept_pending", dict(CLOSED))], "intercepted"
    elif kind == "paid" and state == "unpaid":
        return "new", [("paid", {})], "updated"
    elif kind == "shipped" and state in ("new", "unpaid"):
        return "shipped_elsewhere", [("shipped_elsewhere", {})], "updated"
    return None


class OrderWriter:
    """Collects records and writes them BATCH at a time into the caller's transaction."""

    def __init__(self, res: ImportResult, station: str, operator: str) -> None:
        self.res, self.station, self.operator = res, station, operator
        self.batch: list[tuple[OrderRecord, list[Line], str]] = []

    def add(self, conn: Connection, rec: OrderRecord, lines: list[Line], file: str) -> None:
        self.batch.append((rec, lines, file))
        if len(self.batch) >= BATCH:
            self.flush(conn)

    def _event(self, order_id: int, kind: str, payload: dict[str, Any],
               at: datetime) -> dict[str, Any]:
        return event_row(order_id, kind, payload, station=self.station, operator=self.operator,
                         at=at)

    def flush(self, conn: Connection) -> None:
        if not self.batch:
            return
        at, res = utcnow(), self.res
        nos = [rec.order_no for rec, _, _ in self.batch]
        known = _known(conn, nos)
        handled = self._merged(conn, known)
        if handled is not None:
            known = _known(conn, nos)
        fresh: list[tuple[OrderRecord, list[Line], str]] = []
        updates: list[dict[str, Any]] = []
        events: list[dict[str, Any]] = []
        for rec, lines, file in self.batch:
            if rec.order_no not in known:
                fresh.append((rec, lines, file))
                continue
            if handled and rec.order_no in handled:
                continue
            oid, state = known[rec.order_no]
            change = transition(state, rec.kind)
            if change is None:
                res.unchanged += 1
                continue
            new_state, evs, counter = change
            setattr(res, counter, getattr(res, counter) + 1)
            updates.append({"_id": oid, "_state": new_state, "_ps": rec.status, "_at": at})
            where = {"from": state, "platform_status": rec.status, "file": file, "row": rec.line}
            events += [self._event(oid, kind, {**payload, **where}, at) for kind, payload in evs]
        if fresh:
            rows = [_order_row(rec, at) for rec, _, _ in fresh]
            bulk_insert(conn, ORDERS, rows)
            ids = {no: oid for oid, no in conn.execute(
                select(ORDERS.c.id, ORDERS.c.order_no).where(
                    ORDERS.c.order_no.in_([rec.order_no for rec, _, _ in fresh])))}
            line_rows = [{"order_id": ids[rec.order_no], "sku": sku, "name": title,
                          "variant": variant, "qty": qty, "price": price, "scanned": 0}
                         for rec, lines, _ in fresh
                         for _f, _l, sku, title, variant, qty, price in lines]
            bulk_insert(conn, ORDER_LINE, line_rows)
            res.inserted += len(fresh)
            res.lines += len(line_rows)
            events += [self._event(ids[rec.order_no], "imported", _imported(rec, file), at)
                       for rec, _, file in fresh]
        if updates:
            conn.execute(ORDERS.update().where(ORDERS.c.id == bindparam("_id")).values(
                state=bindparam("_state"), platform_status=bindparam("_ps"),
                updated_at=bindparam("_at")), updates)
        bulk_insert(conn, EVENT, events)
        self.batch.clear()

    def _merged(self, conn: Connection, known: dict[str, tuple[int, str]]) -> set[str] | None:
        """Closed orders that travel merged in a parcel, or are a parcel others are merged
        into (pickpack.intake.merged), acted on first; the merged ones handled (None: the
        batch has no such order, nothing changed)."""
        closing = [(rec, file) for rec, _, file in self.batch
                   if rec.kind == "closed" and rec.order_no in known]
        if not closing:
            return None
        hosts = parcels_with_merged(conn, [known[rec.order_no][0] for rec, _ in closing])
        closing = [(rec, f) for rec, f in closing
                   if known[rec.order_no][1] == MERGED or known[rec.order_no][0] in hosts]
        if not closing:
            return None
        actor = Actor(self.station, self.operator)
        handled: set[str] = set()
        closing.sort(key=lambda x: known[x[0].order_no][1] != MERGED)  # merged ones first
        for rec, file in closing:
            oid, state = known[rec.order_no]
            where = {"platform_status": rec.status, "file": file, "row": rec.line}
            if state == MERGED:
                acted = close_merged(conn, actor, oid, where)
                if acted is None:
                    continue  # given back by its parcel's own closing: an order like others
                handled.add(rec.order_no)
                if acted == "cancelled":
                    self.res.cancelled += 1
                else:
                    self.res.unchanged += 1
            else:
                give_back_merged(conn, actor, oid, where)
        return handled


def _known(conn: Connection, nos: list[str]) -> dict[str, tuple[int, str]]:
    q = (select(ORDERS.c.id, ORDERS.c.order_no, ORDERS.c.state)
         .where(ORDERS.c.order_no.in_(nos)).with_for_update())
    return {no: (oid, state) for oid, no, state in conn.execute(q)}


def _imported(rec: OrderRecord, file: str) -> dict[str, Any]:
    p: dict[str, Any] = {"state": INSERT_STATE[rec.kind], "platform_status": rec.status,
                         "file": file, "row": rec.line}
    if rec.kind == "closed":
        p.update(CLOSED)
    if rec.kind == "partial":
        p["reason"] = PARTIAL_REASON
    if rec.left_out:
        p["shipped_lines_left_out"] = rec.left_out
    if rec.bundles:
        p["bundle_lines_expanded"] = rec.bundles
    if rec.promised_ship_at is not None:
        p["promised_ship_at"] = rec.promised_ship_at.isoformat()
    if rec.tracking_no or rec.courier_name:
        p.update(platform_courier=rec.courier_name, platform_tracking_no=rec.tracking_no)
    return p


def _order_row(rec: OrderRecord, at: datetime) -> dict[str, Any]:
    return {
        "order_no": rec.order_no, "platform": rec.platform, "shop": rec.shop, "buyer": rec.buyer,
        "receiver_name": rec.receiver_name, "receiver_phone": rec.receiver_phone,
        "province": rec.province, "city": rec.city, "district": rec.district,
        "street": rec.street, "postcode": rec.postcode, "buyer_remark": rec.buyer_remark,
        "seller_memo": rec.seller_memo, "created_at": rec.created_at, "paid_at": rec.paid_at,
        "promised_ship_at": rec.promised_ship_at,
        "platform_status": rec.status[:40], "total": rec.total, "state": INSERT_STATE[rec.kind],
        "hold_reason": PARTIAL_REASON if rec.kind == "partial" else "",
        "held_from": "new" if rec.kind == "partial" else None, "remark_ack": False,
        "updated_at": at,
    }
