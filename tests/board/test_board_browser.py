"""The board in a real browser: Debian's headless Chromium, driven by Selenium through
Debian's chromedriver (nothing downloaded at run time). The page opens with the token, the
live numbers arrive, a parcel is handed over through the real flow and the wall shows it:
its count, and the throughput chart's lines (an inline SVG the page draws itself)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import Engine

from pickpack.config import Config
from pickpack.core.context import Floor
from pickpack.store import open_store
from tests.board.boardkit import TOKEN, floor_with_orders, serving
from tests.conftest import make_config
from tests.core.floorkit import ship_through

WAIT_S = 10


def chromium() -> tuple[str, str]:
    browser, driver = shutil.which("chromium"), shutil.which("chromedriver")
    assert browser and driver, (
        "headless Chromium is missing: `make test` installs it as root, or run "
        "sudo apt-get install -y chromium chromium-driver")
    return browser, driver


@pytest.fixture
def browser() -> Iterator[webdriver.Chrome]:
    binary, driver = chromium()
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1600,1000", "--no-first-run", "--disable-extensions"):
        options.add_argument(arg)
    chrome = webdriver.Chrome(options=options, service=Service(executable_path=driver))
    yield chrome
    chrome.quit()


def text_of(chrome: webdriver.Chrome, element_id: str) -> str:
    return str(chrome.find_element(By.ID, element_id).text)


def points_of(chrome: webdriver.Chrome, series: str) -> str:
    """The chart's line of one series, as the page drew it (the polyline's points)."""
    return str(chrome.find_element(By.ID, f"line-{series}").get_attribute("points") or "")


def version_of(chrome: webdriver.Chrome) -> int:
    return int(chrome.find_element(By.TAG_NAME, "body").get_attribute("data-version") or -1)


def test_the_wall_follows_the_floor(tmp_path: Path, browser: webdriver.Chrome) -> None:
    config = make_config(tmp_path, station={"language": "zh_CN"})
    engine = open_store(config, create=True)
    try:
        numbers = floor_with_orders(engine, config)
        with serving(engine, config) as server:
            browser.get(f"{server.url}?token={TOKEN}")
            wait = WebDriverWait(browser, WAIT_S)
            wait.until(lambda b: text_of(b, "status") == "实时")
            assert text_of(browser, "title") == "楼面看板"
            assert text_of(browser, "shipped") == "0"
            couriers = text_of(browser, "couriers")
            assert "中通快递" in couriers and "16:30" in couriers
            assert "揽收" in couriers and "未发" in couriers
            assert [c.text for c in browser.find_elements(
                By.CSS_SELECTOR, "#couriers tr:nth-child(2) td")][2:] == ["3", "3", "0"]
            stations = text_of(browser, "stations")
            assert "李拣货 OP1001" in stations and "王校验 OP2001" in stations
            assert "拣货" in stations and "验货" in stations  # modes, in the board's language
            assert "已放行" in text_of(browser, "risk")  # the orders' state, likewise
            assert "已超时 (72 小时) 3" in text_of(browser, "h-risk")
            assert text_of(browser, "h-chart") == "今日产能与目标"
            assert text_of(browser, "legend-target").startswith("目标 ")
            assert text_of(browser, "legend-handed_over") == "已交接 0"
            lines = {s: points_of(browser, s) for s in ("target", "verified", "handed_over")}
            # the target spans the shift; the actual lines start at 0 and run to the hour now
            # begun (before the shift starts, with nothing done yet: the start point alone)
            assert len(lines["target"].split()) >= 2, lines
            assert all(p.split()[0] == lines["target"].split()[0] for p in lines.values()), lines
            assert browser.find_elements(By.CSS_SELECTOR, "#chart text")  # hours and counts
            seen = version_of(browser)

            ship_through(Floor(engine, config), numbers[0])
            wait.until(lambda b: text_of(b, "shipped") == "1")
            assert [c.text for c in browser.find_elements(
                By.CSS_SELECTOR, "#couriers tr:nth-child(2) td")][2:] == ["3", "2", "1"]
            assert "已超时 (72 小时) 2" in text_of(browser, "h-risk")
            assert version_of(browser) > seen
            wait.until(lambda b: text_of(b, "legend-handed_over") == "已交接 1")
            assert text_of(browser, "legend-verified") == "已验货 1"
            assert points_of(browser, "handed_over") != lines["handed_over"]
            assert points_of(browser, "verified") != lines["verified"]
            assert "张三" not in browser.page_source and "13812341234" not in browser.page_source
    finally:
        engine.dispose()


def test_the_browser_without_the_token_gets_nothing(engine: Engine, config: Config,
                                                     browser: webdriver.Chrome) -> None:
    floor_with_orders(engine, config)
    with serving(engine, config) as server:
        browser.get(server.url)
        assert "token required" in browser.find_element(By.TAG_NAME, "body").text
        browser.get(f"{server.url}live?token=wrong")
        assert "token required" in browser.find_element(By.TAG_NAME, "body").text
