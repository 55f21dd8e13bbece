"""A policy change at the desk reaches a running station with its next scan, not in a minute."""

from __future__ import annotations

from sqlalchemy import Engine

from db.engine import write_tx
from pickpack.config import Config
from pickpack.core.events import Actor
from pickpack.core.policy import set_policy
from pickpack.live import Change
from tests.stations.conftest import feed, make_app, settle


async def test_a_policy_set_on_the_live_feed_is_read_with_the_next_scan(
        config: Config, engine: Engine) -> None:
    app = make_app(config, engine, "verify")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        floor = app.floor
        before = floor.config.floor.safety_stock
        with write_tx(engine) as conn:
            set_policy(conn, Actor("D1", "OP9001", "supervisor"), config, "floor.safety_stock",
                       str(before + 4), supervisor="OP9001")
        await feed(pilot, "OP2001", 0.001)
        await settle(pilot)
        assert floor.config.floor.safety_stock == before  # read at start, not again per scan
        app.screen.take_changes([Change("policy_set", station="D1")])  # type: ignore[attr-defined]
        await feed(pilot, "B001", 0.001)  # a scan that reads the store
        await settle(pilot)
        assert floor.config.floor.safety_stock == before + 4
