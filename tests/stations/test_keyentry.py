"""A key-entry field (an Input with the class "keyentry") owns its keys: the keyboard wedge takes
none of them, typed fast or slow (issue 13.6); scans elsewhere are still scans."""

from __future__ import annotations

from sqlalchemy import Engine
from textual.widgets import Input

from pickpack.config import Config
from pickpack.devices.scale import SimulatedScale
from tests.stations.conftest import SIZE, feed, make_app, settle, station_config, status
from tests.stations.test_wedge_app import FAST, SLOW, config_dir
from tests.stations.test_weigh_screen import A, packed


def wedge_config(config: Config) -> Config:
    return station_config(config_dir(config), scanner={"burst_max_gap_ms": 35})


async def test_a_weight_typed_fast_is_a_weight_not_a_scan(config: Config, engine: Engine) -> None:
    packed(config, engine, A)
    scale = SimulatedScale(interval_s=0.05)
    app = make_app(wedge_config(config), engine, "weigh", scale=scale)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await feed(pilot, "OP3001", FAST)  # a scanner burst into the code entry: a scan
        assert "赵打包" in status(pilot)
        await pilot.press("f6")
        field = app.screen.query_one("#sim-weight", Input)
        assert app.focused is field
        await feed(pilot, "1500", FAST)  # as fast as a scanner: still the field's keys
        assert "Not expected" not in status(pilot) and not app.screen.alerting, status(pilot)
        assert scale.read().weight_kg == 1.5 and field.has_class("keyentry")
        assert app.focused is app.screen.query_one("#entry", Input) and field.value == ""
        await feed(pilot, A, FAST)  # back in the code entry, a burst is a scan again
        assert A in status(pilot)
        app.stop_devices.set()


async def test_slow_keys_into_a_key_entry_field_are_typed_into_it(config: Config,
                                                                    engine: Engine) -> None:
    scale = SimulatedScale(interval_s=0.05)
    app = make_app(wedge_config(config), engine, "weigh", scale=scale)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f6")
        field = app.screen.query_one("#sim-weight", Input)
        await feed(pilot, "2250", SLOW, enter=False)
        assert field.value == "2250"
        await feed(pilot, "", SLOW)
        assert scale.read().weight_kg == 2.25 and field.value == ""
        app.stop_devices.set()
