"""Build waves from ready orders, by rule and priority.

Rules, per courier (a wave never mixes couriers: its parcels go to one staging area):
- ``single``: one-line, one-unit orders of one SKU (单品单件), the fastest to pick and verify;
- ``few``: orders of at most ``[floor] wave_few_units`` units;
- ``multi``: the rest.
A SKU with fewer than ``MIN_SINGLE`` single orders joins the courier's few-item wave. Each
group is sorted by priority (:mod:`.priority`) and cut into waves of ``[floor] wave_size``;
waves are ranked by their first order. One transaction: the waves, their slots and one
``wave_built`` event per wave. Two builds at once take turns (BEGIN IMMEDIATE on SQLite, an
advisory lock on PostgreSQL), so an order is never in two open waves.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, exists, func, insert, select, text

from pickpack.config import Config
from pickpack.core.context import Floor, is_sqlite_conn
from pickpack.core.events import Actor, append_event, now
from pickpack.core.lifecycle import READY
from pickpack.core.tables import LINES, ORDERS
from pickpack.core.waves.priority import Candidate, Ranking
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


def candidates(conn: Connection) -> list[Candidate]:
    """Ready orders with a courier that no open wave holds, with their line counts."""
    in_wave = exists().where(WAVE_ORDERS.c.order_id == ORDERS.c.id,
                             WAVE_ORDERS.c.wave_id == WAVES.c.id, WAVES.c.state != "closed")
    query = (select(ORDERS.c.id, ORDERS.c.courier, ORDERS.c.paid_at, ORDERS.c.created_at,
                    func.count(LINES.c.id), func.sum(LINES.c.qty), func.min(LINES.c.sku))
             .join(LINES, LINES.c.order_id == ORDERS.c.id)
             .where(ORDERS.c.state == READY, ORDERS.c.courier.is_not(None), ~in_wave)
             .group_by(ORDERS.c.id, ORDERS.c.courier, ORDERS.c.paid_at, ORDERS.c.created_at))
    at = now()
    return [Candidate(int(r[0]), str(r[1]), r[2] or r[3] or at, int(r[4]), int(r[5] or 0),
                      str(r[6]))
            for r in conn.execute(query)]


def group_key(c: Candidate, few_units: int) -> tuple[str, str, str | None]:
    """(courier, kind, sku): the group a candidate belongs to before single SKUs are counted."""
    if c.lines == 1 and c.units == 1:
        return (c.courier, "single", c.sku)
    return (c.courier, "few" if c.units <= few_units else "multi", None)


def plan(cands: list[Candidate], cfg: Config, ranking: Ranking
         ) -> list[tuple[str, str, str | None, list[Candidate]]]:
    """The waves to build, in priority order: (courier, kind, sku, orders in slot order)."""
    groups: dict[tuple[str, str, str | None], list[Candidate]] = defaultdict(list)
    for c in cands:
        groups[group_key(c, cfg.floor.wave_few_units)].append(c)
    for key in [k for k, members in groups.items() if k[1] == "single" and len(members) < MIN_SINGLE]:
        groups[(key[0], "few", None)].extend(groups.pop(key))
    size = cfg.floor.wave_size
    waves = []
    for (courier, kind, sku), members in groups.items():
        ordered = ranking.ordered(members)
        for start in range(0, len(ordered), size):
            waves.append((courier, kind, sku, ordered[start:start + size]))
    waves.sort(key=lambda w: ranking.key(w[3][0]))
    return waves


def build_waves(floor: Floor, actor: Actor, at: datetime | None = None) -> list[Built]:
    """Put every ready order no open wave holds into a wave; returns the waves built."""
    cfg = floor.config

    def tx(conn: Connection) -> list[Built]:
        if not is_sqlite_conn(conn):
            conn.execute(text("SELECT pg_advisory_xact_lock(:k, hashtext(current_schema()))"),
                         {"k": BUILD_LOCK})
        ranking = Ranking.at(conn, cfg, at or now())
        built: list[Built] = []
        slots: list[dict[str, int]] = []
        created = now()
        for courier, kind, sku, members in plan(candidates(conn), cfg, ranking):
            first = members[0]
            units = sum(c.units for c in members)
            wave_id = int(conn.execute(insert(WAVES).values(
                kind=kind, courier=courier, sku=sku, state="open", rank=ranking.klass(first),
                due_at=ranking.due(first), orders=len(members), units=units, created_at=created,
            )).inserted_primary_key[0])  # type: ignore[index]
            slots.extend({"wave_id": wave_id, "slot": i, "order_id": c.id}
                         for i, c in enumerate(members, 1))
            code = wave_code(wave_id)
            append_event(conn, actor, "wave_built", None, {
                "wave": code, "kind": kind, "courier": courier, "sku": sku,
                "orders": [c.id for c in members], "units": units,
                "urgent": sum(1 for c in members if c.id in ranking.urgent)})
            built.append(Built(wave_id, code, kind, courier, sku, len(members), units,
                               ranking.klass(first)))
        if slots:
            conn.execute(insert(WAVE_ORDERS), slots)
        return built

    return floor.run(actor, tx)
