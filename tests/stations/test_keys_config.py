"""``[keys]`` at the stations: the ids and keys pickpack/keymap.py checks the config against are
the stations' own, and a key moved in the config is the key that works and that the footer shows."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine
from textual.binding import Binding
from textual.widgets._footer import FooterKey

from pickpack import keymap
from pickpack.app import StationApp
from pickpack.app.chooser import StationChooser
from pickpack.config import Config
from stations import screen_for
from tests.stations.conftest import make_app, scan, settle, station_config, status


def bound(cls: type) -> dict[str, str]:
    """id → key of a screen or app class's bindings, as Textual merges them."""
    keys = {}
    for key, bindings in cls._merge_bindings().key_to_bindings.items():  # type: ignore[attr-defined]
        for binding in bindings:
            if isinstance(binding, Binding) and binding.id and binding.id != "ack":
                keys[binding.id] = key
    return keys


@pytest.mark.parametrize("mode", list(keymap.OWN))
def test_the_key_table_is_the_stations_own(mode: str) -> None:
    """A binding added to a station without its line in pickpack/keymap.py fails here: the
    config could not move it, nor see it in a clash."""
    assert {**bound(StationApp), **bound(screen_for(mode))} == keymap.defaults(mode)


def test_the_chooser_and_the_app_have_the_app_keys() -> None:
    assert {**bound(StationApp), **bound(StationChooser)} == keymap.defaults(None)


def footer_keys(app: StationApp) -> dict[str, str]:
    return {k.action: k.key for k in app.screen.query(FooterKey)}


async def test_a_key_moved_in_the_config_works_and_the_footer_shows_it(
        tmp_path: Path, engine: Engine) -> None:
    config = station_config(tmp_path, keys={"logout": "f1", "verify": {"undo": "ctrl+r"}})
    app = make_app(config, engine, "verify")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        shown = footer_keys(app)
        assert shown["command('LOGOUT')"] == "f1" and shown["command('UNDO')"] == "ctrl+r"
        await scan(pilot, "OP2001")
        await pilot.press("f2")  # the old key does nothing now
        await settle(pilot)
        assert "OP2001" in str(app.screen.query_one("#h-operator").render())
        await pilot.press("f1")
        await settle(pilot)
        assert "Logged out" in status(pilot)
        assert "OP2001" not in str(app.screen.query_one("#h-operator").render())


async def test_a_key_moved_at_one_station_stays_at_the_others(
        tmp_path: Path, engine: Engine) -> None:
    """The demo's chooser opens one station, then another: each gets its own ``[keys.MODE]``."""
    config = station_config(tmp_path, keys={"pick": {"logout": "f11"}})
    app = make_app(config, engine, None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_station("pick")
        await settle(pilot)
        assert footer_keys(app)["command('LOGOUT')"] == "f11"
        await pilot.press("f12")  # back to the chooser
        await settle(pilot)
        app.open_station("ship")
        await settle(pilot)
        assert footer_keys(app)["command('LOGOUT')"] == "f2"


async def test_the_pack_station_names_its_carton_keys_as_moved(
        tmp_path: Path, engine: Engine) -> None:
    from textual.widgets import Static

    config = station_config(tmp_path, keys={"pack": {"carton-xl": "f11", "carton-bag": "f12",
                                                     "stations": "f1"}})
    app = make_app(config, engine, "pack")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = str(app.screen.query_one("#cartons", Static).render())
        assert "F3=S" in text and "F11=XL" in text and "F12=BAG" in text, text
        assert footer_keys(app)["command('CARTON:XL')"] == "f11"


async def test_ctrl_c_names_the_stations_quit_key(tmp_path: Path, engine: Engine) -> None:
    config = station_config(tmp_path, keys={"quit": "ctrl+g"})
    app = make_app(config, engine, "ship")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+c")
        await settle(pilot)
        assert [n.message for n in app._notifications] == ["Press ctrl+g to quit"]
        await pilot.press("ctrl+g")
        await settle(pilot)
    assert app.return_value == 0


async def test_ctrl_q_still_quits_where_the_terminal_passes_it(config: Config,
                                                               engine: Engine) -> None:
    """Not the default any more (it is XON), but scripts and fingers that send it still quit."""
    app = make_app(config, engine, "verify")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "ctrl+q" not in footer_keys(app).values()
        await pilot.press("ctrl+q")
        await settle(pilot)
    assert app.return_value == 0


async def test_the_returns_station_names_its_grade_keys_as_moved(
        tmp_path: Path, engine: Engine) -> None:
    from textual.widgets import Static

    config = station_config(tmp_path, keys={"returns": {"grade-scrap": "f9"}})
    app = make_app(config, engine, "returns")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = str(app.screen.query_one("#grade", Static).render())
        assert "F3 restock" in text and "F9 scrap" in text, text
