"""On the Linux text console (TERM=linux) the station draws only what the console font has."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import Engine

from pickpack.config import Config
from tests.stations.conftest import SOCKS, TEE, feed, make_app, settle
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
