"""At pick, a basket still holding a picked order is refused when scanned, and a cancelled
order's basket is put away with F4 (CMD:PUTAWAY) and then takes the next order."""

from __future__ import annotations

from sqlalchemy import Engine, select
from textual.widgets import Static

from pickpack.config import Config
from pickpack.core.tables import BASKETS, ORDERS
from tests.stations.conftest import ORDER, SIZE, make_app, scan, settle, status
from tests.stations.test_verify import picked


async def test_f4_puts_a_cancelled_orders_basket_away(config: Config, engine: Engine) -> None:
    picked(config, engine)  # B001 holds ORDER, picked
    app = make_app(config, engine, "pick")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await scan(pilot, "OP1001")
        await scan(pilot, "B001")
        assert app.screen.query_one("#status").has_class("-alert")
        assert "not empty" in status(pilot)
        await pilot.press("enter")
        await settle(pilot)
        with engine.begin() as conn:
            conn.execute(ORDERS.update().where(ORDERS.c.order_no == ORDER)
                         .values(state="cancelled"))
        await pilot.press("f4")
        await settle(pilot)
        assert "basket to put away" in str(app.screen.query_one("#prompt", Static).render())
        await scan(pilot, "B001")
        assert "put away" in status(pilot) and app.screen.query_one("#status").has_class("-ok")
        with engine.connect() as conn:
            assert conn.execute(select(BASKETS.c.order_id)
                                .where(BASKETS.c.code == "B001")).scalar() is None
