"""A wave's pick list: the bins in walking order, each SKU's total and the slots it goes to."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import Connection, select

from pickpack.core.tables import LINES, ORDERS, SKUS
from pickpack.core.waves.tables import WAVE_ORDERS

_NUMBER = re.compile(r"(\d+)")


@dataclass(slots=True)
class Stop:
    """One bin on the walk: a SKU, how many in all, and how many to each slot."""

    bin: str
    sku: str
    name: str
    variant: str
    total: int = 0
    slots: list[tuple[int, int]] = field(default_factory=list)
    """(slot, units), in slot order."""
    orders: list[int] = field(default_factory=list)
    """The order of each entry of ``slots``."""

    def slot_text(self) -> str:
        """``1×2 3 5``: the slots this SKU goes to (×n where a slot takes more than one)."""
        return " ".join(f"{slot}×{n}" if n > 1 else str(slot) for slot, n in self.slots)


def route_key(bin_code: str) -> tuple[int, list[tuple[int, int | str]]]:
    """Walking order of bins: aisle, bay, level, numbers by value (A-01-9 before A-01-10,
    before B-01-01); a SKU with no bin walks last."""
    if not bin_code:
        return (1, [])
    return (0, [(0, int(p)) if p.isdigit() else (1, p) for p in _NUMBER.split(bin_code) if p])


def wave_stops(conn: Connection, wave_id: int, *, skip: set[int] | None = None) -> list[Stop]:
    """The wave's stops in walking order (orders in ``skip``, e.g. cancelled ones, left out)."""
    stops: dict[str, Stop] = {}
    rows = conn.execute(
        select(WAVE_ORDERS.c.slot, WAVE_ORDERS.c.order_id, LINES.c.sku, LINES.c.name,
               LINES.c.variant, LINES.c.qty, SKUS.c.bin, SKUS.c.name.label("sku_name"))
        .join(LINES, LINES.c.order_id == WAVE_ORDERS.c.order_id)
        .join(SKUS, SKUS.c.sku == LINES.c.sku, isouter=True)
        .where(WAVE_ORDERS.c.wave_id == wave_id)
        .order_by(WAVE_ORDERS.c.slot, LINES.c.id))
    for r in rows:
        if skip and r.order_id in skip:
            continue
        stop = stops.get(r.sku)
        if stop is None:
            stop = stops[r.sku] = Stop(r.bin or "", r.sku, r.sku_name or r.name, r.variant)
        stop.total += int(r.qty)
        if stop.slots and stop.slots[-1][0] == r.slot:
            stop.slots[-1] = (r.slot, stop.slots[-1][1] + int(r.qty))
        else:
            stop.slots.append((r.slot, int(r.qty)))
            stop.orders.append(int(r.order_id))
    return sorted(stops.values(), key=lambda s: (route_key(s.bin), s.sku))


def wave_order_count(conn: Connection, wave_id: int) -> int:
    return len(conn.execute(select(WAVE_ORDERS.c.order_id)
                            .where(WAVE_ORDERS.c.wave_id == wave_id)).all())


def tracking_of(conn: Connection, order_ids: list[int]) -> dict[int, str | None]:
    return {int(r.id): r.tracking_no for r in conn.execute(
        select(ORDERS.c.id, ORDERS.c.tracking_no).where(ORDERS.c.id.in_(order_ids)))}
