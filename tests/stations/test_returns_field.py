"""Field test of the returns station (issue 18): a code of no courier's shape opens nothing, an
order never handed over is no return, an open return with nothing received can be abandoned, and
the Chinese screen speaks Chinese."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, func, select

from pickpack.config import Config
from pickpack.core.aftersales.tables import CASES, RETURNS
from pickpack.core.events import Actor
from pickpack.core.release import release
from pickpack.core.tables import EVENTS, ORDERS
from pickpack.i18n import set_language
from pickpack.store import open_store
from tests.core.floorkit import seed
from tests.stations.conftest import (
    MUG,
    ORDER,
    TEE,
    feed,
    make_app,
    settle,
    station_config,
    status,
)
from tests.stations.test_returns import RETURN_TRACKING, on_hand, shipped_with_return


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


def return_states(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return [str(s) for s in conn.execute(select(RETURNS.c.state).order_by(RETURNS.c.id))
                .scalars()]


def case_states(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return [str(s) for s in conn.execute(select(CASES.c.state).order_by(CASES.c.id))
                .scalars()]


def abandoned(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(EVENTS)
                                .where(EVENTS.c.kind == "return_abandoned")).scalar_one())


async def test_escape_abandons_a_return_with_nothing_received(config: Config,
                                                              engine: Engine) -> None:
    app = make_app(config, engine, "returns")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await scan(pilot, "OP9001")
        await scan(pilot, "SF1399999999999")  # no registration: a return and a case
        assert "NO REGISTRATION" in status(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert "Return R1 cancelled, its case closed" in status(pilot)
        assert app.screen.flow.parcel is None
        await scan(pilot, "SF1399999999998")  # the next parcel is taken
        assert "return R2" in status(pilot)
    assert return_states(engine) == ["abandoned", "receiving"]
    assert case_states(engine) == ["closed", "open"]
    assert abandoned(engine) == 1


async def test_a_registered_return_cancelled_is_expected_again(config: Config,
                                                               engine: Engine) -> None:
    shipped_with_return(config, engine)
    app = make_app(config, engine, "returns")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await scan(pilot, "OP9001")
        await scan(pilot, RETURN_TRACKING)
        await scan(pilot, "CMD:CANCEL")
        assert "its parcel is still expected" in status(pilot)
        await scan(pilot, RETURN_TRACKING)
        assert "不想要了" in status(pilot)
    assert return_states(engine) == ["receiving"]
    assert abandoned(engine) == 1


async def test_a_return_with_an_item_received_is_not_cancelled(config: Config,
                                                               engine: Engine) -> None:
    shipped_with_return(config, engine)
    app = make_app(config, engine, "returns")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await scan(pilot, "OP9001")
        await scan(pilot, RETURN_TRACKING)
        await scan(pilot, MUG)
        await pilot.press("escape")
        await settle(pilot)
        assert "finish it with F7" in status(pilot)
        assert app.screen.flow.parcel is not None
    assert return_states(engine) == ["receiving"]
    assert abandoned(engine) == 0


async def test_the_chinese_returns_screen_speaks_chinese(tmp_path: Path) -> None:
    config = station_config(tmp_path, station={"id": "T1", "language": "zh_CN"})
    engine = open_store(config, create=True)
    seed(engine, orders=3)
    release(engine, config, Actor("D1", "clerk"))
    shipped_with_return(config, engine, declared=1)
    app = make_app(config, engine, "returns")
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await scan(pilot, "OP2001")  # a verifier: not served here
            refused = status(pilot)
            assert "不能登录退货工位" in refused and "校验" in refused
            assert not any(w in refused for w in ("verifier", "returns", "clerk"))
            await pilot.press("enter")
            await settle(pilot)
            await scan(pilot, "OP9001")
            await scan(pilot, RETURN_TRACKING)
            await scan(pilot, MUG)
            await scan(pilot, TEE)  # not declared
            await pilot.press("enter")
            await settle(pilot)
            await pilot.press("f7")
            await settle(pilot)
            differs = status(pilot)
            assert "TEE-BK-XL：申报 0，实收 1" in differs and "declared" not in differs
    finally:
        engine.dispose()
        set_language("en")
