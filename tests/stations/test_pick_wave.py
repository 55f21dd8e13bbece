"""The pick screen with a wave in hand: F5 (CMD:NEXT) takes the next wave, the walk shows each
stop with the slots still to fill, and each unit scanned says the slot it goes to."""

from __future__ import annotations

from sqlalchemy import Engine
from textual.widgets import Static

from pickpack.config import Config
from pickpack.core.context import Floor
from pickpack.core.events import Actor
from pickpack.core.waves.build import build_waves
from tests.stations.conftest import MUG, SIZE, TEE, make_app, scan, settle, status


async def test_f5_takes_the_next_wave_and_each_unit_says_its_slot(config: Config,
                                                                   engine: Engine) -> None:
    (wave,) = build_waves(Floor(engine, config), Actor("D1", "clerk"))
    app = make_app(config, engine, "pick")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await scan(pilot, "OP1001")
        await pilot.press("f5")
        await settle(pilot)
        panel = app.screen.query_one("#wave", Static)
        walk = str(panel.render())
        assert panel.has_class("-has") and wave.code in walk
        assert "A-01-02" in walk and "TEE-BK-XL" in walk and "0/3  → 1 2 3" in walk
        assert "C-02-01" in walk and "0/6  → 1×2 2×2 3×2" in walk
        assert "A-01-02" in str(app.screen.query_one("#prompt", Static).render())
        await scan(pilot, TEE)
        assert "TEE-BK-XL → into slot 1" in status(pilot)
        await scan(pilot, MUG)
        assert "MUG-WH → into slot 1" in status(pilot)
        assert "1/3  → 2 3" in str(panel.render())
