"""Field test: a case barcode (one case = 6 units) scanned where fewer are still wanted is
refused as a case code, with what to do, and nothing is counted (wave pick and verify)."""

from __future__ import annotations

from sqlalchemy import Engine, select
from textual.widgets import Static

from pickpack.config import Config
from pickpack.core.context import Floor
from pickpack.core.events import Actor
from pickpack.core.tables import LINES, ORDERS
from pickpack.core.waves.build import build_waves
from tests.stations.conftest import MUG, ORDER, SIZE, make_app, scan, settle, status
from tests.stations.test_verify import picked

MUG_CASE = "6961760313721"  # floorkit: a case of 6 MUG-WH


async def test_wave_pick_refuses_a_case_code_as_a_case(config: Config, engine: Engine) -> None:
    (wave,) = build_waves(Floor(engine, config), Actor("D1", "clerk"))
    app = make_app(config, engine, "pick")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await scan(pilot, "OP1001")
        await scan(pilot, wave.code)
        await scan(pilot, MUG)  # 5 of 6 still to pick: a case of 6 is too many
        panel = app.screen.query_one("#wave", Static)
        assert "1/6" in str(panel.render())
        await scan(pilot, MUG_CASE)
        said = status(pilot)
        assert app.screen.alerting and "case" in said.lower() and "6" in said, said
        assert "single units" in said and "all 6 picked" not in said, said
        assert "1/6" in str(panel.render())  # nothing counted


async def test_verify_refuses_a_case_code_as_a_case(config: Config, engine: Engine) -> None:
    picked(config, engine)
    app = make_app(config, engine, "verify")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await scan(pilot, "OP2001")
        await scan(pilot, "B001")
        await scan(pilot, MUG_CASE)  # the order needs 2 MUG-WH
        said = status(pilot)
        assert app.screen.alerting and "case" in said.lower() and "6" in said, said
        assert "single units" in said and "TOO MANY" not in said, said
    with engine.connect() as conn:
        scanned = conn.execute(select(LINES.c.scanned).join(ORDERS, ORDERS.c.id == LINES.c.order_id)
                               .where(ORDERS.c.order_no == ORDER, LINES.c.sku == "MUG-WH")).scalar()
    assert scanned == 0
