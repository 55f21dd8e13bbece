"""The returns station while the store is away (issue 18, issue 20.3): one line, never a
traceback; a receipt scanned then is refused with a line saying to scan it again once the store
is back (never dropped without a word); the header shows the wait; the station resumes by itself."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import Engine, create_engine

from pickpack.config import Config
from tests.stations.conftest import make_app, scan, settle, station_config, status
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
