"""A GS1-128 code through a keyboard wedge: the scanner sends FNC1 as GS (Ctrl+], ASCII 29), which
the terminal delivers as the key ``ctrl+right_square_bracket``. It is part of the scan, not a key
that ends the burst (which lost everything before it and read ``10ABC`` as a code of its own)."""

from __future__ import annotations

import time

from sqlalchemy import Engine
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input

from pickpack.config import Config
from tests.stations.conftest import SIZE, TEE, make_app, scan, settle, station_config, status
from tests.stations.test_verify import picked
from tests.stations.test_wedge_app import config_dir

GS_KEY = events.Key("ctrl+right_square_bracket", "\x1d")  # as Textual's xterm parser makes it


async def wedge(pilot: Pilot[object], parts: list[str], gap_s: float = 0.004,
                enter: bool = True) -> None:
    """The parts typed back to back with GS between them, then Enter, as a scanner bursts."""
    keys: list[events.Key] = []
    for i, part in enumerate(parts):
        if i:
            keys.append(events.Key(GS_KEY.key, GS_KEY.character))
        keys.extend(events.Key(ch, ch) for ch in part)
    if enter:
        keys.append(events.Key("enter", "\r"))
    t = time.monotonic()
    for i, key in enumerate(keys):
        key.time = t + i * gap_s
        key.set_sender(pilot.app)
        pilot.app.post_message(key)
        await pilot.pause()
    await settle(pilot)


def verify_app(config: Config, engine: Engine):  # noqa: ANN201
    """A verify station with B001's order picked and a 35 ms scanner burst gap."""
    picked(config, engine)
    return make_app(station_config(config_dir(config), scanner={"burst_max_gap_ms": 35}),
                    engine, "verify")


async def at_the_basket(pilot: Pilot[object]) -> None:
    await settle(pilot)
    await scan(pilot, "OP2001")
    await scan(pilot, "B001")


async def test_a_gs1_code_with_gs_is_one_scan_of_its_item(config: Config, engine: Engine) -> None:
    app = verify_app(config, engine)
    async with app.run_test(size=SIZE) as pilot:
        await at_the_basket(pilot)
        await wedge(pilot, [f"010{TEE}", "10ABC"])
        assert "TEE-BK-XL 1/1" in status(pilot), status(pilot)
        assert app.screen.query_one("#entry", Input).value == "", "nothing of the scan left typed"


async def test_gs_typed_by_hand_is_not_a_scan(config: Config, engine: Engine) -> None:
    """A person's Ctrl+] between slow keys is no burst: the keys stay typed, nothing is scanned."""
    app = verify_app(config, engine)
    async with app.run_test(size=SIZE) as pilot:
        await at_the_basket(pilot)
        before = status(pilot)
        await wedge(pilot, ["01", "10"], gap_s=0.4, enter=False)
        assert app.screen.query_one("#entry", Input).value == "0110"
        assert status(pilot) == before, "no scan was made of slow keys"
