"""The Chinese desk speaks Chinese (field test): hold reasons by their code's words, states,
slips and the trail's events in words, the queue's count only after a log-in, and a search by
name that finds nothing says that shipped orders are found by their number."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from textual.widgets import DataTable, Static

from pickpack.app import StationApp
from pickpack.config import Config
from pickpack.i18n import set_language
from tests.stations.conftest import make_app, scan, settle, status, typed
from tests.stations.desk_kit import CLERK, READY, desk_config, desk_floor, set_state
from tests.stations.test_desk import supervisor

SIZE = (80, 24)


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return desk_config(tmp_path, language="zh_CN")


@pytest.fixture
def engine(config: Config) -> Iterator[Engine]:
    eng = desk_floor(config)
    yield eng
    eng.dispose()
    set_language("en")


@pytest.fixture
def app(config: Config, engine: Engine) -> StationApp:
    return make_app(config, engine, "desk")


def text_of(app: StationApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def rows(app: StationApp, selector: str) -> list[list[str]]:
    table = app.screen.query_one(selector, DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_the_queue_count_waits_for_the_badge(app: StationApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert text_of(app, "#round") == "审单队列：请先登录（扫工牌）"
        await scan(pilot, CLERK)
        assert text_of(app, "#round").startswith("审单队列：4 个订单未就绪")


async def test_hold_release_and_trail_in_words(app: StationApp, engine: Engine) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await scan(pilot, CLERK)
        await typed(pilot, READY)
        await scan(pilot, "CMD:HOLD")
        await scan(pilot, "CMD:R:BUYER")
        assert "暂扣：BUYER: 买家要求暂缓发货" in text_of(app, "#order-info")
        assert [r[1] for r in rows(app, "#trail")] == ["已放行", "已暂扣"]
        await scan(pilot, "CMD:RELEASE")
        await scan(pilot, "CMD:R:BUYER")
        assert status(pilot) == f"订单 {READY} 已放行（买家已确认）：现为 已放行"


async def test_cancel_on_the_floor_in_words(app: StationApp, engine: Engine) -> None:
    set_state(engine, READY, "picking")
    async with app.run_test(size=SIZE) as pilot:
        await scan(pilot, CLERK)
        await typed(pilot, READY)
        await scan(pilot, "CMD:CANCELORDER")
        await scan(pilot, "CMD:R:BUYER")
        assert "（已在作业中：拣货中）" in status(pilot)
        await supervisor(pilot)
        assert status(pilot) == f"订单 {READY} 已取消（买家取消）  主管 OP9001  已在作业中拦截"


async def test_search_hits_and_a_name_not_found_in_words(app: StationApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await scan(pilot, CLERK)
        await typed(pilot, "胡涛杰")
        assert status(pilot) == ("没有找到 胡涛杰 的订单（按姓名或电话只查作业中的订单；"
                                 "已发货的订单请用订单号或运单号查找）")


async def test_search_hits_show_states_in_words(app: StationApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await scan(pilot, CLERK)
        await typed(pilot, "1234")  # the phone of four orders
        assert sorted({r[1] for r in rows(app, "#hits")}) == sorted({"已放行", "已暂扣", "新订单"})
