"""Snapshots of each station at 80×24 (the floor's smallest terminal), deterministic content."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import Engine
from textual.pilot import Pilot

from pickpack.app import StationApp
from pickpack.app.messages import WeightRead
from pickpack.config import Config
from pickpack.devices.scale.reading import Reading
from tests.stations.conftest import ORDER, SOCKS, TEE, feed, make_app, settle, station_config
from tests.stations.test_stations import walk

TERMINAL = (80, 24)


def scans(*codes: str):  # noqa: ANN201
    async def run_before(pilot: Pilot[object]) -> None:
        await settle(pilot)
        for code in codes:
            await feed(pilot, code, 0.001)
        await settle(pilot)
    return run_before


def test_verify_order_open(snap_compare, config: Config, engine: Engine) -> None:  # noqa: ANN001
    walk(config, engine, "verify")
    app = make_app(config, engine, "verify")
    assert snap_compare(app, terminal_size=TERMINAL, run_before=scans("OP2001", "B001", TEE))


def test_verify_wrong_item_alert(snap_compare, config: Config, engine: Engine) -> None:  # noqa: ANN001
    walk(config, engine, "verify")
    app = make_app(config, engine, "verify")
    assert snap_compare(app, terminal_size=TERMINAL, run_before=scans("OP2001", "B001", SOCKS))


def test_verify_chinese(snap_compare, tmp_path: Path, engine: Engine) -> None:  # noqa: ANN001
    config = station_config(tmp_path, station={"id": "T1", "language": "zh_CN"})
    walk(config, engine, "verify")
    app = make_app(config, engine, "verify")
    assert snap_compare(app, terminal_size=TERMINAL, run_before=scans("OP2001", "B001", TEE))


def test_pick_order_bound(snap_compare, config: Config, engine: Engine) -> None:  # noqa: ANN001
    app = make_app(config, engine, "pick")
    assert snap_compare(app, terminal_size=TERMINAL, run_before=scans("OP1001", "B001", ORDER))


def test_pack_order_open(snap_compare, config: Config, engine: Engine) -> None:  # noqa: ANN001
    walk(config, engine, "pack")
    app = make_app(config, engine, "pack")
    assert snap_compare(app, terminal_size=TERMINAL, run_before=scans("OP3001", ORDER))


def test_weigh_stable_reading(snap_compare, config: Config, engine: Engine) -> None:  # noqa: ANN001
    """Readings posted as the scale worker posts them (no reader thread: a fixed picture)."""
    tracking = walk(config, engine, "weigh")
    app = make_app(config, engine, "weigh")
    before = scans("OP3001", tracking)

    async def run_before(pilot: Pilot[object]) -> None:
        await before(pilot)
        pilot.app.post_message(WeightRead(Reading(0.956, True, "kg", "ST,GS,+   0.956kg")))
        for _ in range(40):
            await settle(pilot)
            if "956" in str(pilot.app.screen.query_one("#status").render()):
                break
            await asyncio.sleep(0.05)

    assert snap_compare(app, terminal_size=TERMINAL, run_before=run_before)


def test_ship_manifest(snap_compare, config: Config, engine: Engine) -> None:  # noqa: ANN001
    tracking = walk(config, engine, "ship")
    app = make_app(config, engine, "ship")
    assert snap_compare(app, terminal_size=TERMINAL, run_before=scans("OP3001", tracking))


@pytest.fixture
def chooser_app(config: Config, engine: Engine) -> StationApp:
    return make_app(config, engine, None, demo_sheet="Badges: OP1001 picker  OP2001 verifier")


def test_chooser(snap_compare, chooser_app: StationApp) -> None:  # noqa: ANN001
    assert snap_compare(chooser_app, terminal_size=TERMINAL)
