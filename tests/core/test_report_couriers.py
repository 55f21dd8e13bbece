"""`report couriers`: per courier, parcels handed over and late, out-of-area address changes
(counted against the courier the order had then) and the after-sales cases of its parcels."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Engine

from pickpack.config import Config
from pickpack.core.aftersales.cases import open_case
from pickpack.core.context import Floor
from pickpack.core.desk.address import edit_address
from pickpack.core.events import Actor
from pickpack.core.orders import find_order_id
from pickpack.core.release import release
from pickpack.core.report import day_span
from pickpack.core.report.couriers import couriers
from tests.core.floorkit import restamp, seed, ship_through

DAY = date(2026, 11, 22)


def test_out_of_area_and_cases_per_courier(engine: Engine, config: Config) -> None:
    numbers = seed(engine, orders=3)
    release(engine, config, Actor("D1", "clerk"))
    floor = Floor(engine, config)
    ship_through(floor, numbers[0])
    ship_through(floor, numbers[2], basket="B902")
    clerk = Actor("D1", "OP9001", "clerk")
    open_case(floor, clerk, "lost", order_key=numbers[0], claim="no scan for 7 days")
    open_case(floor, clerk, "wrong_item", order_key=numbers[2], claim="got socks")
    with engine.connect() as conn:
        oid = find_order_id(conn, numbers[1])
    assert oid is not None
    edit_address(floor, clerk, oid, {"street": "长江路2号"}, "AREA")
    restamp(engine, datetime(2026, 11, 22, 1, 0, tzinfo=UTC), timedelta(seconds=30))
    with engine.connect() as conn:
        [table] = couriers(conn, config, day_span(config, DAY))
    assert table.rows == [{"courier": "ZTO", "shipped": 2, "late": 0, "out_of_area": 1,
                           "lost": 1, "tracking": 0, "damaged": 0, "courier_fault": 0}]
    with engine.connect() as conn:
        [before] = couriers(conn, config, day_span(config, DAY - timedelta(days=1)))
    assert before.rows == []
