"""The demo's chooser sheet shows the floor as it is now, not as it was at start."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from pickpack.app import StationApp
from pickpack.demo import build_demo
from pickpack.scan import Scan
from tests.stations.conftest import settle


def _sheet(app: StationApp) -> str:
    return str(app.screen.query_one("#demo-sheet", Static).render())


async def test_the_sheet_is_read_again_when_the_chooser_comes_back(tmp_path: Path) -> None:
    demo = build_demo(tmp_path / "demo")
    ready_before = demo.states.get("ready", 0)
    app = StationApp(demo.cfg, demo.engine, demo_sheet=demo.sheet)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert f"ready {ready_before}" in _sheet(app)
        first_ready = demo.examples["pick"][1]
        app.open_station("pick")
        await settle(pilot)
        for code in ("OP1001", "B777", first_ready):
            app.deliver(Scan(code, source="test"))
            await settle(pilot)
        app.pop_screen()
        await settle(pilot)
        sheet = _sheet(app)
        assert f"ready {ready_before - 1}" in sheet, sheet
        pick_line = next(line for line in sheet.splitlines() if line.startswith("pick"))
        assert first_ready not in pick_line, sheet  # the order being picked is not offered again


def test_the_demo_speaks_chinese_unless_the_locale_asks_for_english(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from pickpack.demo import demo_language

    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    assert demo_language() == "zh_CN"
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert demo_language() == "zh_CN"
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert demo_language() == "en"
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    assert demo_language() == "zh_CN"
