"""Batch weighing: parcels of the same goods (SKU and quantity) weighed together.

``CMD:BATCH`` starts a batch; each parcel scanned then joins it (the same goods as the first,
at the weigh step, once); ``CMD:BATCH`` again ends the scanning, and the parcels go on the
scale together. The first stable total after that (a change on the platter, as for one
parcel) must lie within N times the per-parcel band: then every parcel is weighed with the
batch's per-parcel weight, its event marked ``batch_weighed`` (a batch average is weaker
evidence than a parcel's own weight). A total that is a whole number k < N of parcels' bands
means the rest are still being put on: it waits. Any other total is out of band: nothing is
weighed, each parcel's trail says so, and they are weighed one by one.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import Connection, select

from pickpack.core.context import Floor, check_at_step, lock_order, move
from pickpack.core.events import Actor, append_event
from pickpack.core.lifecycle import WEIGHED
from pickpack.core.orders import OrderView, load_order, require_order_id
from pickpack.core.refusal import Refusal, scan_fields
from pickpack.core.tables import LINES
from pickpack.core.weigh import Expected, expected_weight

Goods = tuple[tuple[str, int], ...]
"""An order's goods: (sku, quantity) per SKU, sorted."""
Verdict = Literal["accept", "wait", "out"]


@dataclass(frozen=True, slots=True)
class BatchParcel:
    order: OrderView
    scan: dict[str, str | None]
    """The parcel's scan as the scanner sent it (raw code, symbology)."""


@dataclass
class Batch:
    """The parcels scanned into one batch; ``closed`` once their total is awaited."""

    id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    goods: Goods = ()
    expected: Expected | None = None
    """One parcel's expected weight and tolerance (the same for every parcel of the batch)."""
    parcels: list[BatchParcel] = field(default_factory=list)
    closed: bool = False

    @property
    def count(self) -> int:
        return len(self.parcels)

    def band(self, n: int | None = None) -> tuple[float, float]:
        """The total ``n`` parcels (default: all of them) may weigh, in grams."""
        assert self.expected is not None
        k = self.count if n is None else n
        return k * self.expected.low, k * self.expected.high

    def verdict(self, total_g: float) -> tuple[Verdict, int]:
        """``accept`` a total in the band of all N parcels; ``wait`` while it is the band of
        k < N of them (returned: k); else ``out``."""
        low, high = self.band()
        if low <= total_g <= high:
            return "accept", self.count
        for k in range(self.count - 1, 0, -1):
            k_low, k_high = self.band(k)
            if k_low <= total_g <= k_high:
                return "wait", k
        return "out", 0


def goods_of(conn: Connection, order_id: int) -> Goods:
    rows = conn.execute(select(LINES.c.sku, LINES.c.qty).where(LINES.c.order_id == order_id))
    totals: dict[str, int] = {}
    for sku, qty in rows:
        totals[sku] = totals.get(sku, 0) + int(qty)
    return tuple(sorted(totals.items()))


def _goods_text(goods: Goods) -> str:
    return ", ".join(f"{sku} ×{qty}" for sku, qty in goods)


def join_batch(floor: Floor, actor: Actor, batch: Batch, key: str,
               scan: dict[str, str | None] | None = None) -> OrderView:
    """Add the parcel ``key`` to ``batch``; its scan (``scan``, default the one being handled)
    goes in the trail (``weigh_opened``) and, once weighed, in its ``weighed`` event."""
    fields = scan_fields(key) if scan is None else scan

    def tx(conn: Connection) -> tuple[OrderView, Goods, Expected]:
        order_id = require_order_id(conn, key)
        row = lock_order(conn, order_id)
        check_at_step(conn, actor, row, "weigh", floor.route)
        if any(p.order.id == order_id for p in batch.parcels):
            raise Refusal("batch_twice", "Order {order_no} is in the batch already",
                          order_no=row.order_no, order_id=order_id)
        goods = goods_of(conn, order_id)
        if batch.parcels and goods != batch.goods:
            raise Refusal("batch_other_goods", "Order {order_no} holds {goods}, the batch {batch}:"
                          " weigh it alone", order_no=row.order_no, goods=_goods_text(goods),
                          batch=_goods_text(batch.goods), order_id=order_id)
        append_event(conn, actor, "weigh_opened", order_id,
                     {"key": key, "batch": batch.id, **fields})
        return load_order(conn, order_id), goods, expected_weight(conn, order_id,
                                                                  floor.config.weighing)

    order, goods, expected = floor.run(actor, tx)
    if not batch.parcels:
        batch.goods, batch.expected = goods, expected
    batch.parcels.append(BatchParcel(order, fields))
    return order


def record_batch(floor: Floor, actor: Actor, batch: Batch, total_g: float) -> Verdict:
    """Weigh the batch with its stable total: ``accept`` weighs every parcel at total / N;
    ``out`` records on each parcel that the batch total was out of band (nothing weighed);
    ``wait`` records nothing (the rest of the parcels are still being put on the scale)."""
    verdict, _k = batch.verdict(total_g)
    if verdict == "wait":
        return verdict
    exp = batch.expected
    assert exp is not None
    per = total_g / batch.count
    low, high = batch.band()
    about: dict[str, Any] = {"id": batch.id, "parcels": batch.count, "total_g": round(total_g, 1),
                             "band_g": [round(low, 1), round(high, 1)]}

    def tx(conn: Connection) -> Verdict:
        for parcel in batch.parcels:
            row = lock_order(conn, parcel.order.id)
            check_at_step(conn, actor, row, "weigh", floor.route)
            payload = {"weight_g": round(per, 1), "expected_g": round(exp.weight_g, 1),
                       "tolerance_g": round(exp.tolerance_g, 1), "batch_weighed": True,
                       "batch": about, **parcel.scan}
            if verdict == "accept":
                move(conn, actor, row, WEIGHED, "weighed", payload, weight_g=per)
            else:
                append_event(conn, actor, "batch_weight_out_of_band", row.id, payload)
        return verdict

    return floor.run(actor, tx)
