"""Field test: a picker takes a wave and logs out (F2); the next picker at the station sees no
trace of it, is told who holds it and how it comes back, and can take the next wave."""

from __future__ import annotations

from sqlalchemy import Engine, insert
from textual.widgets import Static

from db.engine import write_tx
from pickpack.config import Config
from pickpack.core.context import Floor
from pickpack.core.events import Actor
from pickpack.core.tables import OPERATORS
from pickpack.core.waves.build import build_waves
from tests.stations.conftest import make_app, scan, settle, status


def _prompt(app: object) -> str:
    return str(app.screen.query_one("#prompt", Static).render())  # type: ignore[attr-defined]


async def test_log_out_clears_the_wave_and_the_next_picker_is_told_who_holds_it(
        config: Config, engine: Engine) -> None:
    with write_tx(engine) as conn:
        conn.execute(insert(OPERATORS).values(code="OP1002", name="孙拣货", role="picker",
                                              roles="picker", active=True))
    (wave,) = build_waves(Floor(engine, config), Actor("D1", "clerk"))
    app = make_app(config, engine, "pick")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await scan(pilot, "OP1001")
        await scan(pilot, wave.code)
        panel = app.screen.query_one("#wave", Static)
        assert wave.code in str(panel.render())
        await pilot.press("f2")
        await settle(pilot)
        assert wave.code not in str(panel.render()) and "Go to" not in _prompt(app)
        await scan(pilot, "OP1002")
        assert wave.code not in str(panel.render()) and "Go to" not in _prompt(app)
        await scan(pilot, wave.code)
        said = status(pilot)
        assert "李拣货" in said and "pickpack wave handback" in said, said
        await pilot.press("enter")
        await settle(pilot)
        await scan(pilot, "CMD:NEXT")
        assert "No wave is waiting" in status(pilot), status(pilot)
