"""The station's local journal: a SQLite file with the store's schema and a copy of its work.

The copy is what a station needs to keep scanning through an outage: the catalog (SKUs and
barcodes), couriers, operators, and the orders in hand with their lines, basket and events. It
is taken (and refreshed after every committed scan of a held order) while the central store
answers; the events the station writes while offline are what ``sync`` replays later.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, delete, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from db.engine import make_engine, read_tx, write_tx
from db.migrate import ensure_schema
from pickpack.core.tables import BARCODES, BASKETS, COURIERS, EVENTS, LINES, OPERATORS, ORDERS, SKUS

CATALOG: tuple[tuple[Table, tuple[str, ...]], ...] = (
    (SKUS, ("sku",)), (BARCODES, ("code",)), (COURIERS, ("code",)), (OPERATORS, ("code",)),
)


def open_journal(path: str | Path) -> Engine:
    """The journal file at ``path``, created or migrated by the store's own migrations."""
    engine = make_engine(f"sqlite:///{Path(path)}")
    ensure_schema(engine, auto_upgrade=True)
    return engine


def _upsert(conn: Connection, table: Table, rows: Sequence[dict[str, Any]], keys: tuple[str, ...]
            ) -> None:
    if not rows:
        return
    stmt = sqlite_insert(table)
    columns = [c.name for c in table.columns if c.name not in keys]
    stmt = stmt.on_conflict_do_update(index_elements=list(keys),
                                      set_={c: stmt.excluded[c] for c in columns})
    for start in range(0, len(rows), 500):
        conn.execute(stmt, list(rows[start:start + 500]))


def _rows(conn: Connection, query: Any) -> list[dict[str, Any]]:
    return [dict(r._mapping) for r in conn.execute(query)]


def snapshot(central: Engine, local: Engine, order_ids: Iterable[int], *, catalog: bool = True
             ) -> int:
    """Copy ``order_ids`` (with lines, baskets and events) and, unless ``catalog=False``, the
    catalog, couriers and operators from ``central`` into the journal; returns orders copied.

    Only while online and after the journal's own events were synced: the local copy of an
    order is replaced by the central one.
    """
    ids = sorted(set(order_ids))
    with read_tx(central) as src:
        cat = {t.name: _rows(src, select(t)) for t, _ in CATALOG} if catalog else {}
        orders = _rows(src, select(ORDERS).where(ORDERS.c.id.in_(ids))) if ids else []
        lines = _rows(src, select(LINES).where(LINES.c.order_id.in_(ids))) if ids else []
        baskets = _rows(src, select(BASKETS).where(BASKETS.c.order_id.in_(ids))) if ids else []
        events = _rows(src, select(EVENTS).where(EVENTS.c.order_id.in_(ids))
                       .order_by(EVENTS.c.id)) if ids else []
    with write_tx(local) as dst:
        for table, keys in CATALOG:
            _upsert(dst, table, cat.get(table.name, []), keys)
        _upsert(dst, ORDERS, orders, ("id",))
        if ids:
            dst.execute(delete(LINES).where(LINES.c.order_id.in_(ids)))
            dst.execute(BASKETS.update().where(BASKETS.c.order_id.in_(ids)).values(order_id=None))
        if lines:
            dst.execute(LINES.insert(), lines)
        _upsert(dst, BASKETS, baskets, ("code",))
        for ev in events:  # local ids of their own; the UUID is the identity
            ev.pop("id")
        if events:
            dst.execute(sqlite_insert(EVENTS).on_conflict_do_nothing(index_elements=["uuid"]),
                        events)
    return len(orders)
