"""A PostgreSQL station whose store is down at boot starts cold from its journal (issue 14, 11):
it opens offline (the header says so), serves the orders of its step from the copy an earlier
run left, and the probe's return syncs what it did. The store goes away at the OS boundary
(tests/pg/proxy.py): connections refused, as a server that is down."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from db.engine import make_engine
from pickpack.app import StationApp
from pickpack.config import Config
from pickpack.store import StoreAway, open_station_store, open_store
from tests.core.floorkit import seed
from tests.pg.conftest import PgStore
from tests.pg.kit import TEE, picked_order, scanned, state
from tests.pg.proxy import Proxy
from tests.stations.conftest import SIZE, station_config, status
from tests.stations.test_live import scans, until

FIRST, SECOND = "3900000000000000777", "3900000000000000778"


@pytest.fixture
def proxied(pg: PgStore, tmp_path: Path) -> Iterator[tuple[Proxy, Config]]:
    u = make_url(pg.url)
    proxy = Proxy(u.host or "127.0.0.1", u.port or 5432)
    proxy.start()
    url = u.set(port=proxy.port).render_as_string(hide_password=False)
    cfg = station_config(tmp_path, store={"url": url, "journal": str(tmp_path / "journal.db"),
                                          "connect_timeout_s": 2}, station={"id": "T1"})
    yield proxy, cfg
    proxy.stop()


async def fill_journal(cfg: Config) -> None:
    """An earlier run of the station, online: its journal takes a copy of its step's orders."""
    engine = open_store(cfg)
    app = StationApp(cfg, engine, mode="verify")
    async with app.run_test(size=SIZE):
        assert app.floor.wait_filled(20)  # type: ignore[attr-defined]
    engine.dispose()


async def test_a_station_starts_cold_from_its_journal_and_syncs_when_the_store_is_back(
        pg: PgStore, proxied: tuple[Proxy, Config]) -> None:
    proxy, cfg = proxied
    seed(pg.engine, orders=0)
    picked_order(pg.engine, FIRST, qty=1)
    second = picked_order(pg.engine, SECOND, qty=2)
    await fill_journal(cfg)

    proxy.stop()  # the server is down when the station boots
    with pytest.raises(StoreAway):
        open_store(cfg)  # what `pickpack run` did before: it ended there
    engine, away = open_station_store(cfg)
    assert "unreachable" in away
    app = StationApp(cfg, engine, mode="verify", store_away=away)
    async with app.run_test(size=SIZE) as pilot:
        text, bad = app.states["store"]
        assert bad and "offline" in text
        await scans(pilot, "OP2001", SECOND, TEE, TEE)  # an order it never had in hand
        assert "Verified" in status(pilot)
        assert scanned(pg.engine, second) == 0  # on the journal only, so far

        proxy.start()
        assert app.switch is not None
        report = app.switch.try_return()  # what the probe does every few seconds
        assert report is not None and report.conflicts == [] and report.replayed >= 3
        await until(pilot, lambda: "back" in app.states["store"][0]
                    and not app.states["store"][1])
    engine.dispose()
    assert scanned(pg.engine, second) == 2 and state(pg.engine, second) == "verified"


def test_with_no_journal_a_station_cannot_start_and_says_so_in_one_line(
        proxied: tuple[Proxy, Config]) -> None:
    proxy, cfg = proxied
    proxy.stop()
    with pytest.raises(StoreAway) as refused:
        open_station_store(cfg)
    assert "unreachable" in str(refused.value)
    assert not Path(cfg.store.journal).exists()  # not created by the attempt


def test_a_store_that_answers_opens_online(pg: PgStore, proxied: tuple[Proxy, Config]) -> None:
    _proxy, cfg = proxied
    engine, away = open_station_store(cfg)
    assert away == "" and isinstance(engine, Engine)
    engine.dispose()
    make_engine(cfg.store.url).dispose()
