"""The weigh screen weighs a batch of same-goods parcels together (issue 17.6): F4 starts and
ends the batch, the expected line shows the batch's total band, the stable total weighs all."""

from __future__ import annotations

from sqlalchemy import Engine
from textual.widgets import Static

from pickpack.config import Config
from tests.stations.conftest import SIZE, make_app, scan, settle, status
from tests.stations.test_weigh_screen import packed, reading, weight_of

A, B = "3900000000000000000", "3900000000000000001"


async def test_f4_batch_weighs_two_parcels_together(config: Config, engine: Engine) -> None:
    packed(config, engine, A, B)
    app = make_app(config, engine, "weigh")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await scan(pilot, "OP3001")
        await reading(pilot, 0)
        await pilot.press("f4")
        await settle(pilot)
        await scan(pilot, A)
        await scan(pilot, B)
        expected = str(app.screen.query_one("#expected", Static).render())
        assert "Batch of 2: 1813–2003 g in all" in expected, expected
        await pilot.press("f4")  # all scanned
        await settle(pilot)
        prompt = str(app.screen.query_one("#prompt", Static).render())
        assert "Put the 2 parcels on the scale" in prompt, prompt
        await reading(pilot, 1500, stable=False)
        await reading(pilot, 1910)
        assert weight_of(engine, A) == ("weighed", 955) and weight_of(engine, B) == ("weighed", 955)
        assert "955 g each" in status(pilot)
