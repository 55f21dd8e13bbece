"""The keyboard wedge in the app: a scanner burst is a scan wherever the focus is."""

from __future__ import annotations

from sqlalchemy import Engine
from textual.widgets import DataTable, Input

from pickpack.app.messages import ScanRead
from pickpack.config import Config
from pickpack.scan import Scan
from tests.stations.conftest import SIZE, feed, make_app, scan, settle, station_config, status
from tests.stations.test_stations import walk

FAST, SLOW = 0.004, 0.4


async def test_burst_into_a_focused_input_is_a_scan_and_leaves_no_trace(config: Config,
                                                                       engine: Engine) -> None:
    app = make_app(station_config(config_dir(config), scanner={"burst_max_gap_ms": 35}), engine,
                   "verify")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        entry = app.screen.query_one("#entry", Input)
        entry.value = "ab"  # a person had started typing
        entry.cursor_position = 2
        await feed(pilot, "OP2001", FAST)
        assert "王校验" in status(pilot)
        assert entry.value == "ab"


async def test_slow_keys_are_a_person_typing_into_the_entry(config: Config, engine: Engine) -> None:
    app = make_app(station_config(config_dir(config), scanner={"burst_max_gap_ms": 35}), engine,
                   "verify")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await feed(pilot, "OP2001", SLOW, enter=False)
        entry = app.screen.query_one("#entry", Input)
        assert entry.value == "OP2001"  # typed, shown, not yet taken
        assert app.screen.flow.operator is None
        await feed(pilot, "", SLOW)  # Enter: the typed code is submitted
        assert "王校验" in status(pilot) and entry.value == ""


async def test_burst_with_no_input_focused(config: Config, engine: Engine) -> None:
    app = make_app(station_config(config_dir(config), scanner={"burst_max_gap_ms": 35}), engine,
                   "verify")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.query_one(DataTable).focus()
        await feed(pilot, "OP2001", FAST)
        assert "王校验" in status(pilot)


async def test_short_burst_is_not_a_scan(config: Config, engine: Engine) -> None:
    app = make_app(station_config(config_dir(config), scanner={"burst_max_gap_ms": 35}), engine,
                   "verify")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await feed(pilot, "OP2001", FAST)
        walk(config, engine, "verify")
        await feed(pilot, "B001", FAST)
        await feed(pilot, "2", FAST)  # one key and Enter: a typed count, not a scan
        assert "×2" in status(pilot)


async def test_pilot_press_burst_and_device_sources_take_the_same_path(config: Config,
                                                                      engine: Engine) -> None:
    app = make_app(config, engine, "verify")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await scan(pilot, "OP2001")  # real key events, back to back
        assert "王校验" in status(pilot)
        app.post_message(ScanRead(Scan("CMD:LOGOUT", source="serial")))  # as a thread worker does
        await settle(pilot)
        assert "Logged out" in status(pilot)


def config_dir(config: Config):  # noqa: ANN201
    from pathlib import Path

    return Path(config.store.url.removeprefix("sqlite:///")).parent
