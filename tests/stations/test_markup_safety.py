"""Data on screen is never read as Textual markup: a scanned ``[/]`` or an imported receiver
named ``[/]`` is shown as it is, on every station, instead of ending the app (MarkupError)."""

from __future__ import annotations

import asyncio

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.text import Text
from sqlalchemy import Engine
from textual.widgets import DataTable, Static

from pickpack.app.header import StationHeader
from pickpack.config import Config
from pickpack.core.flows import Outcome
from pickpack.core.orders import LineView, OrderView
from pickpack.core.tables import ORDERS
from pickpack.text import visible_lines
from tests.stations.conftest import ORDER, make_app, settle, status, typed

SIZE = (80, 24)
MODES = ("pick", "verify", "pack", "weigh", "ship")
HOSTILE = ["[/]", "[/bold]x", "[@click=app.quit]q[/]", "[red on"]
LOGIN = {"pick": "OP1001", "verify": "OP2001", "pack": "OP3001", "weigh": "OP3001",
         "ship": "OP3001"}


def _shown(text: str) -> str:
    """What of ``text`` must appear on screen: its first line with control characters made
    visible (ESC as ␛), without the tabs and spaces at its ends."""
    return visible_lines(text).split("\n")[0].replace("\t", " ").strip()


def _view(text: str) -> OrderView:
    line = LineView(1, text or "SKU", text, text, 1, 0, text, 100.0, 1.0)
    return OrderView(1, text or "1", "picked", text, text, text, "", text, text, text, "", text,
                     None, None, None, [line])


def _screen_text(app: object) -> str:
    screen = app.screen  # type: ignore[attr-defined]
    parts = [str(w.render()) for w in screen.query(Static)]
    for table in screen.query(DataTable):
        parts += [Text.from_markup(c).plain if isinstance(c, str) else str(c)
                  for row in range(table.row_count) for c in table.get_row_at(row)]
    return "\n".join(parts)


def test_markup_scanned_at_every_station(config: Config, engine: Engine) -> None:
    async def run() -> None:
        for mode in MODES:
            app = make_app(config, engine, mode)
            async with app.run_test(size=SIZE) as pilot:
                await settle(pilot)
                await typed(pilot, LOGIN[mode])
                for code in HOSTILE:
                    await typed(pilot, code)
                    assert app.is_running, (mode, code)
                    shown = status(pilot)
                    assert shown.startswith("!! "), (mode, code, shown)  # refused, rendered
                    if mode == "pick":  # pick names the code it did not expect
                        assert code in shown, (code, shown)
                    await typed(pilot, "CMD:OK")

    asyncio.run(run())


def test_imported_receiver_with_markup_opens_at_pick(config: Config, engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(ORDERS.update().where(ORDERS.c.order_no == ORDER)
                     .values(receiver_name="[/]", buyer_remark="[/bold]x"))

    async def run() -> None:
        app = make_app(config, engine, "pick")
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            for code in ("OP1001", "B001", ORDER):
                await typed(pilot, code)
            assert app.is_running
            title = str(app.screen.query_one("#order-title", Static).render())
            assert ORDER in title and "[/]" in title
            assert "[/bold]x" in str(app.screen.query_one("#remarks", Static).render())

    asyncio.run(run())


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=40))
def test_any_string_renders_on_every_screen_and_widget(config: Config, engine: Engine,
                                                       text: str) -> None:
    """An arbitrary string as every piece of data (order, lines, outcome, header) on each
    station's screen: no exception, and the text is on screen."""
    view = _view(text)

    async def run() -> None:
        app = make_app(config, engine, None)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            for mode in MODES:
                app.open_station(mode)
                await settle(pilot)
                screen = app.screen
                header = screen.query_one(StationHeader)
                for part in ("station", "operator", "store", "scale", "printer"):
                    header.set_part(part, text)
                screen.show_outcome(Outcome(True, text, text, order=view))  # type: ignore[attr-defined]
                await pilot.pause()
                assert app.is_running, mode
                shown = _screen_text(app).replace("\t", " ")
                assert _shown(text) in shown, (mode, text)
                screen.show_outcome(Outcome(False, text, text, alert=True, order=view))  # type: ignore[attr-defined]
                await pilot.pause()
                assert app.is_running, mode
                assert _shown(text) in status(pilot).replace("\t", " "), (mode, text)
                header_text = " ".join(str(w.render()) for w in header.children)
                assert _shown(text) in header_text.replace("\t", " "), (mode, text)

    asyncio.run(run())
