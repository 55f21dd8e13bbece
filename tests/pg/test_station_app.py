"""The station app on PostgreSQL: live changes by NOTIFY, offline on the journal and back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from db.engine import make_engine
from pickpack.app import StationApp
from pickpack.config import Config
from tests.core.floorkit import seed
from tests.pg.conftest import PgStore
from tests.pg.kit import TEE, kinds, picked_order, scanned, state
from tests.pg.proxy import Proxy
from tests.printing.test_queue import Printer
from tests.stations.conftest import SIZE, scan, station_config, status
from tests.stations.test_alerts import alerting
from tests.stations.test_live import cancel_centrally, scans, until

ORDER_NO = "3900000000000000777"


def app_config(tmp_path: Path, url: str) -> Config:
    return station_config(tmp_path, store={"url": url, "journal": str(tmp_path / "journal.db")},
                          station={"id": "T1"})


@pytest.fixture
def proxied(pg: PgStore) -> Iterator[tuple[Proxy, Engine, str]]:
    u = make_url(pg.url)
    proxy = Proxy(u.host or "127.0.0.1", u.port or 5432)
    proxy.start()
    url = u.set(port=proxy.port).render_as_string(hide_password=False)
    engine = make_engine(url, connect_timeout_s=2)
    yield proxy, engine, url
    proxy.stop()
    engine.dispose()


def store_part(app: StationApp) -> tuple[str, bool]:
    return app.states["store"]


async def test_cancel_at_the_desk_reaches_the_station_by_notify(pg: PgStore, tmp_path: Path) -> None:
    seed(pg.engine, orders=0)
    oid = picked_order(pg.engine, ORDER_NO, qty=2)
    app = StationApp(app_config(tmp_path, pg.url), pg.engine, mode="verify")
    async with app.run_test(size=SIZE) as pilot:
        await scans(pilot, "OP2001", ORDER_NO, TEE)
        assert "1/2" in status(pilot)
        cancel_centrally(pg.engine, ORDER_NO)
        await until(pilot, lambda: alerting(pilot) and "INTERCEPTED" in status(pilot))
    assert state(pg.engine, oid) == "cancelled" and scanned(pg.engine, oid) == 1


async def test_store_away_mid_order_then_back_synced(
        pg: PgStore, proxied: tuple[Proxy, Engine, str], tmp_path: Path) -> None:
    proxy, engine, url = proxied
    seed(pg.engine, orders=0)
    oid = picked_order(pg.engine, ORDER_NO, qty=3)
    app = StationApp(app_config(tmp_path, url), engine, mode="verify")
    async with app.run_test(size=SIZE) as pilot:
        await scans(pilot, "OP2001", ORDER_NO, TEE)
        assert "1/3" in status(pilot) and scanned(pg.engine, oid) == 1

        proxy.stop()  # the central store goes away mid-order
        await scan(pilot, TEE)
        if alerting(pilot):  # the scan met the loss: refused, never half-counted, "scan again"
            assert "offline" in status(pilot).lower()
            await scan(pilot, "CMD:OK")
            await scan(pilot, TEE)
        # (or the live feed met the loss first, and that scan already went to the journal)
        assert "2/3" in status(pilot)
        await until(pilot, lambda: store_part(app)[1] and "offline" in store_part(app)[0])
        await scan(pilot, TEE)  # the order in hand goes on from the journal
        assert "Verified" in status(pilot)
        assert scanned(pg.engine, oid) == 1  # nothing reached the store yet

        proxy.start()
        assert app.switch is not None
        report = app.switch.try_return()  # what the probe does every few seconds
        assert report is not None and report.conflicts == []
        await until(pilot, lambda: "back" in store_part(app)[0] and not store_part(app)[1])
    assert scanned(pg.engine, oid) == 3 and state(pg.engine, oid) == "verified"


async def test_print_on_verify_prints_online_and_from_the_journal_offline(
        pg: PgStore, proxied: tuple[Proxy, Engine, str], tmp_path: Path) -> None:
    """Online the verified order's slips print through the central queue; with the store away
    they are queued and printed from the journal (the header says so). The packing printer is
    off meanwhile: its slip waits in the journal, and when the store is back the sync moves it to
    the central queue and the station prints it without a key press."""
    proxy, engine, url = proxied
    seed(pg.engine, orders=0)
    first = picked_order(pg.engine, ORDER_NO, qty=1)
    second = picked_order(pg.engine, "3900000000000000778", qty=1)
    slips, packing = tmp_path / "slips", Printer()
    packing.on()
    cfg = station_config(
        tmp_path, store={"url": url, "journal": str(tmp_path / "journal.db")},
        station={"id": "T1", "print_on_verify": True},
        printers={"express": f"preview://{slips}", "packing": packing.url},
    )
    app = StationApp(cfg, engine, mode="verify")

    def printer() -> tuple[str, bool]:
        return app.states.get("printer", ("", False))

    async with app.run_test(size=SIZE) as pilot:
        await scans(pilot, "OP2001", ORDER_NO, TEE)
        assert "Verified" in status(pilot)
        await until(pilot, lambda: len(list(slips.glob("*.txt"))) == 1, seconds=20)
        assert len(packing.wait_jobs(1)) == 1 and state(pg.engine, first) == "verified"

        packing.off()
        await scans(pilot, "3900000000000000778")
        proxy.stop()
        await scan(pilot, TEE)
        if alerting(pilot):  # the scan met the loss: "scan again", now on the journal
            await scan(pilot, "CMD:OK")
            await scan(pilot, TEE)
        assert "Verified" in status(pilot)
        await until(pilot, lambda: len(list(slips.glob("*.txt"))) == 2, seconds=20)
        await until(pilot, lambda: "journal" in printer()[0] and "1 waiting" in printer()[0],
                    seconds=20)
        assert state(pg.engine, second) == "picked"  # its scan waits in the journal

        packing.on()
        proxy.start()
        assert app.switch is not None
        report = app.switch.try_return()
        assert report is not None and report.conflicts == [] and report.slips_moved == 1
        await until(pilot, lambda: len(packing.jobs) == 2, seconds=20)
        await until(pilot, lambda: "waiting" not in printer()[0], seconds=20)
    packing.off()
    assert state(pg.engine, second) == "verified"
    assert "slip_printed" in kinds(pg.engine, second)  # the trail of the offline print, synced
