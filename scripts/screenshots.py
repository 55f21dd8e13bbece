"""`make screenshots`: the floor board as a wall screen shows it, into docs/board.png, and the
desk at 80×24 in Chinese, into docs/desk.svg (the audit queue), docs/desk.chart.svg (F10,
today's throughput) and docs/desk.register.svg (F11, the after-sales register).

    .venv/bin/python scripts/screenshots.py [--out docs]

A demo floor (pickpack.demo: the sample catalog, orders and waybills, taken part of the way
through the floor) in a temporary folder, its operators logged in at their stations, the board
served on a free port of 127.0.0.1 and photographed by Debian's headless Chromium through
Debian's chromedriver (Selenium); the desk app run headless by Textual's own test driver and
exported by Textual (SVG). Not a test: the tests are in tests/board and tests/stations.
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import shutil
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
STATIONS = {"picker": ("P1", "pick"), "verifier": ("V1", "verify"), "packer": ("K1", "pack")}
CLERK = ("OP5001", "孙文员")
"""The desk's clerk, added to the demo's operators for the desk's pictures."""
DESK_SIZE = (80, 24)


def shoot(browser: str, driver: str, url: str, target: Path) -> None:
    """Open ``url`` in headless Chromium, wait for the live board, save the window as PNG.
    (``chromium --headless --screenshot`` waits for the page to finish loading, which a page
    holding its live channel open never does: Chromium is driven through its driver instead.)"""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.support.ui import WebDriverWait

    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                "--window-size=1600,1000"):
        options.add_argument(arg)
    chrome = webdriver.Chrome(options=options, service=Service(executable_path=driver))
    try:
        chrome.get(url)
        WebDriverWait(chrome, 20).until(
            lambda c: c.execute_script("return document.body.dataset.version") is not None)
        chrome.save_screenshot(str(target))
    finally:
        chrome.quit()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args()
    browser, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if browser is None or driver is None:
        print("screenshots: chromium is missing; run: sudo apt-get install -y chromium "
              "chromium-driver", file=sys.stderr)
        return 1

    from pickpack.board.server import BoardServer
    from pickpack.config import parse_config
    from pickpack.core.operators import login
    from pickpack.demo import OPERATORS, build_demo

    with tempfile.TemporaryDirectory(prefix="pickpack-shots-") as tmp:
        demo = build_demo(Path(tmp) / "demo", parse_config({"station": {"language": "zh_CN"}},
                                                            "screenshots"))
        for code, _name, role in OPERATORS:
            if role in STATIONS:
                station, mode = STATIONS[role]
                login(demo.engine, station, code, mode)
        token = secrets.token_urlsafe(16)
        server = BoardServer(demo.engine, demo.cfg, token, "127.0.0.1", 0)
        server.start()
        threading.Thread(target=server.serve_forever, daemon=True).start()
        args.out.mkdir(parents=True, exist_ok=True)
        target = (args.out / "board.png").resolve()
        try:
            shoot(browser, driver, f"{server.url}?token={token}", target)
        finally:
            server.stop()
        try:
            desks = asyncio.run(shoot_desk(demo, args.out.resolve()))
        finally:
            demo.engine.dispose()
    for shot in (target, *desks):
        print(f"screenshots: {shot.relative_to(ROOT) if shot.is_relative_to(ROOT) else shot}")
    return 0


async def shoot_desk(demo: object, out: Path) -> list[Path]:
    """The desk at 80×24: the clerk logged in, the queue, then F10 and F11; one SVG each."""
    from sqlalchemy import select
    from textual.widgets import Input

    from pickpack.app import StationApp
    from pickpack.core.aftersales.cases import open_case
    from pickpack.core.context import Floor
    from pickpack.core.events import Actor
    from pickpack.core.operators import add_operator
    from pickpack.core.tables import ORDERS
    from pickpack.demo import DemoFloor

    assert isinstance(demo, DemoFloor)
    add_operator(demo.engine, CLERK[0], CLERK[1], "clerk", station="DEMO")
    with demo.engine.connect() as conn:
        order_no = conn.execute(select(ORDERS.c.order_no).order_by(ORDERS.c.id)).scalars().first()
    open_case(Floor(demo.engine, demo.cfg), Actor("D1", CLERK[0], "clerk"), "damaged",
              order_key=order_no or "", claim="外箱压坏，杯子有裂纹")
    cfg = demo.cfg.model_copy(update={"station": demo.cfg.station.model_copy(
        update={"id": "D1", "mode": "desk"})})
    app = StationApp(cfg, demo.engine, mode="desk")
    shots: list[Path] = []
    async with app.run_test(size=DESK_SIZE) as pilot:
        await _settle(pilot)
        for field in app.screen.query(Input):
            field.cursor_blink = False
        app.screen.query_one("#entry", Input).value = CLERK[0]
        await pilot.press("enter")
        for name, key in (("desk.svg", None), ("desk.chart.svg", "f10"),
                          ("desk.register.svg", "f11")):
            if key is not None:
                await pilot.press(key)
            await _settle(pilot)
            shots.append(Path(app.save_screenshot(name, str(out))))
    return shots


async def _settle(pilot: object) -> None:
    """Until the screen's store reads (flow and panel workers) have come back and drawn."""
    from textual.pilot import Pilot

    assert isinstance(pilot, Pilot)
    app = pilot.app
    for _ in range(200):
        busy = [w for w in app.workers if w.group not in ("scale", "scanner", "live")]
        if busy:
            await app.workers.wait_for_complete(busy)
        await pilot.pause()
        if not getattr(app.screen, "_busy", False) and not getattr(app.screen, "_pending", None):
            break
    await pilot.pause(0.2)


if __name__ == "__main__":
    sys.exit(main())
