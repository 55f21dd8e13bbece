"""Fixtures for the station app: a small released warehouse on a real SQLite file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from textual.pilot import Pilot
from textual.widgets import Input

from pickpack.app import StationApp
from pickpack.config import Config
from pickpack.core.events import Actor
from pickpack.core.release import release
from pickpack.devices.scale import SimulatedScale
from pickpack.i18n import set_language
from pickpack.store import open_store
from tests.conftest import make_config
from tests.core.floorkit import seed

SIZE = (100, 30)
ORDER = "3900000000000000000"  # has a buyer remark
TEE, MUG, SOCKS = "6901661318609", "6952890786660", "6917777412155"


def station_config(tmp_path: Path, **sections: dict[str, object]) -> Config:
    """A wedge gap generous enough for a loaded CI machine: ``pilot.press`` sends a key only when
    the app is idle, so on a busy machine keys of one "burst" can come 100+ ms apart. The rhythm
    itself is tested with keys stamped with exact times (``feed``)."""
    base: dict[str, dict[str, object]] = {
        "scanner": {"burst_max_gap_ms": 1000, "burst_min_length": 4},
        "station": {"id": "T1"},
    }
    base.update(sections)
    return make_config(tmp_path, **base)


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return station_config(tmp_path)


@pytest.fixture
def engine(config: Config) -> Iterator[Engine]:
    eng = open_store(config, create=True)
    seed(eng, orders=3)
    release(eng, config, Actor("D1", "clerk"))
    yield eng
    eng.dispose()
    set_language("en")


@pytest.fixture
def scale() -> SimulatedScale:
    return SimulatedScale(interval_s=0.02)


def make_app(config: Config, engine: Engine, mode: str | None, **kw: object) -> StationApp:
    return StationApp(config, engine, mode=mode, **kw)  # type: ignore[arg-type]


async def settle(pilot: Pilot[object]) -> None:
    """Wait until every flow call has come back and been rendered."""
    app = pilot.app
    for _ in range(200):
        busy = [w for w in app.workers if w.group not in ("scale", "scanner", "live")]
        if busy:  # an empty list would mean "all workers", the endless scale reader too
            await app.workers.wait_for_complete(busy)
        await pilot.pause()
        screen = app.screen
        if not getattr(screen, "_busy", False) and not getattr(screen, "_pending", None):
            break
    for field in app.screen.query(Input):  # a fixed picture: the cursor shown, never blinking
        field.cursor_blink = False
    await pilot.pause()


async def scan(pilot: Pilot[object], code: str) -> None:
    """A scanner burst: the code's characters back to back, then Enter, stamped 1 ms apart as
    a scanner sends them (a loaded machine's pauses between presses are not the scanner's:
    pressed keys stamped with the wall clock split a burst when the machine is busy)."""
    await feed(pilot, code, 0.001)


async def typed(pilot: Pilot[object], text: str) -> None:
    """A person typed ``text`` into the code entry (the keys' rhythm: see ``feed``) and Enter."""
    from textual.widgets import Input

    pilot.app.screen.query_one("#entry", Input).value = text
    await pilot.press("enter")
    await settle(pilot)


async def feed(pilot: Pilot[object], text: str, gap_s: float, *, enter: bool = True) -> None:
    """Keys stamped ``gap_s`` apart, as the terminal would deliver them (deterministic rhythm)."""
    import time

    from textual import events

    t = time.monotonic()
    for i, ch in enumerate([*text, "\r"] if enter else text):
        key = events.Key("enter", "\r") if ch == "\r" else events.Key(ch, ch)
        key.time = t + i * gap_s
        key.set_sender(pilot.app)
        pilot.app.post_message(key)
        await pilot.pause()
    await settle(pilot)


def status(pilot: Pilot[object]) -> str:
    from textual.widgets import Static

    return str(pilot.app.screen.query_one("#status", Static).render())
