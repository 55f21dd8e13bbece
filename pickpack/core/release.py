"""Release: audit new orders and make the good ones ready (courier and tracking number).

Audit (审单): paid, every SKU known, address complete, stock on hand above the safety stock
after the orders already on the floor, not a bulk order (those wait for a supervisor). Orders
are taken first paid first. A failing order is ``held`` with the reason; a good one gets its
courier by region rules (default, then secondary when the pool is empty) and a waybill.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, func, select, text, update

from db.engine import write_tx
from pickpack.config import Config
from pickpack.core.context import is_sqlite_conn, move
from pickpack.core.events import Actor, now
from pickpack.core.lifecycle import HELD, NEW, ON_FLOOR, READY
from pickpack.core.tables import LINES, ORDERS, SKUS, WAYBILLS

RELEASE_LOCK = 0x72656C65  # "rele": PostgreSQL advisory lock key serialising releases


@dataclass
class ReleaseResult:
    ready: int = 0
    held: dict[str, int] = field(default_factory=dict)

    @property
    def held_total(self) -> int:
        return sum(self.held.values())


def _available(conn: Connection, safety: int) -> dict[str, int]:
    """Units per SKU that new orders may still take: on hand − safety − already on the floor."""
    committed = dict(conn.execute(
        select(LINES.c.sku, func.sum(LINES.c.qty))
        .select_from(LINES.join(ORDERS, ORDERS.c.id == LINES.c.order_id))
        .where(ORDERS.c.state.in_(ON_FLOOR))
        .group_by(LINES.c.sku)
    ).all())
    return {
        sku: on_hand - safety - int(committed.get(sku, 0))
        for sku, on_hand in conn.execute(select(SKUS.c.sku, SKUS.c.on_hand))
    }


def choose_courier(province: str, cfg: Config) -> str:
    for rule in cfg.couriers.rules:
        if province.startswith(rule.prefix):
            return rule.courier
    return cfg.couriers.default


def _take_waybill(conn: Connection, courier: str, order_id: int) -> str | None:
    query = (select(WAYBILLS.c.tracking_no)
             .where(WAYBILLS.c.courier == courier, WAYBILLS.c.order_id.is_(None))
             .order_by(WAYBILLS.c.tracking_no).limit(1))
    if not is_sqlite_conn(conn):
        query = query.with_for_update(skip_locked=True)
    tracking = conn.execute(query).scalar()
    if tracking is None:
        return None
    conn.execute(update(WAYBILLS).where(WAYBILLS.c.tracking_no == tracking)
                 .values(order_id=order_id, assigned_at=now()))
    return str(tracking)


def audit_problem(row: object, lines: list[tuple[str, int]], known: dict[str, int],
                  cfg: Config) -> str:
    """Why an order cannot be released ('' when it can)."""
    if getattr(row, "paid_at", None) is None:
        return "not paid"
    missing = [name for name in ("receiver_name", "receiver_phone", "province", "city", "street")
               if not getattr(row, name)]
    if missing:
        return "address incomplete: " + ", ".join(missing)
    if not lines:
        return "no order lines"
    unknown = sorted({sku for sku, _ in lines if sku not in known})
    if unknown:
        return "unknown SKU: " + ", ".join(unknown)
    need: dict[str, int] = defaultdict(int)
    for sku, qty in lines:
        need[sku] += qty
    short = sorted(sku for sku, qty in need.items() if known[sku] < qty)
    if short:
        return "short of stock: " + ", ".join(short)
    if sum(need.values()) >= cfg.floor.bulk_units:
        return f"bulk order ({sum(need.values())} units): supervisor to look before release"
    return ""


def release(engine: Engine, cfg: Config, actor: Actor) -> ReleaseResult:
    """Audit every ``new`` order, first paid first, in one transaction."""
    result = ReleaseResult()
    with write_tx(engine) as conn:
        if not is_sqlite_conn(conn):
            # One release at a time (SQLite's BEGIN IMMEDIATE does the same): each audits stock
            # against the orders the previous one put on the floor, and two never deadlock on
            # the order rows their waybill foreign keys share-lock.
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": RELEASE_LOCK})
        available = _available(conn, cfg.floor.safety_stock)
        rows = conn.execute(select(ORDERS).where(ORDERS.c.state == NEW)
                            .order_by(ORDERS.c.paid_at, ORDERS.c.id)).all()
        lines: dict[int, list[tuple[str, int]]] = defaultdict(list)
        for oid, sku, qty in conn.execute(
            select(LINES.c.order_id, LINES.c.sku, LINES.c.qty)
            .join(ORDERS, ORDERS.c.id == LINES.c.order_id).where(ORDERS.c.state == NEW)
        ):
            lines[oid].append((sku, qty))
        for row in rows:
            problem = audit_problem(row, lines[row.id], available, cfg)
            courier, tracking = row.courier, row.tracking_no
            if not problem and not tracking:
                courier = choose_courier(row.province, cfg)
                tracking = _take_waybill(conn, courier, row.id)
                if tracking is None and cfg.couriers.secondary != courier:
                    courier = cfg.couriers.secondary
                    tracking = _take_waybill(conn, courier, row.id)
                if tracking is None:
                    problem = f"no waybill left for {courier}"
            if problem:
                move(conn, actor, row, HELD, "held", {"reason": problem},
                     hold_reason=problem, held_from=NEW)
                key = problem.split(":")[0].split(" (")[0]
                result.held[key] = result.held.get(key, 0) + 1
                continue
            for sku, qty in lines[row.id]:
                available[sku] -= qty
            move(conn, actor, row, READY, "released", {"courier": courier, "tracking_no": tracking},
                 courier=courier, tracking_no=tracking, hold_reason="")
            result.ready += 1
    return result
