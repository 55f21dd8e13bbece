"""The verify station driven through the app with a keyboard-wedge scanner."""

from __future__ import annotations

from sqlalchemy import Engine
from textual.widgets import DataTable, Input

from pickpack.config import Config
from pickpack.core.context import Floor
from pickpack.core.flows.modes import PickFlow
from pickpack.scan import Scan
from tests.stations.conftest import MUG, ORDER, SIZE, TEE, make_app, scan, settle, status


def picked(config: Config, engine: Engine, order_no: str = ORDER, basket: str = "B001") -> None:
    flow = PickFlow(Floor(engine, config), "P1")
    for code in ("OP1001", basket, order_no, "CMD:DONE"):
        assert flow.handle(Scan(code)).ok


async def test_verify_happy_path(config: Config, engine: Engine) -> None:
    picked(config, engine)
    app = make_app(config, engine, "verify")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "badge" in str(app.screen.query_one("#prompt").render()).lower()
        await scan(pilot, "OP2001")
        assert "王校验" in status(pilot)
        await scan(pilot, "B001")
        table = app.screen.query_one(DataTable)
        assert table.row_count == 2
        assert "送个小礼物" in str(app.screen.query_one("#remarks").render())
        await scan(pilot, TEE)
        assert "TEE-BK-XL 1/1" in status(pilot)
        assert app.screen.query_one("#status").has_class("-ok")
        await scan(pilot, "CMD:QTY:2")
        await scan(pilot, MUG)
        assert "Verified" in status(pilot)
        title = str(app.screen.query_one("#order-title").render())
        assert title.endswith("[verified]"), title  # field test: it still said [picked]
        assert app.screen.query_one("#entry", Input).value == ""
