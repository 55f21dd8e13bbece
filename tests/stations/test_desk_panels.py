"""The desk's throughput chart (F10) and after-sales register (F11) at 80×24: reachable by their
keys, in Chinese, fed by the store and following the floor live, nothing cut off."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.text import Text
from sqlalchemy import Engine
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import ContentSwitcher, DataTable, Static
from textual_plotext import PlotextPlot

from pickpack.config import Config
from pickpack.core.aftersales import register as reg
from pickpack.core.aftersales.cases import open_case, solve_case
from pickpack.core.aftersales.tables import CASES
from pickpack.core.context import Floor
from pickpack.core.events import Actor, now
from pickpack.core.flows import make_flow
from pickpack.core.report.throughput import due_today
from pickpack.i18n import set_language
from pickpack.scan import Scan
from tests.core.floorkit import ship_through
from tests.stations.conftest import make_app, scan, settle
from tests.stations.desk_kit import CLERK, READY, desk_config, desk_floor
from tests.stations.test_live import until

SIZE = (80, 24)
DESK = Actor("D1", CLERK, "clerk")


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return desk_config(tmp_path, "zh_CN")


@pytest.fixture
def engine(config: Config) -> Iterator[Engine]:
    eng = desk_floor(config)
    yield eng
    eng.dispose()
    set_language("en")


def pane(pilot: Pilot[object]) -> str:
    return str(pilot.app.screen.query_one("#panes", ContentSwitcher).current)


def text_of(pilot: Pilot[object], selector: str) -> str:
    return str(pilot.app.screen.query_one(selector, Static).render())


def fits(widget: Widget, size: tuple[int, int] = SIZE) -> None:
    """The widget is on the screen whole, and its one line of text is no wider than it."""
    region = widget.region
    assert region.width > 0 and region.height > 0, widget
    assert region.right <= size[0] and region.bottom <= size[1], (widget, region)
    if isinstance(widget, Static):
        rendered = widget.render()
        line = rendered.plain if isinstance(rendered, Text) else str(rendered)
        assert cell_len(line) <= widget.content_region.width, (line, widget.content_region)


def scans_of(legend: str) -> int:
    found = re.search(r"扫描 (\d+)", legend)
    assert found, legend
    return int(found.group(1))


def plot_lines(pilot: Pilot[object]) -> list[str]:
    plot = pilot.app.screen.query_one(PlotextPlot)
    return Text.from_ansi(plot.plt.build()).plain.splitlines()


async def test_the_chart_shows_the_day_and_follows_the_floor(config: Config,
                                                             engine: Engine,
                                                             monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    monkeypatch.setenv("TERM", "xterm-256color")
    floor = Floor(engine, config)
    ship_through(floor, READY)
    with engine.connect() as conn:
        due = due_today(conn, config, now())
    app = make_app(config, engine, "desk")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await scan(pilot, CLERK)
        await pilot.press("f10")
        await settle(pilot)
        assert pane(pilot) == "chart-pane"
        title, legend = text_of(pilot, "#chart-title"), text_of(pilot, "#chart-legend")
        assert f"应发 {due} 单" in title and "08:00–16:30" in title
        assert "已验货 1" in legend and "已交接 1" in legend and "目标 " in legend
        for selector in ("#chart-title", "#chart-plot", "#chart-legend"):
            fits(app.screen.query_one(selector, Widget))
        plot = app.screen.query_one(PlotextPlot)
        assert plot.region.height >= 8
        lines = plot_lines(pilot)
        assert len(lines) == plot.region.height
        assert all(cell_len(line) <= plot.region.width for line in lines)
        assert any("08" in line and "16" in line for line in lines)  # the hours axis
        assert any(0x2800 <= ord(ch) <= 0x28FF for line in lines for ch in line)  # braille
        scans_before = scans_of(legend)

        picker = make_flow(floor, "pick", "P1")  # another station: a code nobody knows
        picker.handle(Scan("OP1001"))
        picker.handle(Scan("NO-SUCH-THING-42"))
        await until(pilot, lambda: scans_of(text_of(pilot, "#chart-legend")) == scans_before + 1)

        await pilot.press("f8")  # the queue again
        await settle(pilot)
        assert pane(pilot) == "queue-pane"
        await pilot.press("f10")
        await settle(pilot)
        await pilot.press("f10")  # the key again hides the chart
        await settle(pilot)
        assert pane(pilot) == "queue-pane"


async def test_on_the_linux_console_the_chart_draws_ascii(config: Config, engine: Engine,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    monkeypatch.setenv("TERM", "linux")
    ship_through(Floor(engine, config), READY)
    app = make_app(config, engine, "desk")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await scan(pilot, CLERK)
        await pilot.press("f10")
        await settle(pilot)
        lines = plot_lines(pilot)
        drawn = "".join(lines)
        assert not any(0x2800 <= ord(ch) <= 0x28FF for ch in drawn)  # no braille
        assert "." in drawn and "*" in drawn  # the target, and handed over drawn over verified
        assert text_of(pilot, "#chart-legend").startswith("..")


async def test_the_register_lists_the_days_cases_and_the_overdue(config: Config,
                                                                 engine: Engine) -> None:
    floor = Floor(engine, config)
    ship_through(floor, READY)  # a parcel case is for a parcel that left
    old = open_case(floor, DESK, "lost", order_key=READY, claim="没收到")
    with engine.begin() as conn:  # opened two days ago and never solved
        conn.execute(CASES.update().where(CASES.c.id == old.id).values(
            opened_at=reg.day_bounds(date.today().replace(day=1), config)[0]))
    today = open_case(floor, DESK, "damaged", order_key=READY, claim="盒子压坏了，杯子有裂纹")
    solve_case(floor, DESK, today.id, "补发")
    app = make_app(config, engine, "desk")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f11")
        await settle(pilot)
        assert pane(pilot) == "register-pane"
        assert "登录" in text_of(pilot, "#register-title")  # buyers' cases: only after a log-in
        assert app.screen.query_one("#register", DataTable).row_count == 0
        await pilot.press("f11")
        await settle(pilot)
        await scan(pilot, CLERK)
        await pilot.press("f11")
        await settle(pilot)
        assert pane(pilot) == "register-pane"
        title = text_of(pilot, "#register-title")
        assert "售后登记" in title and "2 件" in title and "逾期 1" in title
        table = app.screen.query_one("#register", DataTable)
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        assert rows[0][:6] == [f"C{old.id}", READY, "丢件", "处理中", CLERK, "是"]
        assert rows[1][:6] == [f"C{today.id}", READY, "运输破损", "已解决", CLERK, ""]
        fits(app.screen.query_one("#register-title", Widget))
        fits(table)
        assert sum(c.get_render_width(table) for c in table.columns.values()) <= SIZE[0]


async def test_a_register_the_store_cannot_read_says_so_in_one_line(config: Config,
                                                                    engine: Engine) -> None:
    """The cases' table gone from under the desk (a store not upgraded, a broken copy): the
    panel's title line says the store's error; the desk goes on (F8: the queue)."""
    app = make_app(config, engine, "desk")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await scan(pilot, CLERK)
        with engine.begin() as conn:
            conn.exec_driver_sql(f"ALTER TABLE {CASES.name} RENAME TO cases_away")
        await pilot.press("f11")
        await settle(pilot)
        title = text_of(pilot, "#register-title")
        assert title == "数据库错误：OperationalError: no such table: aftersales_case", title
        fits(app.screen.query_one("#register-title", Widget))
        await pilot.press("f8")
        await settle(pilot)
        assert pane(pilot) == "queue-pane"


async def test_a_stations_own_claim_is_in_words(config: Config, engine: Engine) -> None:
    """Field test: an unregistered return's case showed ``return parce…`` on the Chinese desk."""
    floor = Floor(engine, config)
    case = open_case(floor, DESK, "unregistered_return", order_key=READY,
                     claim="return parcel with no registration")
    rows = await register_rows(config, engine)
    assert rows == [[f"C{case.id}", READY, "无登记退货", "处理中", CLERK, "", "无登记退货包裹"]]


async def register_rows(config: Config, engine: Engine) -> list[list[str]]:
    """The desk's F11 register after the clerk's log-in, as its cells read."""
    app = make_app(config, engine, "desk")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await scan(pilot, CLERK)
        await pilot.press("f11")
        await settle(pilot)
        table = app.screen.query_one("#register", DataTable)
        return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_a_coded_claim_is_in_words_at_the_desk(config: Config, engine: Engine) -> None:
    """The follow-up stores its claim as a code with values (``@stale_tracking {"days": 9}``):
    the desk shows it in words, never the code."""
    from pickpack.core.aftersales.words import coded, in_words

    floor = Floor(engine, config)
    claim = coded("stale_tracking", days=9)
    open_case(floor, DESK, "tracking", order_key=READY, claim=claim)
    said = (await register_rows(config, engine))[0][-1]
    assert "@" not in said and "stale_tracking" not in said and said == in_words(claim)
