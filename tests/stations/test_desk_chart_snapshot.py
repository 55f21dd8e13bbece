"""A snapshot of the desk's throughput chart (F10) at 80×24 in Chinese, on a fixed clock: one
order taken through the floor from 09:30, handed over at 14:20, read at 15:05."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, update
from textual.pilot import Pilot
from textual.widgets import Input

from db.engine import write_tx
from pickpack.app import StationApp
from pickpack.core.context import Floor
from pickpack.core.tables import EVENTS
from pickpack.i18n import set_language
from tests.core.floorkit import restamp, ship_through
from tests.core.test_throughput import HANDOVER, MORNING, READ_AT
from tests.stations.conftest import make_app, scan, settle
from tests.stations.desk_kit import CLERK, READY, desk_config, desk_floor

TERMINAL = (80, 24)


@pytest.fixture
def chart_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[StationApp]:
    monkeypatch.setenv("TERM", "xterm-256color")  # braille lines (the console's: a pilot test)
    config = desk_config(tmp_path, "zh_CN")
    engine: Engine = desk_floor(config)
    ship_through(Floor(engine, config), READY)
    restamp(engine, MORNING, timedelta(minutes=1))
    with write_tx(engine) as conn:
        conn.execute(update(EVENTS).where(EVENTS.c.kind == "shipped").values(at=HANDOVER))
    yield make_app(config, engine, "desk")
    engine.dispose()
    set_language("en")


async def _chart(pilot: Pilot[object]) -> None:
    await settle(pilot)
    for field in pilot.app.screen.query(Input):  # a fixed picture: no blinking cursor
        field.cursor_blink = False
    pilot.app.screen.flow.now = lambda: READ_AT  # type: ignore[attr-defined]
    await scan(pilot, CLERK)  # its login comes after 15:05: not on the chart
    await pilot.press("f10")
    await settle(pilot)


def test_desk_chart_chinese(snap_compare, chart_app: StationApp) -> None:  # noqa: ANN001
    assert snap_compare(chart_app, terminal_size=TERMINAL, run_before=_chart)
