"""Wave priority on PostgreSQL: the promised ship time (承诺发货时间) orders a wave as on SQLite
(the build's one statement sorts by it in the store, timestamps there, Julian days on SQLite)."""

from __future__ import annotations

from sqlalchemy import select

from pickpack.core.waves.build import build_waves
from pickpack.core.waves.tables import WAVES
from pickpack.core.waves.views import show_wave
from tests.core.test_waves_priority import AT, local, promise
from tests.core.wavekit import DESK, ready, seed_floor
from tests.pg.conftest import PgStore


def test_a_presale_promised_earlier_goes_first_on_postgresql(pg: PgStore) -> None:
    seed_floor(pg.engine)
    older = ready(pg.engine, [("SOCK-3", 1)], paid=local(20, 10))
    tonight = ready(pg.engine, [("SOCK-3", 1)], paid=local(21, 9))
    promise(pg.engine, tonight, local(21, 20))
    after_cutoff = ready(pg.engine, [("SOCK-3", 1)], paid=local(21, 16, 30))
    next_week = ready(pg.engine, [("SOCK-3", 1)], paid=local(14, 9))
    promise(pg.engine, next_week, local(28, 12))
    tomorrow = ready(pg.engine, [("SOCK-3", 1)], paid=local(21, 16, 40))
    promise(pg.engine, tomorrow, local(22, 12))
    wave = build_waves(pg.floor(), DESK, at=AT)[0]
    with pg.engine.connect() as conn:
        order = [s.order_id for s in show_wave(conn, wave.id).slots]
        due = conn.execute(select(WAVES.c.due_at)).scalar_one()
    assert order == [tonight, older, next_week, tomorrow, after_cutoff]
    assert (wave.rank, due) == (1, local(21, 20))
