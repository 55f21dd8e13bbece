"""Field test of the returns station (issue 18): a code of no courier's shape opens nothing, an
order never handed over is no return, an open return with nothing received can be abandoned, and
the Chinese screen speaks Chinese."""

from __future__ import annotations

from sqlalchemy import Engine, func, select

from pickpack.config import Config
from pickpack.core.aftersales.tables import CASES, RETURNS
from pickpack.core.tables import EVENTS, ORDERS
from tests.stations.conftest import MUG, ORDER, feed, make_app, settle, status
from tests.stations.test_returns import on_hand


async def scan(pilot, code: str) -> None:  # noqa: ANN001
    await feed(pilot, code, 0.001)


def count(engine: Engine, table) -> int:  # noqa: ANN001
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def arrivals(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(EVENTS)
                                .where(EVENTS.c.kind == "return_arrived")).scalar_one())


async def test_a_code_of_no_courier_shape_opens_no_return(config: Config, engine: Engine) -> None:
    app = make_app(config, engine, "returns")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await scan(pilot, "OP9001")
        await scan(pilot, "ZZZ999")
        assert "Unknown code ZZZ999" in status(pilot)
        assert app.screen.flow.parcel is None
    assert (count(engine, RETURNS), count(engine, CASES), arrivals(engine)) == (0, 0, 0)


async def test_an_order_never_handed_over_is_no_return(config: Config, engine: Engine) -> None:
    with engine.connect() as conn:
        state = conn.execute(select(ORDERS.c.state).where(ORDERS.c.order_no == ORDER)).scalar_one()
    before = on_hand(engine, "MUG-WH")
    app = make_app(config, engine, "returns")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await scan(pilot, "OP9001")
        await scan(pilot, ORDER)
        assert f"Order {ORDER} was never handed over (it is {state})" in status(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await scan(pilot, MUG)
        assert "scan the return parcel first" in status(pilot)
    assert (count(engine, RETURNS), count(engine, CASES), arrivals(engine)) == (0, 0, 0)
    assert on_hand(engine, "MUG-WH") == before
