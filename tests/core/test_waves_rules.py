"""Wave rules: one courier per wave; single-item orders of one SKU; few-item; the rest; a cap."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from pickpack.core.tables import EVENTS
from pickpack.core.waves.build import build_waves
from pickpack.core.waves.views import close_wave, list_waves, show_wave
from tests.core.wavekit import DESK, ready, store


def test_each_rule_makes_its_own_wave(tmp_path: Path) -> None:
    engine, _cfg, floor = store(tmp_path)
    tees = [ready(engine, [("TEE-BK-XL", 1)]) for _ in range(3)]
    lone_mug = ready(engine, [("MUG-WH", 1)])  # one single order of its SKU: a few-item order
    few = ready(engine, [("TEE-BK-XL", 1), ("MUG-WH", 2)])
    multi = ready(engine, [("SOCK-3", 4)])
    sf_tee = ready(engine, [("TEE-BK-XL", 1)], courier="SF")
    built = build_waves(floor, DESK)
    kinds = {(w.courier, w.kind, w.sku): w for w in built}
    assert set(kinds) == {("ZTO", "single", "TEE-BK-XL"), ("ZTO", "few", None),
                          ("ZTO", "multi", None), ("SF", "few", None)}
    with engine.connect() as conn:
        def members(key: tuple[str, str, str | None]) -> list[int]:
            return [s.order_id for s in show_wave(conn, kinds[key].id).slots]

        assert members(("ZTO", "single", "TEE-BK-XL")) == tees
        assert sorted(members(("ZTO", "few", None))) == sorted([lone_mug, few])
        assert members(("ZTO", "multi", None)) == [multi]
        assert members(("SF", "few", None)) == [sf_tee]
        slots = [s.slot for s in show_wave(conn, kinds[("ZTO", "single", "TEE-BK-XL")].id).slots]
        assert slots == [1, 2, 3]
        events = conn.execute(select(EVENTS.c.payload).where(EVENTS.c.kind == "wave_built")).all()
    assert len(events) == 4


def test_wave_size_caps_a_wave_and_orders_are_waved_once(tmp_path: Path) -> None:
    engine, _cfg, floor = store(tmp_path, floor={"wave_size": 2})
    for _ in range(5):
        ready(engine, [("TEE-BK-XL", 1)])
    built = build_waves(floor, DESK)
    assert [w.orders for w in built] == [2, 2, 1]
    assert build_waves(floor, DESK) == []  # every ready order is in an open wave already
    with engine.connect() as conn:
        assert len(list_waves(conn)) == 3


def test_closing_an_untaken_wave_frees_its_orders_for_the_next_build(tmp_path: Path) -> None:
    engine, _cfg, floor = store(tmp_path)
    ready(engine, [("TEE-BK-XL", 1)])
    ready(engine, [("TEE-BK-XL", 1)])
    first = build_waves(floor, DESK)[0]
    closed = close_wave(floor, DESK, first.code)
    assert closed.state == "closed" and closed.slots == []
    again = build_waves(floor, DESK)
    assert [w.orders for w in again] == [2] and again[0].id != first.id


def test_orders_not_ready_are_not_waved(tmp_path: Path) -> None:
    engine, _cfg, floor = store(tmp_path)
    ready(engine, [("TEE-BK-XL", 1)], state="held")
    ready(engine, [("TEE-BK-XL", 1)], state="picking")
    ready(engine, [("TEE-BK-XL", 1)], state="cancelled")
    assert build_waves(floor, DESK) == []
