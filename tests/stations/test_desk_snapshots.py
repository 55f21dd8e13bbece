"""Snapshots of each desk screen at 80×24, in English and in Chinese (issue 16 items 1, 10)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, update
from textual.pilot import Pilot
from textual.widgets import Input

from db.engine import write_tx
from pickpack.core.tables import EVENTS
from pickpack.i18n import set_language
from tests.core.floorkit import PAID
from tests.stations.conftest import feed, make_app, settle
from tests.stations.desk_kit import CLERK, OTHER, READY, desk_config, desk_floor

TERMINAL = (80, 24)
Before = Callable[[Pilot[object]], Awaitable[None]]


@pytest.fixture
def floor(tmp_path: Path) -> Iterator[Callable[[str], object]]:
    """The desk app on the desk's floor, every event at one fixed time (the trail shows it)."""
    engines: list[Engine] = []

    def make(language: str) -> object:
        config = desk_config(tmp_path, language)
        engine = desk_floor(config)
        with write_tx(engine) as conn:
            conn.execute(update(EVENTS).values(at=PAID + timedelta(minutes=5)))
        engines.append(engine)
        return make_app(config, engine, "desk")

    yield make
    for engine in engines:
        engine.dispose()
    set_language("en")


def steps(*codes: str, keys: tuple[str, ...] = (), round_at: bool = False) -> Before:
    async def run_before(pilot: Pilot[object]) -> None:
        await settle(pilot)
        for field in pilot.app.screen.query(Input):  # a fixed picture: no blinking cursor
            field.cursor_blink = False
        if round_at:
            pilot.app.screen.flow.now = lambda: PAID + timedelta(hours=2, minutes=5)
        for code in codes:
            if code == "CMD:R:FIXED":  # the release key first, then the reason
                await pilot.press("f3")
                await settle(pilot)
            await feed(pilot, code, 0.001)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        await settle(pilot)
    return run_before


def test_desk_queue(snap_compare, floor) -> None:  # noqa: ANN001
    assert snap_compare(floor("en"), terminal_size=TERMINAL, run_before=steps(CLERK))


def test_desk_queue_chinese(snap_compare, floor) -> None:  # noqa: ANN001
    assert snap_compare(floor("zh_CN"), terminal_size=TERMINAL, run_before=steps(CLERK))


def test_desk_round(snap_compare, floor) -> None:  # noqa: ANN001
    assert snap_compare(floor("en"), terminal_size=TERMINAL,
                        run_before=steps(CLERK, keys=("f5",), round_at=True))


def test_desk_hits(snap_compare, floor) -> None:  # noqa: ANN001
    assert snap_compare(floor("en"), terminal_size=TERMINAL, run_before=steps(CLERK, "1234"))


def test_desk_order(snap_compare, floor) -> None:  # noqa: ANN001
    assert snap_compare(floor("en"), terminal_size=TERMINAL, run_before=steps(CLERK, READY))


def test_desk_order_chinese(snap_compare, floor) -> None:  # noqa: ANN001
    assert snap_compare(floor("zh_CN"), terminal_size=TERMINAL, run_before=steps(CLERK, READY))


def test_desk_hold_reasons(snap_compare, floor) -> None:  # noqa: ANN001
    assert snap_compare(floor("zh_CN"), terminal_size=TERMINAL,
                        run_before=steps(CLERK, READY, keys=("f4",)))


def test_desk_supervisor_pin(snap_compare, floor) -> None:  # noqa: ANN001
    assert snap_compare(floor("en"), terminal_size=TERMINAL, run_before=_release_pin())


def _release_pin() -> Before:
    async def run_before(pilot: Pilot[object]) -> None:
        await steps(CLERK, OTHER, "CMD:R:FIXED", "OP9001")(pilot)
        with write_tx(pilot.app.engine) as conn:  # the refusal just recorded: a fixed time
            conn.execute(update(EVENTS).values(at=PAID + timedelta(minutes=6)))
        pilot.app.screen.refresh_desk()
        await settle(pilot)
    return run_before
