"""A wave's slips built from its orders loaded together: the pick list, then per slot the
express + packing pair (a local-pickup order, 自提, has no waybill: its packing slip alone).

The orders are read in three statements for the whole wave (rows, lines with their bins,
desk rows), not once per slip: a 100-order wave renders in a handful of queries on either
store (BENCHMARKS.md, waves). ``pickpack.core.orders.load_order`` stays the one-order view.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Connection, select

from pickpack.config import Config
from pickpack.core.couriers.rules import PICKUP
from pickpack.core.desk.rows import DESK_ORDERS
from pickpack.core.lifecycle import CANCELLED
from pickpack.core.orders import LineView, OrderView, address_of, load_order
from pickpack.core.tables import LINES, ORDERS, SKUS
from pickpack.core.waves.views import SlotView, wave_slots
from pickpack.printing.slips import express_of, packing_of
from printers.compose import Layout


@dataclass(frozen=True, slots=True)
class WaveSlip:
    """One slip of a wave's batch, in the order it prints."""

    kind: str
    """``express`` or ``packing``."""
    slot: SlotView
    layout: Layout
    pickup: bool = False
    """The order is local pickup: its packing slip is the one that makes it printed."""


def slip_orders(conn: Connection, order_ids: Iterable[int]) -> dict[int, OrderView]:
    """The orders as their slips need them (``load_order`` without events), by id, read
    together. A platform order merged into another parcel (never in a wave) is read alone."""
    ids = list(dict.fromkeys(order_ids))
    if not ids:
        return {}
    rows = {int(r.id): r for r in conn.execute(select(ORDERS).where(ORDERS.c.id.in_(ids)))}
    lines: dict[int, list[LineView]] = defaultdict(list)
    for r in conn.execute(
            select(LINES.c.order_id, LINES.c.id, LINES.c.sku, LINES.c.name, LINES.c.variant,
                   LINES.c.qty, LINES.c.scanned, LINES.c.price, SKUS.c.bin, SKUS.c.weight_g)
            .select_from(LINES.outerjoin(SKUS, SKUS.c.sku == LINES.c.sku))
            .where(LINES.c.order_id.in_(ids)).order_by(LINES.c.order_id, LINES.c.id)):
        lines[int(r.order_id)].append(LineView(r.id, r.sku, r.name, r.variant, r.qty, r.scanned,
                                               r.bin or "", r.weight_g or 0, r.price))
    desks = {int(d.order_id): d for d in conn.execute(
        select(DESK_ORDERS).where(DESK_ORDERS.c.order_id.in_(ids)))}
    out: dict[int, OrderView] = {}
    for oid in ids:
        row = rows.get(oid)
        if row is None:
            continue
        if row.state == "merged":
            out[oid] = load_order(conn, oid)
            continue
        desk = desks.get(oid)
        out[oid] = OrderView(
            id=row.id, order_no=row.order_no, state=row.state, courier=row.courier,
            tracking_no=row.tracking_no, receiver_name=row.receiver_name,
            receiver_phone=row.receiver_phone, address=address_of(row),
            buyer_remark=row.buyer_remark, seller_memo=row.seller_memo,
            hold_reason=row.hold_reason, basket=row.basket, picker=row.picker,
            paid_at=row.paid_at.isoformat() if row.paid_at else None, weight_g=row.weight_g,
            lines=lines.get(oid, []), gift_message=desk.gift_message if desk else "",
            no_price=bool(desk.no_price) if desk else False,
            checklist=["invoice"] if desk is not None and desk.invoice else [])
    return out


def wave_slips(conn: Connection, wave_id: int, cfg: Config) -> list[WaveSlip]:
    """The wave's slips in slot order: express + packing per order, the packing slip alone
    for a local-pickup order; a cancelled order gets none."""
    slots = [s for s in wave_slots(conn, wave_id) if s.state != CANCELLED]
    orders = slip_orders(conn, (s.order_id for s in slots))
    out: list[WaveSlip] = []
    for slot in slots:
        order = orders[slot.order_id]
        if order.courier == PICKUP and not order.tracking_no:
            out.append(WaveSlip("packing", slot, packing_of(order, cfg), pickup=True))
            continue
        out.append(WaveSlip("express", slot, express_of(order, cfg)))
        out.append(WaveSlip("packing", slot, packing_of(order, cfg)))
    return out
