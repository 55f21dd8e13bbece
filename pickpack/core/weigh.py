"""Weigh: a stable reading against the expected weight (goods + packaging) ± tolerance."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, func, select

from pickpack.config import WeighingConfig
from pickpack.core.context import Floor, check_at_step, lock_order, move
from pickpack.core.events import Actor
from pickpack.core.lifecycle import HELD, WEIGHED
from pickpack.core.orders import OrderView, load_order, require_order_id
from pickpack.core.refusal import Refusal
from pickpack.core.tables import LINES, SKUS


@dataclass(frozen=True, slots=True)
class Expected:
    weight_g: float
    tolerance_g: float

    @property
    def low(self) -> float:
        return self.weight_g - self.tolerance_g

    @property
    def high(self) -> float:
        return self.weight_g + self.tolerance_g

    def accepts(self, weight_g: float) -> bool:
        return self.low <= weight_g <= self.high


@dataclass(frozen=True, slots=True)
class Weighed:
    order: OrderView
    weight_g: float
    expected: Expected
    accepted: bool


def expected_weight(conn: Connection, order_id: int, cfg: WeighingConfig) -> Expected:
    """Σ unit weight × qty + packaging; tolerance is the larger of grams and percent."""
    goods = conn.execute(
        select(func.coalesce(func.sum(SKUS.c.weight_g * LINES.c.qty), 0.0))
        .select_from(LINES.join(SKUS, SKUS.c.sku == LINES.c.sku))
        .where(LINES.c.order_id == order_id)
    ).scalar_one()
    total = float(goods) + cfg.packaging_g
    return Expected(total, max(cfg.tolerance_g, total * cfg.tolerance_pct / 100))


def open_for_weigh(floor: Floor, actor: Actor, key: str) -> tuple[OrderView, Expected]:
    def tx(conn: Connection) -> tuple[OrderView, Expected]:
        order_id = require_order_id(conn, key)
        check_at_step(conn, actor, lock_order(conn, order_id), "weigh", floor.route)
        return load_order(conn, order_id), expected_weight(conn, order_id, floor.config.weighing)

    return floor.run(actor, tx)


def record_weight(
    floor: Floor, actor: Actor, order_id: int, weight_g: float, *, stable: bool
) -> Weighed:
    """Accept a stable weight in tolerance; out of tolerance the order is held with the reason."""
    if not stable:
        raise Refusal("unstable", "The scale is not stable yet")

    def tx(conn: Connection) -> Weighed:
        row = lock_order(conn, order_id)
        check_at_step(conn, actor, row, "weigh", floor.route)
        exp = expected_weight(conn, order_id, floor.config.weighing)
        payload = {"weight_g": round(weight_g, 1), "expected_g": round(exp.weight_g, 1),
                   "tolerance_g": round(exp.tolerance_g, 1)}
        if exp.accepts(weight_g):
            move(conn, actor, row, WEIGHED, "weighed", payload, weight_g=weight_g)
            return Weighed(load_order(conn, order_id), weight_g, exp, True)
        reason = f"weight {weight_g:.0f} g, expected {exp.low:.0f}–{exp.high:.0f} g"
        move(conn, actor, row, HELD, "weight_exception", payload, held_from=row.state,
             weight_g=weight_g, hold_reason=reason)
        return Weighed(load_order(conn, order_id), weight_g, exp, False)

    return floor.run(actor, tx, order_id=order_id)
