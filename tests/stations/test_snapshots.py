"""Snapshots of each station at 80×24 (the floor's smallest terminal), deterministic content."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from textual.pilot import Pilot

from pickpack.app import StationApp
from pickpack.config import Config
from pickpack.devices.scale import SimulatedScale
from tests.devices.conftest import PtyDevice
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


@pytest.fixture
def scale_on_a_pty() -> Iterator[tuple[PtyDevice, SimulatedScale]]:
    """The simulated scale at the far end of a serial cable: its frames (``ST,GS,+ 0.956kg``, as
    a CAS indicator sends them) streamed into a pty the station opens as its scale port; the
    platter empty until the test puts the parcel on it."""
    device, scale, stop = PtyDevice(), SimulatedScale(), threading.Event()

    def stream() -> None:
        while not stop.is_set():
            try:
                device.write(scale.read().raw.encode() + b"\r\n")
            except OSError:
                return
            stop.wait(0.2)  # 5 frames a second: a pilot pauses until the app is idle

    thread = threading.Thread(target=stream, daemon=True)
    thread.start()
    yield device, scale
    stop.set()
    thread.join(timeout=2)
    device.close()


def test_weigh_stable_reading(snap_compare, tmp_path: Path, engine: Engine,  # noqa: ANN001
                              scale_on_a_pty: tuple[PtyDevice, SimulatedScale]) -> None:
    """The parcel's weight read from the scale port by the station's own reader and parser."""
    device, scale = scale_on_a_pty
    config = station_config(tmp_path, scale={"port": device.path, "protocol": "cas"})
    tracking = walk(config, engine, "weigh")
    app = make_app(config, engine, "weigh")
    before = scans("OP3001", tracking)

    async def run_before(pilot: Pilot[object]) -> None:
        await before(pilot)
        scale.place(0.956)  # the parcel goes on the scale after its scan
        for _ in range(100):
            await settle(pilot)
            if "956" in str(pilot.app.screen.query_one("#status").render()):
                break
            await asyncio.sleep(0.05)
        assert "956" in str(pilot.app.screen.query_one("#status").render())

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
