"""Ctrl+L switches a station between 中文 and English at once, keeping what is on it."""

from __future__ import annotations

from sqlalchemy import Engine
from textual.widgets import DataTable, Footer, Static

from pickpack.config import Config
from pickpack.i18n import set_language
from tests.stations.conftest import SOCKS, TEE, feed, make_app, settle
from tests.stations.test_stations import walk


def footer_text(app) -> str:  # noqa: ANN001
    footer = app.screen.query_one(Footer)
    return " ".join(str(key.render()) for key in footer.query("FooterKey"))


def columns(app) -> list[str]:  # noqa: ANN001
    table = app.screen.query_one(DataTable)
    return [str(c.label) for c in table.columns.values()]


async def test_ctrl_l_switches_the_language_and_keeps_the_order(
        config: Config, engine: Engine) -> None:
    walk(config, engine, "verify")
    app = make_app(config, engine, "verify")
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            for code in ("OP2001", "B001", TEE):
                await feed(pilot, code, 0.001)
            await settle(pilot)
            assert "Qty" in columns(app) and "Log out" in footer_text(app)
            await pilot.press("ctrl+l")
            await settle(pilot)
            assert app.language == "zh_CN"
            assert "数量" in columns(app), columns(app)
            assert "退出登录" in footer_text(app) and "Log out" not in footer_text(app)
            assert "语言：中文" in str(app.screen.query_one("#status", Static).render())
            flow = app.screen.flow  # type: ignore[attr-defined]
            assert flow.operator is not None and flow.order is not None  # nothing lost
            table = app.screen.query_one(DataTable)
            assert table.row_count == len(flow.order.lines)  # the order's lines shown again
            await feed(pilot, SOCKS, 0.001)  # a wrong item: the alert in Chinese
            await settle(pilot)
            assert app.screen.alerting  # type: ignore[attr-defined]
            await pilot.press("ctrl+l")  # back to English while the alert waits
            await settle(pilot)
            assert app.language == "en" and "Qty" in columns(app)
            assert app.screen.alerting and flow.awaiting_ack  # type: ignore[attr-defined]
            assert "Log out" in footer_text(app)
    finally:
        set_language("en")
