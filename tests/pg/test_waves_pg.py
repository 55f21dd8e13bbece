"""Waves on PostgreSQL: built in one transaction, and handed out so that no two pickers hold
one wave (CMD:NEXT takes the next with SKIP LOCKED; a scanned wave is taken under its lock)."""

from __future__ import annotations

import threading

from sqlalchemy import select, text

from pickpack.core.events import Actor
from pickpack.core.refusal import Refusal
from pickpack.core.tables import EVENTS
from pickpack.core.waves.build import build_waves
from pickpack.core.waves.picking import claim_next_wave, claim_wave
from tests.core.wavekit import DESK, ready, seed_floor
from tests.pg.conftest import PgStore

PICKERS = (Actor("P1", "OP1001", "picker"), Actor("P2", "OP1002", "picker"))


def _waves(pg: PgStore, n: int) -> list[str]:
    seed_floor(pg.engine)
    for _ in range(n):
        ready(pg.engine, [("TEE-BK-XL", 1), ("MUG-WH", 1)])
    cfg = pg.config.model_copy(update={"floor": pg.config.floor.model_copy(
        update={"wave_size": 1})})
    pg.config = cfg
    return [w.code for w in build_waves(pg.floor(), DESK)]


def _at_once(calls: list) -> list[object]:  # noqa: ANN001
    """Run the calls in threads released together; each result or the Refusal it raised."""
    start = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(i: int) -> None:
        start.wait()
        try:
            results[i] = calls[i]()
        except Refusal as refusal:
            results[i] = refusal

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


def test_two_pickers_taking_the_next_wave_at_once_get_two_waves(pg: PgStore) -> None:
    codes = _waves(pg, 2)
    floor = pg.floor()
    got = _at_once([lambda a=a: claim_next_wave(floor, a) for a in PICKERS])
    held = sorted(w.code for w in got if w is not None)  # type: ignore[union-attr]
    assert held == sorted(codes)
    with pg.engine.connect() as conn:
        claims = conn.execute(select(EVENTS.c.operator).where(EVENTS.c.kind == "wave_claimed")
                              ).scalars().all()
    assert sorted(claims) == ["OP1001", "OP1002"]


def test_a_wave_locked_mid_claim_is_skipped_not_waited_for(pg: PgStore) -> None:
    first, second = _waves(pg, 2)
    with pg.engine.connect() as other:  # another picker's claim, still in its transaction
        other.execute(text("SELECT id FROM wave WHERE id = :id FOR UPDATE"),
                      {"id": int(first[1:])})
        got = claim_next_wave(pg.floor(), PICKERS[1])
        other.rollback()
    assert got is not None and got.code == second


def test_two_pickers_scanning_one_wave_at_once_one_holds_it(pg: PgStore) -> None:
    (code,) = _waves(pg, 1)
    floor = pg.floor()
    got = _at_once([lambda a=a: claim_wave(floor, a, code) for a in PICKERS])
    refused = [r for r in got if isinstance(r, Refusal)]
    held = [r for r in got if not isinstance(r, Refusal)]
    assert len(held) == 1 and len(refused) == 1 and refused[0].code == "wave_taken"
    assert claim_next_wave(floor, PICKERS[0 if held[0].picker == "OP1002" else 1]) is None
