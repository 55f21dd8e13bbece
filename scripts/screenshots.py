"""`make screenshots`: the floor board as a wall screen shows it, into docs/board.png.

    .venv/bin/python scripts/screenshots.py [--out docs]

A demo floor (pickpack.demo: the sample catalog, orders and waybills, taken part of the way
through the floor) in a temporary folder, its operators logged in at their stations, the board
served on a free port of 127.0.0.1 and photographed by Debian's headless Chromium through
Debian's chromedriver (Selenium). Not a test: the tests are in tests/board.
"""

from __future__ import annotations

import argparse
import secrets
import shutil
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
STATIONS = {"picker": ("P1", "pick"), "verifier": ("V1", "verify"), "packer": ("K1", "pack")}


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
            demo.engine.dispose()
    print(f"screenshots: {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
