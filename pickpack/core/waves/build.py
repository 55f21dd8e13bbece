"""Build waves from ready orders, by rule and priority.

Rules, per courier (a wave never mixes couriers: its parcels go to one staging area):
- ``single``: one-line, one-unit orders of one SKU (单品单件), the fastest to pick and verify;
- ``few``: orders of at most ``[floor] wave_few_units`` units;
- ``multi``: the rest.
A SKU with fewer than ``MIN_SINGLE`` single orders joins the courier's few-item wave. Each
group is sorted by priority (:mod:`.priority`) and cut into waves of ``[floor] wave_size``;
waves are ranked by their first order. One transaction: the waves, their slots and one
``wave_built`` event per wave, each written in batches (a build of 100,000 orders is a few
statements, not one per wave). Two builds at once take turns (BEGIN IMMEDIATE on SQLite, an
advisory lock on PostgreSQL), so an order is never in two open waves.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, exists, func, insert, select, text

from pickpack.config import Config
from pickpack.core.context import Floor, is_sqlite_conn
from pickpack.core.events import Actor, event_row, now
from pickpack.core.lifecycle import PRINTED, READY
from pickpack.core.tables import EVENTS, LINES, ORDERS
from pickpack.core.waves.priority import URGENT, Candidate, Ranking
from pickpack.core.waves.tables import WAVE_ORDERS, WAVES, wave_code

MIN_SINGLE = 2
"""A single-item wave needs at least this many orders of its SKU (one alone is a few-item
order like any other)."""
BUILD_LOCK = 0x57415645  # "WAVE"


@dataclass(frozen=True, slots=True)
class Built:
    id: int
    code: str
    kind: str
    courier: str
    sku: str | None
    orders: int
    units: int
    rank: int


def candidates(conn: Connection, ranking: Ranking) -> list[Candidate]:
    """Ready orders (or printed ones, from a wave closed before it was picked) with a courier
    that no open wave holds, with their line counts, in
    priority order within their class. One statement, sorted by the store by the ship-by time
    (the platform's promise, else payment + ``late_after_h``: :meth:`Ranking.due_sql`), so no
    time is turned into a Python object (what a build of 100,000 orders would spend its time
    on)."""
    in_wave = exists().where(WAVE_ORDERS.c.order_id == ORDERS.c.id,
                             WAVE_ORDERS.c.wave_id == WAVES.c.id, WAVES.c.state != "closed")
    today = ranking.klass_sql()
    query = (select(ORDERS.c.id, ORDERS.c.courier, today, func.count(LINES.c.id),
                    func.sum(LINES.c.qty), func.min(LINES.c.sku))
             .join(LINES, LINES.c.order_id == ORDERS.c.id)
             .where(ORDERS.c.state.in_((READY, PRINTED)), ORDERS.c.courier.is_not(None),
                    ~in_wave)
             .group_by(ORDERS.c.id)
             .order_by(ranking.due_sql(is_sqlite_conn(conn)), ORDERS.c.paid_at, ORDERS.c.id))
    urgent = ranking.urgent
    result = conn.execute(query)
    rows = result.cursor.fetchall() if result.cursor is not None else result.all()
    found = [tuple.__new__(Candidate, row) for row in rows]  # as they come: 100,000 of them
    if urgent:
        found = [c._replace(klass=URGENT) if c.id in urgent else c for c in found]
    found.sort(key=_klass)  # stable: by class, then as the store sorted them
    return found


def _klass(c: Candidate) -> int:
    return c.klass


Planned = tuple[str, str, str | None, list[Candidate]]
"""A wave to build: (courier, kind, sku, orders in slot order)."""


def plan(cands: list[Candidate], cfg: Config) -> list[Planned]:
    """The waves to build, in priority order; ``cands`` come in priority order
    (:func:`candidates`), and each group keeps that order."""
    few_units = cfg.floor.wave_few_units
    groups: dict[tuple[str, str, str | None], list[Candidate]] = defaultdict(list)
    for c in cands:
        if c.lines == 1 and c.units == 1:
            groups[(c.courier, "single", c.sku)].append(c)
        else:
            groups[(c.courier, "few" if c.units <= few_units else "multi", None)].append(c)
    pos = {c.id: i for i, c in enumerate(cands)}
    lone = [k for k, members in groups.items() if k[1] == "single" and len(members) < MIN_SINGLE]
    for key in lone:
        groups[(key[0], "few", None)].extend(groups.pop(key))
    for courier in {k[0] for k in lone}:
        groups[(courier, "few", None)].sort(key=lambda c: pos[c.id])
    size = cfg.floor.wave_size
    waves = [(courier, kind, sku, members[start:start + size])
             for (courier, kind, sku), members in groups.items()
             for start in range(0, len(members), size)]
    waves.sort(key=lambda w: pos[w[3][0].id])
    return waves


def _firsts_due(conn: Connection, ids: list[int], ranking: Ranking) -> dict[int, datetime]:
    """The ship-by time of each wave's first order (the wave's due time)."""
    due: dict[int, datetime] = {}
    for start in range(0, len(ids), 900):
        due.update((int(i), ranking.due(p or c, s)) for i, p, c, s in conn.execute(
            select(ORDERS.c.id, ORDERS.c.paid_at, ORDERS.c.created_at, ORDERS.c.promised_ship_at)
            .where(ORDERS.c.id.in_(ids[start:start + 900]))))
    return due


def insert_slots(conn: Connection, slots: list[tuple[int, int, int]]) -> None:
    """Write (wave, slot, order) rows: COPY on PostgreSQL, one executemany on SQLite."""
    if is_sqlite_conn(conn):
        conn.exec_driver_sql("INSERT INTO wave_order (wave_id, slot, order_id) VALUES (?, ?, ?)",
                             slots)  # type: ignore[arg-type]
        return
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    with cursor.copy("COPY wave_order (wave_id, slot, order_id) FROM STDIN") as copy:
        for row in slots:
            copy.write_row(row)


def build_waves(floor: Floor, actor: Actor, at: datetime | None = None) -> list[Built]:
    """Put every ready order no open wave holds into a wave; returns the waves built."""
    cfg = floor.config

    def tx(conn: Connection) -> list[Built]:
        if not is_sqlite_conn(conn):
            conn.execute(text("SELECT pg_advisory_xact_lock(:k, hashtext(current_schema()))"),
                         {"k": BUILD_LOCK})
        ranking = Ranking.at(conn, cfg, at or now())
        planned = plan(candidates(conn, ranking), cfg)
        if not planned:
            return []
        created = now()
        due = _firsts_due(conn, [members[0].id for *_k, members in planned], ranking)
        rows = [{"kind": kind, "courier": courier, "sku": sku, "state": "open",
                 "rank": members[0].klass, "due_at": due[members[0].id],
                 "orders": len(members), "units": sum(c.units for c in members),
                 "created_at": created} for courier, kind, sku, members in planned]
        ids = [int(i) for i in conn.execute(
            insert(WAVES).returning(WAVES.c.id, sort_by_parameter_order=True), rows).scalars()]
        insert_slots(conn, [(wave_id, i, c.id)
                            for wave_id, (*_k, members) in zip(ids, planned, strict=True)
                            for i, c in enumerate(members, 1)])
        built, events = [], []
        for wave_id, (courier, kind, sku, members) in zip(ids, planned, strict=True):
            code = wave_code(wave_id)
            units = sum(c.units for c in members)
            events.append(event_row(actor, "wave_built", None, {
                "wave": code, "kind": kind, "courier": courier, "sku": sku,
                "orders": [c.id for c in members], "units": units,
                "urgent": sum(1 for c in members if c.klass == URGENT)}))
            built.append(Built(wave_id, code, kind, courier, sku, len(members), units,
                               members[0].klass))
        conn.execute(insert(EVENTS), events)
        return built

    return floor.run(actor, tx)
