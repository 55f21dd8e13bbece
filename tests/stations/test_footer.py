"""At 80×24, in English and in Chinese, every station's footer shows the quit key and clips no
key (issue 20 §4: the desk's English footer ran past column 80 and hid ``^q Quit``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine
from textual.widgets._footer import FooterKey

from pickpack.app import StationApp
from pickpack.core.events import Actor
from pickpack.core.release import release
from pickpack.devices.scale import SimulatedScale
from pickpack.i18n import set_language
from pickpack.keymap import EVERY
from pickpack.store import open_store
from tests.core.floorkit import seed
from tests.stations.conftest import make_app, settle, station_config
from tests.stations.desk_kit import desk_floor

WIDTH, HEIGHT = 80, 24
MODES = ("pick", "verify", "pack", "weigh", "ship", "returns", "desk", None)


def floor(tmp_path: Path, mode: str | None, language: str) -> tuple[StationApp, Engine]:
    station = {"id": "T1", "language": language, **({"mode": mode} if mode else {})}
    config = station_config(tmp_path, station=station)
    if mode == "desk":
        engine = desk_floor(config)
    else:
        engine = open_store(config, create=True)
        seed(engine, orders=3)
        release(engine, config, Actor("D1", "clerk"))
    scale = SimulatedScale(interval_s=0.05) if mode == "weigh" else None  # its two keys show
    return make_app(config, engine, mode, scale=scale), engine


@pytest.mark.parametrize("language", ["en", "zh_CN"])
@pytest.mark.parametrize("mode", MODES, ids=[m or "chooser" for m in MODES])
async def test_the_quit_key_shows_and_no_key_is_clipped(
        tmp_path: Path, mode: str | None, language: str) -> None:
    app, engine = floor(tmp_path, mode, language)
    try:
        async with app.run_test(size=(WIDTH, HEIGHT)) as pilot:
            await settle(pilot)
            keys = sorted(app.screen.query(FooterKey), key=lambda k: k.region.x)
            shown = [(k.key, k.region) for k in keys]
            assert EVERY["quit"] in [key for key, _ in shown], shown
            for (key, region), (_, after) in zip(shown, [*shown[1:], (None, None)], strict=True):
                assert region.width > 0 and region.y == HEIGHT - 1, (key, shown)
                assert region.right <= WIDTH, f"{key} runs past column {WIDTH}: {shown}"
                assert after is None or region.right <= after.x, f"{key} is under the next"
            app.stop_devices.set()
    finally:
        engine.dispose()
        set_language("en")
