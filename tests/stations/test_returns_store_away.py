"""The returns station while the store is away (issue 18, issue 20.3): one line, never a
traceback; a receipt scanned then is refused with a line saying to scan it again once the store
is back (never dropped without a word); the header shows the wait; the station resumes by itself."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url

from db.engine import make_engine
from pickpack.config import Config
from pickpack.core.events import Actor
from pickpack.core.release import release
from tests.core.floorkit import seed
from tests.pg.conftest import PgStore, pg, pg_url  # noqa: F401  (the PostgreSQL fixtures)
from tests.pg.proxy import Proxy
from tests.stations.conftest import MUG, make_app, scan, settle, station_config, status
from tests.stations.test_returns import RETURN_TRACKING, shipped_with_return


def single_line(text: str) -> None:
    assert "\n" not in text and "SQL" not in text and "Traceback" not in text, text


def move(engine: Engine, suffix_from: str, suffix_to: str) -> None:
    """The store's file (and its WAL) moved away or back; the pool's connections dropped, as a
    station's are when the file under them goes."""
    engine.dispose()
    db = Path(str(engine.url.database))
    for part in ("", "-wal", "-shm"):
        src = Path(f"{db}{part}{suffix_from}")
        if src.exists():
            src.replace(f"{db}{part}{suffix_to}")


async def test_a_store_file_gone_mid_shift_refuses_in_one_line_and_resumes(
        config: Config, engine: Engine) -> None:
    shipped_with_return(config, engine)
    app = make_app(config, engine, "returns")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await scan(pilot, "OP9001")
        move(engine, "", ".away")
        await scan(pilot, RETURN_TRACKING)
        line = status(pilot)
        single_line(line)
        assert "Store away" in line and "scan it again once the store is back" in line, line
        text, bad = app.states["store"]  # type: ignore[attr-defined]
        assert bad and "store away" in text, text
        move(engine, ".away", "")
        for _ in range(60):
            await settle(pilot)
            if not app.states["store"][1]:  # type: ignore[attr-defined]
                break
            await asyncio.sleep(0.2)
        assert not app.states["store"][1], app.states["store"]  # type: ignore[attr-defined]
        await pilot.press("enter")  # the alert acknowledged
        await settle(pilot)
        await scan(pilot, RETURN_TRACKING)
        assert "不想要了" in status(pilot)  # the return opens: the station goes on


async def test_a_store_away_at_start_refuses_every_scan_in_one_line(tmp_path: Path) -> None:
    url = "postgresql+psycopg://postgres@127.0.0.1:1/test"  # nothing listens on port 1
    config = station_config(tmp_path, store={"url": url, "journal": str(tmp_path / "j.db")},
                            station={"id": "T1", "language": "zh_CN"})
    engine = create_engine(url, connect_args={"connect_timeout": 1})
    app = make_app(config, engine, "returns", store_away="connection refused")
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            for code in ("OP9001", RETURN_TRACKING):
                await scan(pilot, code)
                line = status(pilot)
                single_line(line)
                assert "退货不能离线签收" in line and "恢复后请重新扫描" in line, line
                await pilot.press("enter")
                await settle(pilot)
            assert app.states["store"][1]  # type: ignore[attr-defined]
    finally:
        engine.dispose()
        from pickpack.i18n import set_language
        set_language("en")


async def wait_for_store(pilot, app, *, bad: bool) -> None:  # noqa: ANN001
    for _ in range(60):
        await settle(pilot)
        if app.states["store"][1] == bad:
            return
        await asyncio.sleep(0.2)
    raise AssertionError(app.states["store"])


async def test_postgresql_going_away_mid_receipt_says_so_and_the_receipt_is_made_again(
        pg: PgStore, tmp_path: Path) -> None:  # noqa: F811
    u = make_url(pg.url)
    proxy = Proxy(u.host or "127.0.0.1", u.port or 5432)  # cut at the OS boundary
    proxy.start()
    url = u.set(port=proxy.port).render_as_string(hide_password=False)
    engine = make_engine(url, connect_timeout_s=2)
    config = station_config(tmp_path, store={"url": url, "journal": str(tmp_path / "j.db")})
    seed(pg.engine, orders=3)
    release(pg.engine, config, Actor("D1", "clerk"))
    shipped_with_return(config, pg.engine)
    app = make_app(config, engine, "returns")
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await scan(pilot, "OP9001")
            await scan(pilot, RETURN_TRACKING)
            proxy.stop()
            for _ in range(2):  # the scan that meets the loss, and one after it
                await scan(pilot, MUG)
                line = status(pilot)
                single_line(line)
                assert "scan it again once the store is back" in line, line
                await pilot.press("enter")
                await settle(pilot)
            await wait_for_store(pilot, app, bad=True)
            proxy.start()
            await wait_for_store(pilot, app, bad=False)
            await scan(pilot, MUG)  # made again: received now
            assert "MUG-WH" in status(pilot) and not app.screen.query_one("#status").has_class(
                "-alert"), status(pilot)
    finally:
        proxy.stop()
        engine.dispose()
