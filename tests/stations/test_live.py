"""Live views: a station sees what other stations commit without a key press (SQLite polls)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine, select
from textual.pilot import Pilot

from db.engine import write_tx
from pickpack.config import Config
from pickpack.core.context import Floor, lock_order, move
from pickpack.core.events import Actor
from pickpack.core.flows import make_flow
from pickpack.core.lifecycle import CANCELLED
from pickpack.core.orders import find_order_id
from pickpack.core.tables import EVENTS
from pickpack.scan import Scan
from tests.stations.conftest import MUG, ORDER, SIZE, TEE, make_app, scan, settle, status
from tests.stations.test_alerts import alerting
from tests.stations.test_stations import walk

DESK = Actor("D1", "clerk")


async def until(pilot: Pilot[object], seen: Callable[[], bool], seconds: float = 5.0) -> None:
    """Wait, touching nothing, until ``seen()``; the live feed polls SQLite every 0.25 s."""
    for _ in range(int(seconds / 0.05)):
        if seen():
            return
        await pilot.pause(0.05)
    raise AssertionError(f"not seen within {seconds} s; status: {status(pilot)!r}")


async def scans(pilot: Pilot[object], *codes: str) -> None:
    await settle(pilot)
    for code in codes:
        await scan(pilot, code)


def cancel_centrally(engine: Engine, order_no: str) -> int:
    """What a re-import of a closed order does to an order on the floor."""
    with write_tx(engine) as conn:
        oid = find_order_id(conn, order_no)
        assert oid is not None
        move(conn, DESK, lock_order(conn, oid), CANCELLED, "cancelled",
             {"reason": "platform_closed"})
    return oid


async def test_order_cancelled_elsewhere_is_an_intercept_alert_before_the_next_scan(
        config: Config, engine: Engine) -> None:
    walk(config, engine, "verify")
    app = make_app(config, engine, "verify")
    async with app.run_test(size=SIZE) as pilot:
        await scans(pilot, "OP2001", "B001")
        assert app.screen.flow.order is not None
        oid = cancel_centrally(engine, ORDER)
        await until(pilot, lambda: alerting(pilot) and "INTERCEPTED" in status(pilot))
        assert app.screen.flow.order is None
    with engine.connect() as conn:
        refused = conn.execute(select(EVENTS.c.station, EVENTS.c.payload).where(
            EVENTS.c.order_id == oid, EVENTS.c.kind == "refused")).all()
    assert [r.station for r in refused if '"intercepted"' in r.payload] == ["T1"]


async def test_a_count_at_another_station_shows_here(config: Config, engine: Engine) -> None:
    walk(config, engine, "verify")
    app = make_app(config, engine, "verify")
    async with app.run_test(size=SIZE) as pilot:
        await scans(pilot, "OP2001", "B001")
        other = make_flow(Floor(engine, config), "verify", "V2")
        for code in ("OP9001", "B001", TEE):  # a supervisor lends a hand at V2
            assert other.handle(Scan(code)).ok
        await until(pilot, lambda: "changed at another station" in status(pilot))
        order = app.screen.flow.order
        assert order is not None
        assert {line.sku: line.scanned for line in order.lines}["TEE-BK-XL"] == 1
        await scan(pilot, TEE)  # counted there, so one more here is one too many
        assert alerting(pilot) and "TOO MANY" in status(pilot)
        await scan(pilot, "CMD:OK")
        for code in ("CMD:QTY:2", MUG):  # the rest completes the order here
            await scan(pilot, code)
        assert "Verified" in status(pilot)


async def test_ship_lists_a_parcel_weighed_elsewhere_without_a_key(
        config: Config, engine: Engine) -> None:
    walk(config, engine, "weigh")
    app = make_app(config, engine, "ship")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)

        def title() -> str:
            return str(app.screen.query_one("#left-behind-title").render())

        assert "0 parcels" in title()
        weigh = make_flow(Floor(engine, config), "weigh", "W2")
        weigh.handle(Scan("OP3001"))
        weigh.handle(Scan(ORDER))
        assert weigh.on_weight(214 + 700 + 40, stable=True).ok  # type: ignore[attr-defined]
        await until(pilot, lambda: "1 parcels" in title())
