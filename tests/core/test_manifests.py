"""Ship: manifests per courier side by side, parcels taken off by scan, intercepted parcels left
out at close, and no parcel handed over whose express slip never printed (issue 13, 1, 2, 4)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine, select, update

from db.engine import write_tx
from pickpack.config import Config
from pickpack.core.context import Floor
from pickpack.core.events import Actor
from pickpack.core.flows import make_flow
from pickpack.core.release import release
from pickpack.core.ship import left_behind, left_out_parcels, open_manifests
from pickpack.core.tables import EVENTS, ORDERS, SKUS
from pickpack.printing.queue import PrintQueue
from pickpack.scan import Scan
from tests.core.floorkit import seed

SF = [f"SF0024048608{i:02d}" for i in range(2)]


def scan(flow, code: str):  # noqa: ANN001, ANN201 - test shorthand
    return flow.handle(Scan(code))


@pytest.fixture
def floor(engine: Engine, config: Config) -> Floor:
    """Four weighed parcels, slips printed: the first two SF, the last two ZTO."""
    seed(engine, orders=4)
    assert release(engine, config, Actor("D1", "clerk")).ready == 4
    with write_tx(engine) as conn:
        ids = list(conn.execute(select(ORDERS.c.id).order_by(ORDERS.c.id)).scalars())
        conn.execute(update(ORDERS).values(state="weighed", weight_g=954))
        for oid, tracking in zip(ids, SF, strict=False):
            conn.execute(update(ORDERS).where(ORDERS.c.id == oid)
                         .values(courier="SF", tracking_no=tracking))
    queue = PrintQueue(engine, config)
    for oid in ids:
        queue.enqueue_slips(oid)
    assert queue.run_once() == 8
    return Floor(engine, config)


def tracking(floor: Floor) -> list[str]:
    with floor.engine.connect() as conn:
        return [t for t in conn.execute(select(ORDERS.c.tracking_no).order_by(ORDERS.c.id))
                .scalars()]


def state(floor: Floor, tracking_no: str) -> str:
    with floor.engine.connect() as conn:
        return str(conn.execute(select(ORDERS.c.state)
                                .where(ORDERS.c.tracking_no == tracking_no)).scalar())


def ship_station(floor: Floor):  # noqa: ANN201
    flow = make_flow(floor, "ship", "S1")
    assert scan(flow, "OP3001").ok
    return flow


def test_two_couriers_side_by_side_close_asks_by_parcel_and_survives_a_restart(
        floor: Floor) -> None:
    sf1, sf2, zto1, zto2 = tracking(floor)
    ship = ship_station(floor)
    for code in (sf2, sf1, zto1, zto2):  # sf2 scanned first: the last SF parcel is sf1
        assert scan(ship, code).ok
    views = {m.courier: m for m in open_manifests(floor, ship.actor)}
    assert views["SF"].count == 2 and views["SF"].last == sf1
    assert views["ZTO"].last == zto2
    asked = scan(ship, "CMD:CLOSE")
    assert asked.ok and not asked.alert and "SF (2)" in asked.message and "ZTO (2)" in asked.message
    closed = scan(ship, zto1)  # a parcel of the courier to close
    assert closed.ok and "2 parcels shipped" in closed.message
    assert state(floor, zto1) == state(floor, zto2) == "shipped"
    assert state(floor, sf1) == "weighed"

    assert scan(ship, "CMD:LOGOUT").ok
    again = ship_station(floor)  # a new flow object: the station restarted
    done = scan(again, "CMD:CLOSE")  # one open manifest left: closed at once
    assert done.ok and not done.alert, done.message
    assert state(floor, sf1) == state(floor, sf2) == "shipped"
    assert open_manifests(floor, again.actor) == []


def test_close_of_no_manifest_and_a_parcel_that_answers_no_open_manifest(floor: Floor) -> None:
    sf1, _sf2, zto1, _zto2 = tracking(floor)
    ship = ship_station(floor)
    assert scan(ship, "CMD:CLOSE").code == "no_manifest"
    scan(ship, "CMD:OK")
    scan(ship, sf1)
    scan(ship, zto1)
    assert scan(ship, "CMD:CLOSE").ok
    other = tracking(floor)[1]  # on no manifest
    assert scan(ship, other).code == "not_on_open_manifest"
    scan(ship, "CMD:OK")
    assert state(floor, sf1) == "weighed"
    assert scan(ship, "CMD:CLOSE").ok and scan(ship, "CMD:CANCEL").ok
    assert scan(ship, other).ok  # after CANCEL a parcel scan adds it again


def cancel(floor: Floor, tracking_no: str) -> None:
    with write_tx(floor.engine) as conn:
        conn.execute(update(ORDERS).where(ORDERS.c.tracking_no == tracking_no)
                     .values(state="cancelled"))


def test_an_intercepted_parcel_is_left_out_listed_until_scanned_off(floor: Floor) -> None:
    sf1, sf2, _zto1, _zto2 = tracking(floor)
    ship = ship_station(floor)
    scan(ship, sf1)
    scan(ship, sf2)
    cancel(floor, sf2)
    with floor.engine.connect() as conn:
        mug = conn.execute(select(SKUS.c.on_hand).where(SKUS.c.sku == "MUG-WH")).scalar()
    [m] = open_manifests(floor, ship.actor)
    assert m.count == 1 and [p.tracking_no for p in m.intercepted] == [sf2]
    again = scan(ship, sf2)
    assert again.code == "intercepted" and "CMD:REMOVE" in again.message
    scan(ship, "CMD:OK")

    closed = scan(ship, "CMD:CLOSE")
    assert closed.ok and closed.alert and closed.code == "left_out"
    assert sf2 in closed.message and "1 parcels shipped" in closed.message
    assert state(floor, sf1) == "shipped" and state(floor, sf2) == "cancelled"
    with floor.engine.connect() as conn:
        after = conn.execute(select(SKUS.c.on_hand).where(SKUS.c.sku == "MUG-WH")).scalar()
        ev = conn.execute(select(EVENTS.c.payload).where(EVENTS.c.kind == "manifest_closed")
                          ).scalar()
    assert mug - after == 2  # stock left for the shipped parcel only
    assert json.loads(ev or "{}")["left_out"] == [sf2]
    assert [p.tracking_no for _m, _c, p in left_out_parcels(floor, ship.actor)] == [sf2]
    scan(ship, "CMD:OK")

    assert scan(ship, "CMD:REMOVE").ok
    off = scan(ship, sf2)
    assert off.ok and sf2 in off.message
    assert left_out_parcels(floor, ship.actor) == []
    with floor.engine.connect() as conn:
        kinds = [k for k in conn.execute(select(EVENTS.c.kind).where(
            EVENTS.c.kind == "unmanifested")).scalars()]
    assert kinds == ["unmanifested"]


def test_a_parcel_taken_off_an_open_manifest_is_left_behind_again(floor: Floor) -> None:
    sf1, sf2, zto1, _zto2 = tracking(floor)
    ship = ship_station(floor)
    for code in (sf1, sf2, zto1):
        scan(ship, code)
    scan(ship, "CMD:REMOVE")
    assert scan(ship, sf2).ok
    views = {m.courier: m for m in open_manifests(floor, ship.actor)}
    assert views["SF"].tracking == [sf1]
    assert sf2 in [r["tracking_no"] for r in left_behind(floor)]
    assert scan(ship, "CMD:REMOVE").ok
    assert scan(ship, tracking(floor)[3]).code == "not_manifested"


def test_ship_refuses_a_parcel_whose_express_slip_never_printed(
        engine: Engine, config: Config) -> None:
    """The default config's route used to hand over parcels with an empty print queue."""
    seed(engine, orders=1)
    release(engine, config, Actor("D1", "clerk"))
    with write_tx(engine) as conn:
        conn.execute(update(ORDERS).values(state="weighed"))
        oid, tracking_no = conn.execute(select(ORDERS.c.id, ORDERS.c.tracking_no)).one()
    floor = Floor(engine, config)
    ship = ship_station(floor)
    refused = scan(ship, tracking_no)
    assert refused.code == "slip_not_printed"
    scan(ship, "CMD:OK")
    queue = PrintQueue(engine, config)
    queue.enqueue_slips(oid, ("packing",))
    queue.run_once()
    assert scan(ship, tracking_no).code == "slip_not_printed"  # the packing slip is not enough
    scan(ship, "CMD:OK")
    queue.enqueue_slips(oid, ("express",))
    assert queue.run_once() == 1
    assert scan(ship, tracking_no).ok
