"""Wave priority: an acknowledged urgency first, then what ships today (paid before the
cut-off, [floor] timezone), then the ship-by time (the platform's promised ship time where the
export had one, else 72 h from payment), then first paid."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import Engine, select

from db.engine import write_tx
from pickpack.core.tables import ORDERS
from pickpack.core.waves.build import build_waves
from pickpack.core.waves.tables import WAVES
from pickpack.core.waves.views import list_waves, show_wave
from tests.core.wavekit import DESK, acknowledge_urgent, ready, store

CST = timezone(timedelta(hours=8))
AT = datetime(2026, 11, 21, 17, 0, tzinfo=CST)
"""The build runs at 17:00 in Shanghai: the 16:00 cut-off has passed."""


def local(day: int, hh: int, mm: int = 0) -> datetime:
    return datetime(2026, 11, day, hh, mm, tzinfo=CST).astimezone(UTC)


def test_urgent_then_paid_before_the_cutoff_then_first_paid(tmp_path: Path) -> None:
    engine, _cfg, floor = store(tmp_path)
    after_cutoff = ready(engine, [("SOCK-3", 1)], paid=local(21, 16, 30))
    before_cutoff = ready(engine, [("SOCK-3", 1)], paid=local(21, 15, 59))
    yesterday = ready(engine, [("SOCK-3", 1)], paid=local(20, 10))
    urgent = ready(engine, [("SOCK-3", 1)], paid=local(21, 16, 45))
    acknowledge_urgent(engine, urgent)
    wave = build_waves(floor, DESK, at=AT)[0]
    with engine.connect() as conn:
        order = [s.order_id for s in show_wave(conn, wave.id).slots]
    assert order == [urgent, yesterday, before_cutoff, after_cutoff]
    assert wave.rank == 0  # its first order is urgent


def test_waves_are_ranked_by_their_first_order(tmp_path: Path) -> None:
    engine, _cfg, floor = store(tmp_path, floor={"wave_size": 1})
    later = ready(engine, [("SOCK-3", 1)], paid=local(21, 16, 30))
    today = ready(engine, [("SOCK-3", 1)], paid=local(21, 9))
    urgent = ready(engine, [("SOCK-3", 1)], paid=local(21, 16, 50))
    acknowledge_urgent(engine, urgent)
    build_waves(floor, DESK, at=AT)
    with engine.connect() as conn:
        waves = list_waves(conn)
        firsts = [show_wave(conn, w.id).slots[0].order_id for w in waves]
        due = conn.execute(select(WAVES.c.due_at).order_by(WAVES.c.id)).scalars().all()
    assert firsts == [urgent, today, later]
    assert [w.rank for w in waves] == [0, 1, 2]
    assert min(due) == local(21, 9) + timedelta(hours=72)  # ship-by: 72 h from payment


def test_a_negated_or_withdrawn_urgency_is_not_urgent(tmp_path: Path) -> None:
    engine, _cfg, floor = store(tmp_path)
    first = ready(engine, [("SOCK-3", 1)], paid=local(21, 9))
    negated = ready(engine, [("SOCK-3", 1)], paid=local(21, 10))
    withdrawn = ready(engine, [("SOCK-3", 1)], paid=local(21, 11))
    acknowledge_urgent(engine, negated, negated=True)  # "不加急"
    acknowledge_urgent(engine, withdrawn)
    acknowledge_urgent(engine, withdrawn, negated=True)  # the latest acknowledgement counts
    wave = build_waves(floor, DESK, at=AT)[0]
    with engine.connect() as conn:
        assert [s.order_id for s in show_wave(conn, wave.id).slots] == [first, negated, withdrawn]
    assert wave.rank == 1


def test_the_cutoff_is_read_in_the_floor_timezone(tmp_path: Path) -> None:
    """15:30 in Berlin is after 16:00 in Shanghai: with timezone = Europe/Berlin the order
    paid at 15:30 Berlin time ships today, with Shanghai it would not."""
    engine, _cfg, floor = store(tmp_path, floor={"timezone": "Europe/Berlin"})
    berlin = timezone(timedelta(hours=1))
    ready(engine, [("SOCK-3", 1)], paid=datetime(2026, 11, 21, 15, 30, tzinfo=berlin))
    wave = build_waves(floor, DESK, at=datetime(2026, 11, 21, 17, 0, tzinfo=berlin))[0]
    assert wave.rank == 1


def promise(engine: Engine, order_id: int, at: datetime) -> None:
    """What the import writes for a pre-sale order whose export has 承诺发货时间."""
    with write_tx(engine) as conn:
        conn.execute(ORDERS.update().where(ORDERS.c.id == order_id).values(promised_ship_at=at))


def test_a_presale_promised_earlier_goes_before_an_older_paid_order(tmp_path: Path) -> None:
    """Within a class the ship-by time decides: the platform's promise where the export had
    one, else 72 h from payment. A pre-sale promised for tonight goes before an order paid
    yesterday (due in two days); a pre-sale paid last week for next week still ships today
    (paid before the cut-off) but after today's others; after the cut-off, a promise for
    tomorrow noon goes before an order whose 72 h run out later."""
    engine, _cfg, floor = store(tmp_path)
    older = ready(engine, [("SOCK-3", 1)], paid=local(20, 10))
    tonight = ready(engine, [("SOCK-3", 1)], paid=local(21, 9))
    promise(engine, tonight, local(21, 20))
    after_cutoff = ready(engine, [("SOCK-3", 1)], paid=local(21, 16, 30))
    next_week = ready(engine, [("SOCK-3", 1)], paid=local(14, 9))
    promise(engine, next_week, local(28, 12))
    tomorrow = ready(engine, [("SOCK-3", 1)], paid=local(21, 16, 40))
    promise(engine, tomorrow, local(22, 12))
    wave = build_waves(floor, DESK, at=AT)[0]
    with engine.connect() as conn:
        order = [s.order_id for s in show_wave(conn, wave.id).slots]
        due = conn.execute(select(WAVES.c.due_at)).scalar_one()
    assert order == [tonight, older, next_week, tomorrow, after_cutoff]
    assert wave.rank == 1  # its first order ships today
    assert due == local(21, 20)  # the wave is due when its first order's promise is


def test_a_promise_for_tonight_ships_today_though_paid_after_the_cutoff(tmp_path: Path) -> None:
    """Paid after the cut-off but promised for tonight: today's work, its wave ranks before
    one of an order paid earlier but after the cut-off too."""
    engine, _cfg, floor = store(tmp_path, floor={"wave_size": 1})
    later = ready(engine, [("SOCK-3", 1)], paid=local(21, 16, 10))
    presale = ready(engine, [("SOCK-3", 1)], paid=local(21, 16, 30))
    promise(engine, presale, local(21, 22))
    build_waves(floor, DESK, at=AT)
    with engine.connect() as conn:
        waves = list_waves(conn)
        firsts = [show_wave(conn, w.id).slots[0].order_id for w in waves]
    assert firsts == [presale, later]
    assert [w.rank for w in waves] == [1, 2]
