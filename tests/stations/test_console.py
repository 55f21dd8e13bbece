"""On the Linux text console (TERM=linux) the station draws only what the console font has."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from sqlalchemy import Engine

from pickpack.config import Config
from pickpack.i18n import set_language
from tests.stations.conftest import SOCKS, TEE, feed, make_app, settle, station_config
from tests.stations.test_snapshots import TERMINAL, scans
from tests.stations.test_stations import walk

# Drawn by terminal emulators, missing from the kernel console's fonts (they show as boxes).
NOT_ON_THE_CONSOLE = set("▁▂▃▄▅▆▇▔▊▋▌▍▎▏━┃┏┓┗┛╭╮╯╰▶✓")


def screen_glyphs(svg: str) -> set[str]:
    text = html.unescape("".join(re.findall(r">([^<]*)</text>", svg)))
    return set(text)


@pytest.mark.parametrize("codes", [("OP2001", "B001", TEE), ("OP2001", "B001", SOCKS)],
                         ids=["order open", "alert"])
async def test_the_verify_screen_uses_console_glyphs_only(
        codes: tuple[str, ...], config: Config, engine: Engine,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERM", "linux")
    walk(config, engine, "verify")
    app = make_app(config, engine, "verify")
    async with app.run_test(size=TERMINAL) as pilot:
        await settle(pilot)
        for code in codes:
            await feed(pilot, code, 0.001)
        await settle(pilot)
        assert app.has_class("-console")
        drawn = screen_glyphs(app.export_screenshot())
        assert not drawn & NOT_ON_THE_CONSOLE, sorted(drawn & NOT_ON_THE_CONSOLE)
        assert "kiosk terminal" in " ".join(str(n.message) for n in app._notifications)


async def test_a_terminal_emulator_keeps_its_glyphs(
        config: Config, engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """The check above is worth something: elsewhere the same screen draws ▶ and ✓."""
    monkeypatch.setenv("TERM", "xterm-256color")
    walk(config, engine, "verify")
    app = make_app(config, engine, "verify")
    async with app.run_test(size=TERMINAL) as pilot:
        await settle(pilot)
        for code in ("OP2001", "B001", TEE):
            await feed(pilot, code, 0.001)
        await settle(pilot)
        assert not app.has_class("-console")
        assert screen_glyphs(app.export_screenshot()) & {"▶", "✓"}


def test_verify_on_the_linux_console(snap_compare, config: Config, engine: Engine,  # noqa: ANN001
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERM", "linux")
    walk(config, engine, "verify")
    app = make_app(config, engine, "verify")
    assert snap_compare(app, terminal_size=TERMINAL, run_before=scans("OP2001", "B001", TEE))


async def test_a_chinese_station_on_the_linux_console_speaks_english(
        tmp_path: Path, engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """Field test: zh_CN on TERM=linux drew Chinese the console font cannot show."""
    monkeypatch.setenv("TERM", "linux")
    app = make_app(station_config(tmp_path, station={"id": "T1", "language": "zh_CN"}), engine,
                   "verify")
    try:
        async with app.run_test(size=TERMINAL) as pilot:
            await settle(pilot)
            drawn = screen_glyphs(app.export_screenshot())
            assert app.language == "en"
            assert not {ch for ch in drawn if "\u4e00" <= ch <= "\u9fff"}, "no Han on the console"
            assert "badge" in str(app.screen.query_one("#prompt").render()).lower()
    finally:
        set_language("en")
