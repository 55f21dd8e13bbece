"""Field test: a scan split in two by a pause (keys '7009554', 0.3 s, '2784729' Enter) leaves
its first half in the entry, where it was glued onto the next code. The entry is emptied when
an alert shows and again when it is acknowledged."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import Engine
from textual.widgets import Input

from pickpack.config import Config
from tests.stations.conftest import feed, make_app, scan, settle, station_config


async def test_a_split_scan_leaves_nothing_in_the_entry(tmp_path: Path, engine: Engine,
                                                        config: Config) -> None:
    cfg = station_config(tmp_path, scanner={"burst_max_gap_ms": 35, "burst_min_length": 4})
    app = make_app(cfg, engine, "pick")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await scan(pilot, "OP1001")
        entry = app.screen.query_one("#entry", Input)
        await feed(pilot, "7009554", 0.001, enter=False)
        await asyncio.sleep(0.3)
        await feed(pilot, "2784729", 0.001)
        await settle(pilot)
        assert app.screen.alerting
        assert entry.value == ""
        await pilot.press("enter")
        await settle(pilot)
        assert not app.screen.alerting and entry.value == ""
