"""The stock ledger: on hand per SKU and bin, what released orders reserve, what is available.

A SKU's on hand is ``sku.on_hand`` (the total in the building: the audit reads it for every
order). Where it lies: ``stock_bin`` rows for bins other than the SKU's home bin (the catalog's
``bin``), the home bin holds the rest. Stock leaves at ship, so goods in a basket are still on
hand, and reserved by their order. Every change of a quantity goes through
:func:`record_movement` (or :func:`record_movements` for many at once): a ``stock_movement`` row
and the event that explains it, in the caller's transaction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Table, bindparam, delete, func, insert, select, update

from db.models_stock import Policy, StockBin, StockMovement
from pickpack.core.events import Actor, append_event, now
from pickpack.core.lifecycle import ON_FLOOR
from pickpack.core.refusal import Refusal
from pickpack.core.tables import LINES, ORDERS, SKUS


def _table(model: type) -> Table:
    table = model.__table__  # type: ignore[attr-defined]
    assert isinstance(table, Table)
    return table


STOCK_BINS = _table(StockBin)
MOVEMENTS = _table(StockMovement)
POLICY = _table(Policy)
KINDS = ("opening", "import", "adjust", "count", "shipped", "returned", "put_away")
"""What moved stock (``stock_movement.kind``); the event is ``stock_<kind>``."""


@dataclass(frozen=True, slots=True)
class Move:
    """One change of a SKU's quantity in one bin (``bin`` None: the SKU's home bin)."""

    sku: str
    delta: int
    bin: str | None = None
    order_id: int | None = None
    reason: str = ""


@dataclass(frozen=True, slots=True)
class SkuStock:
    """A SKU's stock as the desk sees it; ``available`` may be negative (oversold)."""

    sku: str
    name: str
    home_bin: str
    on_hand: int
    reserved: int
    safety: int
    available: int
    bins: dict[str, int]


def _sku_row(conn: Connection, sku: str) -> Any:
    row = conn.execute(select(SKUS.c.sku, SKUS.c.bin, SKUS.c.on_hand)
                       .where(SKUS.c.sku == sku)).first()
    if row is None:
        raise Refusal("unknown_sku", "Unknown SKU {sku}", sku=sku)
    return row


def bins_of(conn: Connection, sku: str) -> dict[str, int]:
    """Units of ``sku`` per bin, its home bin first (0 there when everything lies elsewhere)."""
    row = _sku_row(conn, sku)
    home = str(row.bin or "")
    elsewhere = {b: int(n) for b, n in conn.execute(
        select(STOCK_BINS.c.bin, STOCK_BINS.c.on_hand)
        .where(STOCK_BINS.c.sku == sku, STOCK_BINS.c.bin != home).order_by(STOCK_BINS.c.bin))}
    return {home: int(row.on_hand) - sum(elsewhere.values()), **elsewhere}


def record_movement(conn: Connection, actor: Actor, sku: str, bin_code: str | None, delta: int,
                    kind: str, order_id: int | None = None, reason: str = "", *,
                    event_uuid: str | None = None) -> int:
    """Move ``delta`` units of ``sku`` in ``bin_code`` (None: its home bin), with a movement row and
    an event ``stock_<kind>`` (or under the caller's ``event_uuid``); the SKU's new on hand."""
    return record_movements(conn, actor, [Move(sku, delta, bin_code, order_id, reason)], kind,
                            event_uuid=event_uuid)[sku]


def record_movements(conn: Connection, actor: Actor, moves: Iterable[Move], kind: str, *,
                     event_uuid: str | None = None,
                     payload: dict[str, Any] | None = None) -> dict[str, int]:
    """Many movements of one kind under one event (an import, a bin count): the new on hand
    of each SKU moved. Without ``event_uuid`` one event ``stock_<kind>`` is appended, its
    payload the movements (or ``payload``)."""
    if kind not in KINDS:
        raise ValueError(f"unknown stock movement {kind!r}: one of {', '.join(KINDS)}")
    moves = list(moves)
    if not moves:
        return {}
    homes = {r.sku: (str(r.bin or ""), int(r.on_hand))
             for r in _skus(conn, sorted({m.sku for m in moves}))}
    unknown = sorted({m.sku for m in moves} - set(homes))
    if unknown:
        raise Refusal("unknown_sku", "Unknown SKU {sku}", sku=", ".join(unknown))
    totals = {sku: on_hand for sku, (_home, on_hand) in homes.items()}
    rows: list[dict[str, Any]] = []
    elsewhere: dict[tuple[str, str], int] = defaultdict(int)
    at = now()
    for m in moves:
        home = homes[m.sku][0]
        where = home if m.bin is None else m.bin
        totals[m.sku] += m.delta
        if where != home:
            elsewhere[(m.sku, where)] += m.delta
        rows.append({"sku": m.sku, "bin": where, "delta": m.delta, "on_hand": totals[m.sku],
                     "kind": kind, "order_id": m.order_id, "reason": m.reason[:200],
                     "station": actor.station, "operator": actor.operator, "at": at})
    changed = [{"_sku": sku, "_delta": total - homes[sku][1]} for sku, total in totals.items()
               if total != homes[sku][1]]
    if changed:  # one statement, many parameter sets (an import moves thousands)
        conn.execute(_ADD_ON_HAND, changed)
    for (sku, where), delta in elsewhere.items():
        _move_elsewhere(conn, sku, where, delta)
    if event_uuid is None:  # on no order's trail: the order has its own events (shipped…)
        body = payload if payload is not None else {
            "moves": [{k: r[k] for k in ("sku", "bin", "delta", "on_hand", "reason", "order_id")}
                      for r in rows]}
        event_uuid = append_event(conn, actor, f"stock_{kind}", None, body)
    conn.execute(insert(MOVEMENTS), [{**r, "event_uuid": event_uuid} for r in rows])
    return {sku: totals[sku] for sku in {m.sku for m in moves}}


def record_new_stock(conn: Connection, actor: Actor, rows: list[tuple[str, str, int]],
                     kind: str, reason: str, payload: dict[str, Any]) -> str:
    """SKUs just inserted with their stock (sku, home bin, units): their first movements under one
    event, in the transaction that inserted them (nothing to add: the rows hold it already)."""
    event = append_event(conn, actor, f"stock_{kind}", None, payload)
    at = now()
    for i in range(0, len(rows), CHUNK * 10):
        conn.execute(insert(MOVEMENTS), [
            {"event_uuid": event, "sku": sku, "bin": home, "delta": n, "on_hand": n,
             "kind": kind, "order_id": None, "reason": reason, "station": actor.station,
             "operator": actor.operator, "at": at} for sku, home, n in rows[i:i + CHUNK * 10]])
    return event


_ADD_ON_HAND = (update(SKUS).where(SKUS.c.sku == bindparam("_sku"))
                .values(on_hand=SKUS.c.on_hand + bindparam("_delta")))
CHUNK = 900
"""SKUs per IN list (SQLite takes at most 32,766 parameters in one statement)."""


def _skus(conn: Connection, skus: list[str]) -> list[Any]:
    """The SKU rows (sku, bin, on_hand) of ``skus``, locked FOR UPDATE on PostgreSQL (SQLite's
    BEGIN IMMEDIATE already holds the write lock), in SKU order so two writers never deadlock."""
    rows: list[Any] = []
    for i in range(0, len(skus), CHUNK):
        query = (select(SKUS.c.sku, SKUS.c.bin, SKUS.c.on_hand)
                 .where(SKUS.c.sku.in_(skus[i:i + CHUNK])).order_by(SKUS.c.sku))
        if conn.dialect.name != "sqlite":
            query = query.with_for_update()
        rows += conn.execute(query).all()
    return rows


def _move_elsewhere(conn: Connection, sku: str, where: str, delta: int) -> None:
    if not delta:
        return
    have = conn.execute(select(STOCK_BINS.c.on_hand).where(
        STOCK_BINS.c.sku == sku, STOCK_BINS.c.bin == where)).scalar()
    if have is None:
        conn.execute(insert(STOCK_BINS).values(sku=sku, bin=where, on_hand=delta))
    elif int(have) + delta == 0:
        conn.execute(delete(STOCK_BINS).where(STOCK_BINS.c.sku == sku, STOCK_BINS.c.bin == where))
    else:
        conn.execute(update(STOCK_BINS).where(STOCK_BINS.c.sku == sku, STOCK_BINS.c.bin == where)
                     .values(on_hand=STOCK_BINS.c.on_hand + delta))


def reserved(conn: Connection) -> dict[str, int]:
    """Units per SKU that released orders (on the floor, not shipped) hold."""
    return {sku: int(n) for sku, n in conn.execute(
        select(LINES.c.sku, func.sum(LINES.c.qty))
        .select_from(LINES.join(ORDERS, ORDERS.c.id == LINES.c.order_id))
        .where(ORDERS.c.state.in_(ON_FLOOR))
        .group_by(LINES.c.sku))}


def available(conn: Connection, safety: int) -> dict[str, int]:
    """Units per SKU that new orders may still take: on hand − safety stock − reserved."""
    held = reserved(conn)
    return {sku: int(on_hand) - safety - held.get(sku, 0)
            for sku, on_hand in conn.execute(select(SKUS.c.sku, SKUS.c.on_hand))}


def stock_view(conn: Connection, safety: int, *, sku: str | None = None,
               bin_code: str | None = None) -> list[SkuStock]:
    """Every SKU's stock (or one SKU's, or the SKUs lying in one bin), by SKU."""
    query = select(SKUS.c.sku, SKUS.c.name, SKUS.c.bin, SKUS.c.on_hand).order_by(SKUS.c.sku)
    if sku is not None:
        _sku_row(conn, sku)
        query = query.where(SKUS.c.sku == sku)
    held = reserved(conn)
    elsewhere: dict[str, dict[str, int]] = defaultdict(dict)
    for s, b, n in conn.execute(select(STOCK_BINS.c.sku, STOCK_BINS.c.bin, STOCK_BINS.c.on_hand)
                                .order_by(STOCK_BINS.c.sku, STOCK_BINS.c.bin)):
        elsewhere[s][b] = int(n)
    out = []
    for r in conn.execute(query):
        home = str(r.bin or "")
        other = {b: n for b, n in elsewhere.get(r.sku, {}).items() if b != home}
        bins = {home: int(r.on_hand) - sum(other.values()), **other}
        if bin_code is not None and bin_code not in bins:
            continue
        res = held.get(r.sku, 0)
        out.append(SkuStock(r.sku, r.name, home, int(r.on_hand), res, safety,
                            int(r.on_hand) - safety - res, bins))
    return out


def movements(conn: Connection, sku: str, limit: int = 20) -> list[dict[str, Any]]:
    """The SKU's latest movements, newest first."""
    _sku_row(conn, sku)
    rows = conn.execute(select(MOVEMENTS).where(MOVEMENTS.c.sku == sku)
                        .order_by(MOVEMENTS.c.id.desc()).limit(limit)).all()
    return [{"kind": r.kind, "bin": r.bin, "delta": r.delta, "on_hand": r.on_hand,
             "order_id": r.order_id, "reason": r.reason, "station": r.station,
             "operator": r.operator, "at": r.at.isoformat() if r.at else None} for r in rows]


def as_imported(conn: Connection, skus: Iterable[str]) -> set[str]:
    """SKUs whose on hand is still what an import (or the ledger's opening) left: the latest
    movement is one of those and its total is today's. A SKU with no movement at all counts
    too (its number came from before the ledger)."""
    wanted = sorted(set(skus))
    out: set[str] = set()
    for i in range(0, len(wanted), CHUNK):
        part = wanted[i:i + CHUNK]
        latest = (select(MOVEMENTS.c.sku, func.max(MOVEMENTS.c.id).label("id"))
                  .where(MOVEMENTS.c.sku.in_(part)).group_by(MOVEMENTS.c.sku).subquery())
        moved = {r.sku: (r.kind, int(r.on_hand)) for r in conn.execute(
            select(MOVEMENTS.c.sku, MOVEMENTS.c.kind, MOVEMENTS.c.on_hand)
            .join(latest, latest.c.id == MOVEMENTS.c.id))}
        totals = {s: int(n) for s, n in conn.execute(
            select(SKUS.c.sku, SKUS.c.on_hand).where(SKUS.c.sku.in_(part)))}
        out |= {sku for sku in part if sku in totals and (
            sku not in moved or (moved[sku][0] in ("import", "opening")
                                 and moved[sku][1] == totals[sku]))}
    return out


def ship_stock(conn: Connection, actor: Actor, order_id: int) -> None:
    """The order's goods leave the building: one ``shipped`` movement per line, from the SKU's
    home bin, under one ``stock_shipped`` event (the ledger's part of a manifest close)."""
    lines = conn.execute(select(LINES.c.sku, LINES.c.qty).where(LINES.c.order_id == order_id)
                         .order_by(LINES.c.id)).all()
    record_movements(conn, actor, [Move(line.sku, -int(line.qty), None, order_id)
                                   for line in lines if line.qty], "shipped")
