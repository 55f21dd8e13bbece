"""The desk as a field tester met it on the demo warehouse (zh_CN, 80×24): order
``3907234978540457883`` (seller memo ``赠品：小毛巾一条``), F6, ``P12-01`` for the gift. The gift
line shows with its quantity, one field and one question while the gift is asked, the footer
has the keys the body names (where ``[keys]`` put them), and the status line says what a key
did: leaving the chart is not "stopped", an acknowledged alert is not a bare "确认"."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from textual.widgets import DataTable, Input, Static
from textual.widgets._footer import FooterKey

from pickpack.app import StationApp
from pickpack.config import parse_config
from pickpack.demo import build_demo
from pickpack.i18n import set_language
from pickpack.store import open_store
from tests.stations.conftest import make_app, scan, settle, station_config, status

SIZE = (80, 24)
ORDER = "3907234978540457883"
SUPERVISOR = "OP9001"


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo warehouse's store, built once (each test works on its own copy)."""
    demo = build_demo(tmp_path_factory.mktemp("demo") / "pickpack-demo",
                      parse_config({"station": {"language": "zh_CN"}}))
    demo.engine.dispose()
    set_language("en")
    return Path(str(demo.engine.url.database))


def desk_app(tmp_path: Path, demo_store: Path, **keys: str) -> tuple[StationApp, Engine]:
    store = tmp_path / "pickpack.db"
    shutil.copy(demo_store, store)
    config = station_config(tmp_path, station={"id": "D1", "mode": "desk", "language": "zh_CN"},
                            store={"url": f"sqlite:///{store}"}, keys={"desk": keys})
    engine = open_store(config)
    return make_app(config, engine, "desk"), engine


@pytest.fixture
def desk(tmp_path: Path, demo_store: Path) -> Iterator[StationApp]:
    app, engine = desk_app(tmp_path, demo_store)
    yield app
    engine.dispose()
    set_language("en")


async def open_and_ask(pilot: object, app: StationApp, ack: str = "f6") -> None:
    await scan(pilot, SUPERVISOR)  # type: ignore[arg-type]
    app.screen.query_one("#entry", Input).value = ORDER
    await pilot.press("enter")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    await pilot.press(ack)  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]


async def type_keys(pilot: object, text: str) -> None:
    """A person types ``text`` into the focused field and presses Enter."""
    await pilot.press(*text, "enter")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]


def inputs_shown(app: StationApp) -> list[str]:
    return [str(i.id) for i in app.screen.query(Input)
            if i.display and i.region.height > 0]


def footer_keys(app: StationApp) -> dict[str, str]:
    return {k.key: k.description for k in app.screen.query(FooterKey)
            if k.region.width > 0 and k.region.right <= SIZE[0]}


async def test_the_gift_line_shows_with_its_quantity(desk: StationApp) -> None:
    async with desk.run_test(size=SIZE) as pilot:
        await open_and_ask(pilot, desk)
        await type_keys(pilot, "P12-01")
        assert status(pilot) == f"{ORDER} 的备注已确认：赠品 P12-01*1"
        lines = desk.screen.query_one("#lines", DataTable)
        skus = [str(lines.get_row_at(i)[0]) for i in range(lines.row_count)]
        assert skus == ["P06-01", "P08-01", "P05-01", "P12-01"]
        # every line and every column in sight: nothing scrolled off, no scroll bar over a row
        assert (lines.max_scroll_x, lines.max_scroll_y) == (0, 0), lines.region
        assert not lines.show_horizontal_scrollbar
        assert lines.region.height >= lines.row_count + 1  # the header and each line
        heads = [str(c.label) for c in lines.columns.values()]
        assert "数量" in heads


async def test_one_field_and_one_question_while_the_gift_is_asked(desk: StationApp) -> None:
    async with desk.run_test(size=SIZE) as pilot:
        await open_and_ask(pilot, desk)
        assert inputs_shown(desk) == ["entry"]
        assert desk.focused is desk.screen.query_one("#entry", Input)
        assert status(pilot) == "备注「赠品：小毛巾一条」里的赠品是哪个 SKU？"  # no 赠品 赠品
        prompt = str(desk.screen.query_one("#prompt", Static).render())
        assert "0" in prompt and "Esc" in prompt, prompt
        await type_keys(pilot, "TOWEL")  # not in the catalog: asked again after the alert
        assert "商品资料中没有这个 SKU 或条码" in status(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert inputs_shown(desk) == ["entry"]
        await type_keys(pilot, "P12-01")
        assert status(pilot) == f"{ORDER} 的备注已确认：赠品 P12-01*1"
        assert inputs_shown(desk) == ["entry"]


async def test_the_footer_has_the_keys_the_body_names(desk: StationApp) -> None:
    async with desk.run_test(size=SIZE) as pilot:
        await scan(pilot, SUPERVISOR)
        assert "F5" in str(desk.screen.query_one("#round", Static).render())
        assert footer_keys(desk).get("f5") == "审单"
        desk.screen.query_one("#entry", Input).value = ORDER
        await pilot.press("enter")
        await settle(pilot)
        assert "F6" in str(desk.screen.query_one("#remarks", Static).render())
        assert footer_keys(desk).get("f6") == "确认"


async def test_the_hints_and_the_footer_name_moved_keys(tmp_path: Path,
                                                         demo_store: Path) -> None:
    app, engine = desk_app(tmp_path, demo_store, audit="ctrl+r", **{"ack-remark": "ctrl+g"})
    try:
        async with app.run_test(size=SIZE) as pilot:
            await scan(pilot, SUPERVISOR)
            round_line = str(app.screen.query_one("#round", Static).render())
            assert "Ctrl+R" in round_line and "F5" not in round_line, round_line
            assert footer_keys(app).get("ctrl+r") == "审单"
            await open_and_ask(pilot, app, ack="ctrl+g")
            assert "小毛巾一条" in status(pilot)  # ctrl+g acknowledges: the gift is asked
            await pilot.press("escape")
            await settle(pilot)
            remarks = str(app.screen.query_one("#remarks", Static).render())
            assert "Ctrl+G" in remarks and "F6" not in remarks, remarks
    finally:
        engine.dispose()
        set_language("en")


async def test_leaving_the_chart_says_so(desk: StationApp) -> None:
    async with desk.run_test(size=SIZE) as pilot:
        await scan(pilot, SUPERVISOR)
        await pilot.press("f10")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert status(pilot) == "图表已关闭"
        await pilot.press("f11")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert status(pilot) == "售后登记已关闭"


async def test_an_acknowledged_alert_leaves_no_bare_ok(desk: StationApp) -> None:
    async with desk.run_test(size=SIZE) as pilot:
        await scan(pilot, SUPERVISOR)
        await scan(pilot, "CMD:HOLD")  # no order open
        assert status(pilot).startswith("!! ")
        await pilot.press("enter")
        await settle(pilot)
        assert status(pilot) == "警报已确认"  # what was acknowledged, not a bare 确认
        await open_and_ask(pilot, desk)
        await type_keys(pilot, "TOWEL")
        assert status(pilot).startswith("!! ")
        await pilot.press("enter")
        await settle(pilot)
        assert status(pilot) == "备注「赠品：小毛巾一条」里的赠品是哪个 SKU？"  # still open: asked again
