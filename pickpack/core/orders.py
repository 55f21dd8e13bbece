"""Finding orders by what a person scans or types, and plain views of them for screens and CLI.

Two look-ups: :func:`find_order_id` finds the row a key names (``order show``: a platform order
merged into another parcel is still shown as itself, with its parcel), :func:`require_order_id`
is what stations use: a merged platform order's number leads to the parcel it travels in, and
a tracking number voided by an address change is refused as a void slip.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, select

from pickpack.core.desk.rows import DESK_LINES, DESK_ORDERS, VOID_WAYBILLS
from pickpack.core.refusal import Refusal
from pickpack.core.tables import BASKETS, EVENTS, LINES, ORDERS, SKUS


@dataclass(frozen=True, slots=True)
class LineView:
    id: int
    sku: str
    name: str
    variant: str
    qty: int
    scanned: int
    bin: str
    weight_g: float
    price: float


@dataclass(frozen=True, slots=True)
class EventView:
    kind: str
    station: str
    operator: str
    at: str
    payload: dict[str, Any]


@dataclass(frozen=True, slots=True)
class OrderView:
    id: int
    order_no: str
    state: str
    courier: str | None
    tracking_no: str | None
    receiver_name: str
    receiver_phone: str
    address: str
    buyer_remark: str
    seller_memo: str
    hold_reason: str
    basket: str | None
    picker: str | None
    paid_at: str | None
    weight_g: float | None
    lines: list[LineView] = field(default_factory=list)
    events: list[EventView] = field(default_factory=list)
    gift_message: str = ""
    """The buyer's gift message for the packing slip (the seller's memo is never printed)."""
    no_price: bool = False
    """The packing slip prints without prices (an acknowledged remark asked)."""
    checklist: list[str] = field(default_factory=list)
    """What the packer adds besides the lines: ``invoice`` (in its envelope), ``gift:SKU``."""
    parcel: dict[str, Any] | None = None
    """When this platform order shares a parcel with others (merge) or is split into several:
    ``{order_no, tracking_no, state, orders: [platform order nos], parcels: [...]}``."""

    @property
    def units(self) -> int:
        return sum(line.qty for line in self.lines)

    @property
    def complete(self) -> bool:
        return all(line.scanned >= line.qty for line in self.lines)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["units"] = self.units
        return data


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def find_order_id(conn: Connection, key: str) -> int | None:
    """An order by platform order no., tracking no. (also one voided since), or the basket it
    is in."""
    key = key.strip()
    for column in (ORDERS.c.order_no, ORDERS.c.tracking_no):
        oid = conn.execute(select(ORDERS.c.id).where(column == key)).scalar()
        if oid is not None:
            return int(oid)
    oid = conn.execute(select(BASKETS.c.order_id).where(BASKETS.c.code == key)).scalar()
    if oid is None:
        oid = conn.execute(select(VOID_WAYBILLS.c.order_id)
                           .where(VOID_WAYBILLS.c.tracking_no == key)).scalar()
    return int(oid) if oid is not None else None


def require_order_id(conn: Connection, key: str) -> int:
    """The order a station works on for ``key``: a merged platform order leads to its parcel;
    a voided tracking number (an old slip) is refused as a void slip."""
    key = key.strip()
    void = conn.execute(select(VOID_WAYBILLS.c.order_id, VOID_WAYBILLS.c.replaced_by)
                        .where(VOID_WAYBILLS.c.tracking_no == key)).first()
    if void is not None:
        order_no = conn.execute(select(ORDERS.c.order_no)
                                .where(ORDERS.c.id == void.order_id)).scalar()
        raise Refusal("void_slip", "VOID SLIP {tracking}: order {order_no} has a new waybill "
                      "{new} — reprint and stick the new slip", tracking=key, order_no=order_no,
                      new=void.replaced_by or "-", order_id=void.order_id)
    oid = find_order_id(conn, key)
    if oid is None:
        raise Refusal("unknown_order", "No order, slip or basket {key}", key=key)
    parcel = conn.execute(select(DESK_ORDERS.c.parcel_id)
                          .where(DESK_ORDERS.c.order_id == oid)).scalar()
    return int(parcel) if parcel is not None else oid


def address_of(row: Row[Any]) -> str:
    parts = [row.province, row.city, row.district, row.street]
    text = " ".join(p for p in parts if p)
    return f"{text} ({row.postcode})" if row.postcode else text


def load_order(conn: Connection, order_id: int, *, with_events: bool = False) -> OrderView:
    """The order as screens and the CLI show it (a platform order merged into another parcel:
    its own lines, as they travel in that parcel)."""
    row = conn.execute(select(ORDERS).where(ORDERS.c.id == order_id)).one()
    own = LINES.c.order_id == order_id
    if row.state == "merged":
        own = LINES.c.id.in_(select(DESK_LINES.c.line_id).where(DESK_LINES.c.origin_id == order_id))
    lines = [
        LineView(r.id, r.sku, r.name, r.variant, r.qty, r.scanned, r.bin or "", r.weight_g or 0,
                 r.price)
        for r in conn.execute(
            select(LINES.c.id, LINES.c.sku, LINES.c.name, LINES.c.variant, LINES.c.qty,
                   LINES.c.scanned, LINES.c.price, SKUS.c.bin, SKUS.c.weight_g)
            .select_from(LINES.outerjoin(SKUS, SKUS.c.sku == LINES.c.sku))
            .where(own)
            .order_by(LINES.c.id)
        )
    ]
    events: list[EventView] = []
    if with_events:
        events = [
            EventView(e.kind, e.station, e.operator, _iso(e.at) or "", json.loads(e.payload))
            for e in conn.execute(
                select(EVENTS).where(EVENTS.c.order_id == order_id).order_by(EVENTS.c.id)
            )
        ]
    desk = conn.execute(select(DESK_ORDERS).where(DESK_ORDERS.c.order_id == order_id)).first()
    checklist = []
    if desk is not None and desk.invoice:
        checklist.append("invoice")
    return OrderView(
        id=row.id, order_no=row.order_no, state=row.state, courier=row.courier,
        tracking_no=row.tracking_no, receiver_name=row.receiver_name,
        receiver_phone=row.receiver_phone, address=address_of(row),
        buyer_remark=row.buyer_remark, seller_memo=row.seller_memo, hold_reason=row.hold_reason,
        basket=row.basket, picker=row.picker, paid_at=_iso(row.paid_at), weight_g=row.weight_g,
        lines=lines, events=events, gift_message=desk.gift_message if desk else "",
        no_price=bool(desk.no_price) if desk else False, checklist=checklist,
        parcel=_parcel_of(conn, row, desk) if with_events else None,
    )


def _parcel_of(conn: Connection, row: Row[Any], desk: Row[Any] | None) -> dict[str, Any] | None:
    """The parcel(s) a platform order travels in, when it shares one or was split (for
    ``order show``); None for an order that is its own one parcel."""
    from pickpack.core.desk.parcels import parcel_summary

    return parcel_summary(conn, row, desk)


def list_orders(conn: Connection, state: str | None = None) -> list[dict[str, Any]]:
    """Every order row, first paid first. A platform order merged into another's parcel is
    listed too (state ``merged``) with ``parcel`` naming the parcel it travels in and that
    parcel's ``tracking_no``; a split parcel names its ``platform_order``."""
    parcel, platform = ORDERS.alias("parcel"), ORDERS.alias("platform")
    query = (
        select(ORDERS.c.order_no, ORDERS.c.state, ORDERS.c.courier, ORDERS.c.tracking_no,
               ORDERS.c.receiver_name, ORDERS.c.paid_at, ORDERS.c.hold_reason,
               parcel.c.order_no.label("parcel"), parcel.c.tracking_no.label("parcel_tracking"),
               parcel.c.courier.label("parcel_courier"),
               platform.c.order_no.label("platform_order"))
        .select_from(ORDERS.outerjoin(DESK_ORDERS, DESK_ORDERS.c.order_id == ORDERS.c.id)
                     .outerjoin(parcel, parcel.c.id == DESK_ORDERS.c.parcel_id)
                     .outerjoin(platform, platform.c.id == DESK_ORDERS.c.split_from))
        .order_by(ORDERS.c.paid_at, ORDERS.c.id)
    )
    if state:
        query = query.where(ORDERS.c.state == state)
    out = []
    for r in conn.execute(query):
        item = {
            "order_no": r.order_no, "state": r.state, "courier": r.courier or r.parcel_courier,
            "tracking_no": r.tracking_no or r.parcel_tracking, "receiver_name": r.receiver_name,
            "paid_at": _iso(r.paid_at), "hold_reason": r.hold_reason,
        }
        if r.parcel:
            item["parcel"] = r.parcel
        if r.platform_order:
            item["platform_order"] = r.platform_order
        out.append(item)
    return out
