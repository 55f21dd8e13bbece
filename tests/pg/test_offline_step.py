"""The journal keeps a copy of every order that can reach this station's step (filled in the
background, kept current by the live feed), so an offline verify station opens any of them."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, update

from db.engine import write_tx
from pickpack.core.events import Actor, append_event
from pickpack.core.refusal import Refusal
from pickpack.core.tables import ORDERS
from pickpack.core.verify import count_item, open_for_verify
from pickpack.live import LiveFeed
from pickpack.offline import ResilientFloor, StoreSwitch, open_journal
from tests.core.floorkit import seed
from tests.pg.conftest import PgStore
from tests.pg.kit import TEE, picked_order, scanned, state
from tests.pg.proxy import Proxy
from tests.pg.test_offline import V, proxied  # noqa: F401  (the fixture)


def _floor(pg: PgStore, central: Engine, tmp_path: Path) -> ResilientFloor:
    switch = StoreSwitch(central, open_journal(tmp_path / "journal.db"))
    return ResilientFloor(switch, pg.config, fill=True)  # as a station app does


def test_an_offline_verify_station_opens_any_order_at_its_step(
    pg: PgStore, proxied: tuple[Proxy, Engine], tmp_path: Path  # noqa: F811
) -> None:
    proxy, central = proxied
    seed(pg.engine, orders=0)
    held = picked_order(pg.engine, "OFF20", qty=1)
    waiting = picked_order(pg.engine, "OFF21", qty=2)
    packed = picked_order(pg.engine, "OFF22", qty=1)
    with pg.engine.begin() as conn:  # past this step: never needed here
        conn.execute(update(ORDERS).where(ORDERS.c.id == packed).values(state="packed"))
    floor = _floor(pg, central, tmp_path)
    assert floor.config.station.mode == "verify"
    assert floor.wait_filled(30)
    assert state(floor.switch.journal, waiting) == "picked"
    with LiveFeed(central) as feed:  # picked after the fill: the live feed brings it
        late = picked_order(pg.engine, "OFF23", qty=1)
        with write_tx(pg.engine) as conn:
            append_event(conn, Actor("P1", "OP1001"), "picked", late, {})
        deadline = time.monotonic() + 10
        while not any(c.order_id == late for c in feed.wait(1)):
            assert time.monotonic() < deadline, "no notification for OFF23"
    assert state(floor.switch.journal, late) == "picked"
    floor.follow([packed])  # past this step: not copied
    item = floor.classifier.classify(TEE)
    floor.hold(held)

    proxy.stop()
    with pytest.raises(Refusal):
        count_item(floor, V, held, item)  # finds the store away: offline from here
    assert not floor.online
    view = open_for_verify(floor, V, "OFF21")  # never held, opened from the journal copy
    assert view.order_no == "OFF21"
    count_item(floor, V, waiting, item)
    count_item(floor, V, waiting, item)
    assert state(floor.engine, waiting) == "verified"
    assert open_for_verify(floor, V, "OFF23").order_no == "OFF23"
    with pytest.raises(Refusal) as err:
        open_for_verify(floor, V, "OFF22")
    assert err.value.code == "store_away"

    proxy.start()
    report = floor.switch.try_return()
    assert report is not None and report.conflicts == []
    assert state(pg.engine, waiting) == "verified" and scanned(pg.engine, waiting) == 2
    assert floor.wait_filled(30)  # the copy taken again on return
    floor.close()


def test_a_pick_station_copies_no_orders(pg: PgStore, tmp_path: Path) -> None:
    seed(pg.engine, orders=0)
    picked_order(pg.engine, "OFF30", qty=1)
    cfg = pg.config.model_copy(update={
        "station": pg.config.station.model_copy(update={"mode": "pick"})})
    floor = ResilientFloor(StoreSwitch(pg.engine, open_journal(tmp_path / "j.db")), cfg)
    assert floor.step_states() == () and floor.fill_step_copy() == 0
