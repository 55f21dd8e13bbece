"""Where a courier does not deliver (超区) and how heavy a parcel it takes.

``[couriers.SF] out = ["西藏", "新疆 阿勒泰地区"]``: an entry is a province (every city of it) or
``"province city"``; each part matches the start of the address's name, so ``新疆`` matches
``新疆维吾尔自治区``. ``max_kg = 30``: the heaviest parcel (catalog weights of the lines +
``[weighing] packaging_g``) the courier takes; 0 no limit.
"""

from __future__ import annotations

from sqlalchemy import Connection, func, select

from pickpack.config import Config
from pickpack.core.tables import LINES, SKUS


def _covers(entry: str, province: str, city: str) -> bool:
    parts = entry.split()
    if not parts or not province.startswith(parts[0]):
        return False
    return len(parts) == 1 or city.startswith(parts[1])


def out_of_area(cfg: Config, courier: str, province: str, city: str) -> bool:
    own = cfg.couriers.each.get(courier)
    return own is not None and any(_covers(e, province, city) for e in own.out)


def max_g(cfg: Config, courier: str) -> float:
    """The courier's weight limit in grams (0 none)."""
    own = cfg.couriers.each.get(courier)
    return own.max_kg * 1000 if own is not None else 0.0


def why_not(cfg: Config, courier: str, province: str, city: str, weight_g: float) -> str:
    """Why ``courier`` cannot take the parcel ('' it can)."""
    if out_of_area(cfg, courier, province, city):
        return f"{courier} out of area"
    limit = max_g(cfg, courier)
    if limit and weight_g > limit:
        return f"{courier} over {limit / 1000:g} kg"
    return ""


def estimated_g(conn: Connection, order_id: int, cfg: Config) -> float:
    """The parcel's estimated weight: catalog weights of its lines + packaging."""
    goods = conn.execute(
        select(func.coalesce(func.sum(SKUS.c.weight_g * LINES.c.qty), 0))
        .select_from(LINES.join(SKUS, SKUS.c.sku == LINES.c.sku))
        .where(LINES.c.order_id == order_id)).scalar()
    return float(goods or 0) + cfg.weighing.packaging_g


def sku_weights(conn: Connection) -> dict[str, float]:
    """Catalog weight (g) per SKU, read once for a whole release."""
    return {str(sku): float(w or 0) for sku, w in conn.execute(select(SKUS.c.sku, SKUS.c.weight_g))}


def lines_g(lines: list[tuple[str, int]], weights: dict[str, float], cfg: Config) -> float:
    """:func:`estimated_g` from lines already read (an unknown SKU weighs 0)."""
    return sum(weights.get(sku, 0.0) * qty for sku, qty in lines) + cfg.weighing.packaging_g
