"""Orders short of stock: they wait, ship partly or are held, by a decision on record.

The audit holds an order it cannot fill as ``short of stock: SKU…``. The desk then decides:

- ``wait``: the order stays an audit hold, and the re-audit releases it once stock arrives;
- ``split``: the goods that are there ship now; the desk's split makes the parcels (the decision
  is recorded here, the split itself is the desk's action);
- ``hold``: the order is held by hand: the re-audit no longer touches it, a supervisor releases.

Each decision is a ``stock_decision`` event with what was short at the time.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from pickpack.core.context import Floor, lock_order, move
from pickpack.core.events import Actor, append_event
from pickpack.core.lifecycle import HELD, NEW
from pickpack.core.orders import require_order_id
from pickpack.core.refusal import Refusal
from pickpack.core.stock.ledger import available
from pickpack.core.tables import EVENTS, LINES, ORDERS

SHORT = "short of stock"
DECISIONS = ("wait", "split", "hold")


@dataclass(frozen=True, slots=True)
class ShortOrder:
    order_no: str
    paid_at: str | None
    short: dict[str, int]
    """SKU → units missing for this order (after the orders paid before it)."""
    decision: str
    """The last decision on record ('' when none yet)."""


def _short_of(lines: list[tuple[str, int]], left: dict[str, int]) -> dict[str, int]:
    need: dict[str, int] = defaultdict(int)
    for sku, qty in lines:
        need[sku] += qty
    return {sku: qty - max(0, left.get(sku, 0)) for sku, qty in need.items()
            if left.get(sku, 0) < qty}


def short_orders(conn: Connection, safety: int) -> list[ShortOrder]:
    """Held orders short of stock, first paid first, each with what it lacks and its decision."""
    rows = conn.execute(select(ORDERS.c.id, ORDERS.c.order_no, ORDERS.c.paid_at)
                        .where(ORDERS.c.state == HELD, ORDERS.c.hold_reason.startswith(SHORT))
                        .order_by(ORDERS.c.paid_at, ORDERS.c.id)).all()
    if not rows:
        return []
    ids = [r.id for r in rows]
    lines: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for oid, sku, qty in conn.execute(select(LINES.c.order_id, LINES.c.sku, LINES.c.qty)
                                      .where(LINES.c.order_id.in_(ids))):
        lines[oid].append((sku, int(qty)))
    decided: dict[int, str] = {}
    for oid, payload in conn.execute(select(EVENTS.c.order_id, EVENTS.c.payload).where(
            EVENTS.c.kind == "stock_decision", EVENTS.c.order_id.in_(ids)).order_by(EVENTS.c.id)):
        decided[oid] = str(json.loads(payload or "{}").get("decision", ""))
    left = available(conn, safety)
    out = []
    for r in rows:
        short = _short_of(lines[r.id], left)
        for sku, qty in lines[r.id]:
            left[sku] = left.get(sku, 0) - qty
        out.append(ShortOrder(r.order_no, r.paid_at.isoformat() if r.paid_at else None, short,
                              decided.get(r.id, "")))
    return out


def _audit_hold(conn: Connection, oid: int) -> bool:
    """Whether the order's last ``held`` event is the audit's own (the re-audit may clear it)."""
    payload = conn.execute(select(EVENTS.c.payload).where(
        EVENTS.c.kind == "held", EVENTS.c.order_id == oid).order_by(EVENTS.c.id.desc())).scalar()
    return bool(json.loads(payload or "{}").get("audit", True))


def decide_short(floor: Floor, actor: Actor, key: str, decision: str, reason: str,
                 safety: int) -> dict[str, Any]:
    """Record the desk's decision for an order held short of stock (see the module docstring)."""
    if decision not in DECISIONS:
        raise ValueError(f"unknown decision {decision!r}: one of {', '.join(DECISIONS)}")
    if not reason.strip():
        raise ValueError("a decision needs a reason (--reason)")

    def tx(conn: Connection) -> dict[str, Any]:
        oid = require_order_id(conn, key)
        row = lock_order(conn, oid)
        if row.state != HELD or not str(row.hold_reason).startswith(SHORT):
            raise Refusal("not_short", "Order {order_no} is not held short of stock ({state})",
                          order_no=row.order_no, state=row.state, order_id=oid)
        lines = [(sku, int(q)) for sku, q in conn.execute(
            select(LINES.c.sku, LINES.c.qty).where(LINES.c.order_id == oid))]
        short = _short_of(lines, available(conn, safety))
        payload = {"decision": decision, "reason": reason[:200], "short": short}
        if decision == "hold":  # a hand hold: the re-audit leaves it to a supervisor
            move(conn, actor, row, HELD, "held",
                 {"reason": row.hold_reason, "audit": False, "by": "stock decision"})
        elif decision == "wait" and row.held_from == NEW and not _audit_hold(conn, oid):
            move(conn, actor, row, HELD, "held",
                 {"reason": row.hold_reason, "audit": True, "by": "stock decision"})
        append_event(conn, actor, "stock_decision", oid, payload)
        return {"order_no": row.order_no, **payload}

    return floor.run(actor, tx)
