"""Release: audit new orders and make the good ones ready (courier and tracking number).

Audit (审单): paid, every SKU known, address complete, stock on hand above the safety stock
after the orders already on the floor, not a bulk order (those wait for a supervisor). Orders
are taken first paid first. A failing order is ``held`` with the reason; a good one gets its
courier by region rules (default, then secondary when the pool is empty) and a waybill.

Re-audit: every release also audits again the orders the audit itself held (``held`` from
``new``, the ``held`` event marked ``audit``; older holds by their reason's shape). Once the
reason is gone (the SKU imported since, the address completed, stock arrived, waybills
imported, the remark acknowledged) the order is ``hold_cleared`` back to ``new``, with no
supervisor, and released in the same run if it is still good in turn. A reason that changed is
recorded (a new ``held`` event); one that stayed the same writes nothing. Holds made by hand or
by a station (weight, CMD:HOLD) are never touched: they need a supervisor.

The desk's decisions count here too (pickpack.core.desk): with ``[floor] remarks_need_ack`` an
order whose remark or memo suggests actions is held until they are acknowledged; the courier an
acknowledged remark asked for is taken (and one it refused avoided); a supervisor's approval of a
bulk order or of a stock shortage waives that check for the order.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, select, text, update

from db.engine import write_tx
from pickpack.config import Config
from pickpack.core.context import is_sqlite_conn, move
from pickpack.core.couriers.areas import estimated_g, lines_g, max_g, sku_weights, why_not
from pickpack.core.couriers.pools import low_line, low_pools
from pickpack.core.couriers.rules import PICKUP, couriers_for
from pickpack.core.desk.remarks import read_remarks
from pickpack.core.desk.rows import DESK_ORDERS
from pickpack.core.events import Actor, now
from pickpack.core.lifecycle import HELD, NEW, READY
from pickpack.core.tables import EVENTS, LINES, ORDERS, WAYBILLS

RELEASE_LOCK = 0x72656C65  # "rele": PostgreSQL advisory lock key serialising releases
REASON_MAX = 200
"""orders.hold_reason's length: a longer reason (many unknown SKUs) is cut, on every store."""
REMARK_HOLD = "remark to acknowledge"
"""A hold for the buyer's remark: the re-audit clears it once the remark is acknowledged."""
NO_COURIER = "no courier for this address"
"""A hold when neither of the region's couriers serves the address or takes the weight."""
AUDIT_REASONS = ("not paid", "address incomplete", "no order lines", "unknown SKU",
                 "short of stock", "bulk order", "no waybill left", REMARK_HOLD, NO_COURIER)
"""How the audit's own hold reasons begin (holds recorded before the ``audit`` mark)."""


@dataclass
class ReleaseResult:
    ready: int = 0
    held: dict[str, int] = field(default_factory=dict)
    cleared: int = 0
    """Held orders whose audit reason was gone (back to ``new``; counted in ``ready`` too when
    they were released in the same run)."""
    pools_low: list[str] = field(default_factory=list)
    """One warning line per waybill pool under ``[couriers] pool_low`` after this release."""

    @property
    def held_total(self) -> int:
        return sum(self.held.values())


def _available(conn: Connection, safety: int) -> dict[str, int]:
    """Units per SKU that new orders may still take: on hand − safety − already on the floor
    (the stock ledger's :func:`pickpack.core.stock.ledger.available`)."""
    from pickpack.core.stock.ledger import available

    return available(conn, safety)


def available_units(conn: Connection, cfg: Config) -> dict[str, int]:
    """Units per SKU a ``new`` order may still take (what the audit checks stock against)."""
    return _available(conn, cfg.floor.safety_stock)


def choose_courier(province: str, cfg: Config, asked: str = "",
                   avoid: Collection[str] = (), city: str = "") -> str:
    """The courier for a receiver's province and city: the one an acknowledged remark asked
    for, else the region rule's primary (a city rule before its province's), else the default;
    a courier the remark refused is passed over for the next (pickpack.core.couriers.rules)."""
    return couriers_to_try(province, cfg, asked, avoid, city)[0]


def couriers_to_try(province: str, cfg: Config, asked: str = "",
                    avoid: Collection[str] = (), city: str = "") -> list[str]:
    """Couriers in the order release tries their waybill pools: the asked one alone (the buyer
    asked for it: no silent substitute), else the region's (or default) and its secondary."""
    return couriers_for(cfg, province, city, asked, avoid)


def usable_couriers(conn: Connection, cfg: Config, row: Any, desk: Any = None,
                    weighed: tuple[list[tuple[str, int]], dict[str, float]] | None = None
                    ) -> tuple[list[str], str]:
    """The couriers release may try for the order, and the reason when there is none: a
    courier out of its area (超区) for the address or whose weight limit the estimated parcel
    (catalog weights + packaging) passes is skipped for the next. ``weighed``: the order's
    lines and the catalog weights, when the caller has read them (else they are queried)."""
    asked, avoid = _asked(desk)
    if row.courier == PICKUP and not asked:
        asked = PICKUP  # the export or the desk made it a local-pickup order
    tried = couriers_to_try(row.province, cfg, asked, avoid, city=row.city or "")
    if tried == [PICKUP]:
        return tried, ""
    limited = any(max_g(cfg, c) for c in tried)  # the weight is read only when it matters
    weight = 0.0
    if limited:
        weight = estimated_g(conn, row.id, cfg) if weighed is None else lines_g(*weighed, cfg)
    why = {c: why_not(cfg, c, row.province, row.city or "", weight) for c in tried}
    usable = [c for c in tried if not why[c]]
    if usable:
        return usable, ""
    kg = f", {weight / 1000:.1f} kg" if limited else ""
    return [], (f"{NO_COURIER} ({row.province} {row.city or ''}{kg}): "
                + ", ".join(why[c] for c in tried))


def _asked(desk: Any) -> tuple[str, frozenset[str]]:
    if desk is None:
        return "", frozenset()
    return desk.courier or "", frozenset(c for c in desk.avoid.split(",") if c)


def desk_choice(conn: Connection, order_id: int) -> tuple[str, frozenset[str]]:
    """The courier an acknowledged remark asked for ('' none) and those it refused."""
    return _asked(conn.execute(select(DESK_ORDERS).where(DESK_ORDERS.c.order_id == order_id))
                  .first())


def _approved(desk: Any) -> frozenset[str]:
    return frozenset(a for a in (desk.approved if desk is not None else "").split(",") if a)


def _desk_rows(conn: Connection, state: str) -> dict[int, Any]:
    return {r.order_id: r for r in conn.execute(
        select(DESK_ORDERS).join(ORDERS, ORDERS.c.id == DESK_ORDERS.c.order_id)
        .where(ORDERS.c.state == state))}


OWN_WAYBILL_PLATFORMS = ("pdd", "jd")
"""Platforms whose orders must carry the platform's own e-waybill: they take numbers only from
that platform's pool (``waybill.platform``); other orders take the shop's ('') or their own."""


def _pools(platform: str) -> tuple[str, ...]:
    return (platform,) if platform in OWN_WAYBILL_PLATFORMS else ("", platform)


def _no_waybill(courier: str, platform: str) -> str:
    if platform in OWN_WAYBILL_PLATFORMS:
        return f"no waybill left for {courier} ({platform} e-waybill pool)"
    return f"no waybill left for {courier}"


def take_waybill(conn: Connection, courier: str, order_id: int,
                 platform: str = "taobao") -> str | None:
    """A free number of ``courier`` from the order's pool, assigned to it (None: pool empty)."""
    return _take_waybill(conn, courier, order_id, platform)


def _take_waybill(conn: Connection, courier: str, order_id: int,
                  platform: str = "taobao") -> str | None:
    query = (select(WAYBILLS.c.tracking_no)
             .where(WAYBILLS.c.courier == courier, WAYBILLS.c.order_id.is_(None),
                    WAYBILLS.c.platform.in_(_pools(platform)))
             .order_by(WAYBILLS.c.tracking_no).limit(1))
    if not is_sqlite_conn(conn):
        query = query.with_for_update(skip_locked=True)
    tracking = conn.execute(query).scalar()
    if tracking is None:
        return None
    conn.execute(update(WAYBILLS).where(WAYBILLS.c.tracking_no == tracking)
                 .values(order_id=order_id, assigned_at=now()))
    return str(tracking)


def remark_problem(row: object, cfg: Config) -> str:
    """``remark to acknowledge: gift, invoice`` while the remark's actions wait for a clerk."""
    if getattr(row, "remark_ack", False):
        return ""
    held = str(getattr(row, "hold_reason", "") or "")
    if held.startswith(REMARK_HOLD):
        return held
    if not cfg.floor.remarks_need_ack:
        return ""
    actions = read_remarks(str(getattr(row, "buyer_remark", "") or ""),
                           str(getattr(row, "seller_memo", "") or ""),
                           gifts=cfg.desk.gifts, couriers=cfg.couriers.names)
    if not actions:
        return ""
    return f"{REMARK_HOLD}: " + ", ".join(dict.fromkeys(a.kind for a in actions))


def audit_problem(row: object, lines: list[tuple[str, int]], known: dict[str, int],
                  cfg: Config, approved: Collection[str] = ()) -> str:
    """Why an order cannot be released ('' when it can). ``approved``: checks a supervisor
    waived for this order (``bulk``, ``stock``)."""
    if getattr(row, "paid_at", None) is None:
        return "not paid"
    remark = remark_problem(row, cfg)
    if remark:
        return remark
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
    if short and "stock" not in approved:
        return "short of stock: " + ", ".join(short)
    if sum(need.values()) >= cfg.floor.bulk_units and "bulk" not in approved:
        return f"bulk order ({sum(need.values())} units): supervisor to look before release"
    return ""


def _audit_holds(conn: Connection) -> list[Any]:
    """Orders held by the audit itself (see the module docstring), first paid first."""
    rows = conn.execute(select(ORDERS).where(ORDERS.c.state == HELD, ORDERS.c.held_from == NEW)
                        .order_by(ORDERS.c.paid_at, ORDERS.c.id)).all()
    if not rows:
        return []
    last: dict[int, dict[str, Any]] = {}
    for oid, payload in conn.execute(
        select(EVENTS.c.order_id, EVENTS.c.payload)
        .where(EVENTS.c.kind == "held", EVENTS.c.order_id.in_([r.id for r in rows]))
        .order_by(EVENTS.c.id)
    ):
        last[oid] = json.loads(payload or "{}")
    out = []
    for r in rows:
        p = last.get(r.id, {})
        if p.get("audit") is True or ("audit" not in p
                                      and str(r.hold_reason).startswith(AUDIT_REASONS)):
            out.append(r)
    return out


def _lines_of(conn: Connection, state: str) -> dict[int, list[tuple[str, int]]]:
    lines: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for oid, sku, qty in conn.execute(
        select(LINES.c.order_id, LINES.c.sku, LINES.c.qty)
        .join(ORDERS, ORDERS.c.id == LINES.c.order_id).where(ORDERS.c.state == state)
    ):
        lines[oid].append((sku, qty))
    return lines


def _waybill_problem(conn: Connection, row: Any, cfg: Config, desk: Any = None) -> str:
    """'' when the order's pool still has a waybill for a courier it may take (a local-pickup
    order needs none), else the reason the audit gives (``no courier for this address …``,
    ``no waybill left for …``)."""
    tried, problem = usable_couriers(conn, cfg, row, desk)
    if problem or tried == [PICKUP]:
        return problem
    for c in tried:
        if conn.execute(select(WAYBILLS.c.tracking_no).where(
                WAYBILLS.c.courier == c, WAYBILLS.c.order_id.is_(None),
                WAYBILLS.c.platform.in_(_pools(row.platform))).limit(1)).first():
            return ""
    return _no_waybill(tried[-1], row.platform)


def _reaudit(conn: Connection, cfg: Config, actor: Actor, available: dict[str, int]) -> int:
    """Clear the audit's holds whose reason is gone (back to ``new``); the count cleared."""
    rows = _audit_holds(conn)
    if not rows:
        return 0
    lines = _lines_of(conn, HELD)
    desks = _desk_rows(conn, HELD)
    left = dict(available)  # what the cleared take, so two cannot clear on the same units
    cleared = 0
    for row in rows:
        desk = desks.get(row.id)
        problem = audit_problem(row, lines[row.id], left, cfg, _approved(desk))
        if not problem and not row.tracking_no:
            problem = _waybill_problem(conn, row, cfg, desk)
        problem = problem[:REASON_MAX]
        if problem == row.hold_reason:
            continue
        if problem:
            move(conn, actor, row, HELD, "held",
                 {"reason": problem, "was": row.hold_reason, "audit": True},
                 hold_reason=problem)
            continue
        move(conn, actor, row, NEW, "hold_cleared", {"reason": row.hold_reason, "by": "re-audit"},
             hold_reason="", held_from=None)
        for sku, qty in lines[row.id]:
            left[sku] -= qty
        cleared += 1
    return cleared


def release(engine: Engine, cfg: Config, actor: Actor) -> ReleaseResult:
    """Re-audit the audit's own holds, then audit every ``new`` order, first paid first, in
    one transaction."""
    result = ReleaseResult()
    with write_tx(engine) as conn:
        if not is_sqlite_conn(conn):
            # One release at a time (SQLite's BEGIN IMMEDIATE does the same): each audits stock
            # against the orders the previous one put on the floor, and two never deadlock on
            # the order rows their waybill foreign keys share-lock.
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": RELEASE_LOCK})
        available = _available(conn, cfg.floor.safety_stock)
        result.cleared = _reaudit(conn, cfg, actor, available)
        rows = conn.execute(select(ORDERS).where(ORDERS.c.state == NEW)
                            .order_by(ORDERS.c.paid_at, ORDERS.c.id)).all()
        lines = _lines_of(conn, NEW)
        desks = _desk_rows(conn, NEW)
        weights = sku_weights(conn)
        for row in rows:
            problem = release_row(conn, cfg, actor, row, lines[row.id], available,
                                  desks.get(row.id), weights)
            if problem:
                key = problem.split(":")[0].split(" (")[0]
                result.held[key] = result.held.get(key, 0) + 1
            else:
                result.ready += 1
        result.pools_low = [low_line(p, cfg) for p in low_pools(conn, cfg)]
    return result


def release_row(conn: Connection, cfg: Config, actor: Actor, row: Any,
                lines: list[tuple[str, int]], available: dict[str, int], desk: Any,
                weights: dict[str, float] | None = None) -> str:
    """Audit one ``new`` order (its row read in this transaction): ``ready`` with a courier and
    a waybill, or ``held`` by the audit; returns the problem ('' when it went ready).
    ``available`` is taken down by what a released order commits."""
    problem = audit_problem(row, lines, available, cfg, _approved(desk))
    courier, tracking = row.courier, row.tracking_no
    if not problem and not tracking:
        tried, problem = usable_couriers(conn, cfg, row, desk,
                                         None if weights is None else (lines, weights))
        if tried == [PICKUP]:
            courier = PICKUP  # local pickup (自提): handed over by order number, no waybill
        elif tried:
            for courier in tried:
                tracking = _take_waybill(conn, courier, row.id, row.platform)
                if tracking is not None:
                    break
            else:
                problem = _no_waybill(courier, row.platform)
    if problem:
        problem = problem[:REASON_MAX]
        move(conn, actor, row, HELD, "held", {"reason": problem, "audit": True},
             hold_reason=problem, held_from=NEW)
        return problem
    for sku, qty in lines:
        available[sku] -= qty
    move(conn, actor, row, READY, "released", {"courier": courier, "tracking_no": tracking},
         courier=courier, tracking_no=tracking, hold_reason="")
    return ""


def release_one(conn: Connection, cfg: Config, actor: Actor, order_id: int) -> str:
    """Audit the one ``new`` order now (the desk released it by hand): ``ready`` or held by the
    audit, as :func:`release` would; returns the problem ('' when it went ready)."""
    row = conn.execute(select(ORDERS).where(ORDERS.c.id == order_id)).one()
    lines = [(sku, int(qty)) for sku, qty in conn.execute(
        select(LINES.c.sku, LINES.c.qty).where(LINES.c.order_id == order_id))]
    desk = conn.execute(select(DESK_ORDERS).where(DESK_ORDERS.c.order_id == order_id)).first()
    return release_row(conn, cfg, actor, row, lines,
                       _available(conn, cfg.floor.safety_stock), desk)
