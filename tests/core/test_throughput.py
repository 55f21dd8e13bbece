"""Throughput per hour of today against the day's target, from a real trail on a fixed clock:
three orders due, one taken through the whole floor in the morning and handed over at 14:20."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, select, update

from db.engine import write_tx
from pickpack.config import Config
from pickpack.core.context import Floor
from pickpack.core.events import Actor
from pickpack.core.release import release
from pickpack.core.report.throughput import SERIES_KINDS, target_by, throughput
from pickpack.core.reports import floor_tz
from pickpack.core.tables import EVENTS
from pickpack.core.waves.today import today_board
from pickpack.store import open_store
from tests.conftest import make_config
from tests.core.floorkit import restamp, seed, ship_through
from tests.pg.conftest import PgStore, pg, pg_url  # noqa: F401 - the fixtures

MORNING = datetime(2026, 11, 21, 1, 30, tzinfo=UTC)  # 09:30 in China
HANDOVER = datetime(2026, 11, 21, 6, 20, tzinfo=UTC)  # 14:20
READ_AT = datetime(2026, 11, 21, 7, 5, tzinfo=UTC)  # 15:05


def throughput_day(engine: Engine, config: Config) -> list[str]:
    """Floorkit's three orders (paid the evening before) released; the first one picked,
    verified, packed and weighed from 09:30 on, a minute per event, and handed over at 14:20."""
    numbers = seed(engine, orders=3)
    release(engine, config, Actor("D1", "clerk"))
    ship_through(Floor(engine, config), numbers[0])
    restamp(engine, MORNING, timedelta(minutes=1))
    with write_tx(engine) as conn:
        conn.execute(update(EVENTS).where(EVENTS.c.kind == "shipped").values(at=HANDOVER))
    return numbers


def _by_hand(engine: Engine, config: Config, kinds: tuple[str, ...]) -> Counter[int]:
    """The same count read event by event (the test's own reckoning)."""
    tz = floor_tz(config)
    with engine.connect() as conn:
        rows = conn.execute(select(EVENTS.c.kind, EVENTS.c.at)).all()
    out: Counter[int] = Counter()
    for kind, at in rows:
        at = at if at.tzinfo else at.replace(tzinfo=UTC)
        if kind in kinds and at <= READ_AT:
            out[at.astimezone(tz).hour] += 1
    return out


def test_the_day_hour_by_hour_against_its_target(engine: Engine, config: Config) -> None:
    throughput_day(engine, config)
    with engine.connect() as conn:
        day = throughput(conn, config, READ_AT)
        board = today_board(conn, config, READ_AT)
    assert (day.date, day.clock, day.shift_start, day.cutoff_handover) == (
        "2026-11-21", "15:05", "08:00", "16:30")
    assert day.hours == list(range(8, 17)) and day.upto == 8  # 08:00 … 15:00 have begun
    assert day.due == sum(c["due"] for c in board["couriers"]) == 3
    assert day.verified == [0, 1, 0, 0, 0, 0, 0, 0, 0]
    assert day.handed_over == [0, 0, 0, 0, 0, 0, 1, 0, 0]
    scans = _by_hand(engine, config, SERIES_KINDS["scans"])
    assert sum(scans.values()) >= 5  # pick, item scans, pack, weigh: a real trail
    assert day.scans == [scans.get(h, 0) for h in day.hours]
    # 3 orders over 08:00–16:30 (510 min): 1 by 09:00, 2 by 12:00 (360 ≥ 340), 3 by 14:00 (cut: 3)
    assert day.target == [1, 1, 2, 2, 2, 3, 3, 3, 3]
    assert day.target_now() == 3
    assert day.cumulative("handed_over") == [0, 0, 0, 0, 0, 0, 1, 1]
    assert day.to_json()["cumulative"]["verified"] == [0, 1, 1, 1, 1, 1, 1, 1]


def test_the_target_is_spread_evenly_and_whole() -> None:
    shift, cut = 8 * 60, 16 * 60 + 30
    assert [target_by(17, m, shift, cut) for m in (480, 540, 735, 989, 990, 1200)] == [
        0, 2, 9, 17, 17, 17]
    assert target_by(5, 600, 600, 600) == 0 and target_by(5, 601, 600, 600) == 5  # no span
    assert target_by(0, 700, shift, cut) == 0


def test_nothing_yet_today(engine: Engine, config: Config) -> None:
    """Before any event of the day the hours still run from the shift start to the cut-off."""
    seed(engine, orders=2)
    release(engine, config, Actor("D1", "clerk"))
    with write_tx(engine) as conn:
        conn.execute(update(EVENTS).values(at=MORNING - timedelta(days=1)))
    with engine.connect() as conn:
        day = throughput(conn, config, datetime(2026, 11, 21, 0, 30, tzinfo=UTC))  # 08:30
    assert day.hours == list(range(8, 17)) and day.upto == 1
    assert (day.total("scans"), day.total("verified"), day.total("handed_over")) == (0, 0, 0)
    assert day.due == 2 and day.target_now() == 1
    assert day.cumulative("scans") == [0]


def test_throughput_on_postgresql(pg: PgStore, engine: Engine, config: Config) -> None:  # noqa: F811
    """The store's hour expression differs; the figures are SQLite's."""
    throughput_day(pg.engine, pg.config)
    throughput_day(engine, config)
    with pg.engine.connect() as conn:
        on_pg = throughput(conn, pg.config, READ_AT)
    with engine.connect() as conn:
        on_sqlite = throughput(conn, config, READ_AT)
    assert on_pg == on_sqlite
    assert on_pg.handed_over[6] == 1 and on_pg.due == 3


def test_a_handover_before_the_shift_starts_still_has_an_hour(tmp_path: Path) -> None:
    config = make_config(tmp_path, floor={"cutoff_handover": "06:00"})
    engine = open_store(config, create=True)
    try:
        seed(engine, orders=1)
        release(engine, config, Actor("D1", "clerk"))
        with engine.connect() as conn:
            day = throughput(conn, config, READ_AT)
    finally:
        engine.dispose()
    assert day.hours == [8] and day.target == [day.due] == [1]
