"""Every error is a red alert with the bell that waits for CMD:OK or Enter; overrides by keys."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import Engine
from textual.widgets import Input

from pickpack.config import Config
from pickpack.devices.scale import SimulatedScale
from tests.core.floorkit import SUPERVISOR_PIN
from tests.stations.conftest import (
    ORDER,
    SIZE,
    SOCKS,
    TEE,
    feed,
    make_app,
    scan,
    settle,
    status,
    typed,
)
from tests.stations.test_stations import state_of, walk


def alerting(pilot) -> bool:  # noqa: ANN001
    screen = pilot.app.screen
    return screen.has_class("-alerting") and screen.query_one("#status").has_class("-alert")


@pytest.fixture
def bells(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    rung: list[int] = []
    from pickpack.app import StationApp

    monkeypatch.setattr(StationApp, "bell", lambda self: rung.append(1))
    return rung


async def test_wrong_item_alert_waits_for_enter_and_enter_does_nothing_else(
        config: Config, engine: Engine, bells: list[int]) -> None:
    walk(config, engine, "verify")
    app = make_app(config, engine, "verify")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for code in ("OP2001", "B001"):
            await scan(pilot, code)
        await scan(pilot, SOCKS)
        assert alerting(pilot) and bells == [1]
        assert "not in order" in status(pilot).lower() or "wrong" in status(pilot).lower()
        await scan(pilot, TEE)  # ignored while the alert waits (and recorded)
        assert alerting(pilot) and "acknowledge it first" in status(pilot)
        entry = app.screen.query_one("#entry", Input)
        entry.value = "12"
        await pilot.press("enter")
        await settle(pilot)
        assert not alerting(pilot)
        assert entry.value == ""  # the acknowledging key did nothing else (field test: the
        # entry is emptied, so nothing typed or half-scanned is glued onto the next code)
        assert app.screen.flow.multiplier == 1
        entry.value = ""
        await scan(pilot, TEE)
        assert "TEE-BK-XL 1/1" in status(pilot)


async def test_cmd_ok_acknowledges(config: Config, engine: Engine, bells: list[int]) -> None:
    app = make_app(config, engine, "verify")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await scan(pilot, ORDER)  # not logged in
        assert alerting(pilot) and "badge" in status(pilot).lower()
        await scan(pilot, "CMD:OK")
        assert not alerting(pilot)
        await scan(pilot, "OP2001")
        await scan(pilot, "NOPE-123")  # an item code with no order open
        assert alerting(pilot) and "slip" in status(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await scan(pilot, ORDER)  # still ready: belongs at pick
        assert alerting(pilot) and "belongs at Pick" in status(pilot)
        assert len(bells) == 3


async def test_intercepted_order(config: Config, engine: Engine, bells: list[int]) -> None:
    from pickpack.core.tables import ORDERS

    walk(config, engine, "verify")
    with engine.begin() as conn:
        conn.execute(ORDERS.update().where(ORDERS.c.order_no == ORDER).values(state="cancelled"))
    app = make_app(config, engine, "verify")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await scan(pilot, "OP2001")
        await scan(pilot, "B001")
        assert alerting(pilot) and "INTERCEPTED" in status(pilot)


async def test_pick_without_basket_and_ship_close_without_parcel(
        config: Config, engine: Engine, bells: list[int]) -> None:
    app = make_app(config, engine, "pick")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await scan(pilot, "OP1001")
        await scan(pilot, ORDER)
        assert alerting(pilot) and "basket" in status(pilot).lower()
        app.open_station("ship")
        await settle(pilot)
        await scan(pilot, "OP3001")
        await pilot.press("f3")
        await settle(pilot)
        assert alerting(pilot) and "manifest" in status(pilot).lower()


async def test_pack_wrong_step_and_bad_carton(config: Config, engine: Engine, bells: list[int]) -> None:
    walk(config, engine, "pack")
    app = make_app(config, engine, "pack")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await scan(pilot, "OP3001")
        await pilot.press("f3")  # carton S with no order
        await settle(pilot)
        assert alerting(pilot) and "order" in status(pilot).lower()
        await pilot.press("enter")
        await scan(pilot, "3900000000000000001")  # ready: belongs at pick
        assert alerting(pilot) and "belongs at Pick" in status(pilot)
        await pilot.press("enter")
        await scan(pilot, ORDER)
        await scan(pilot, "CMD:CARTON:XXL")
        assert alerting(pilot) and "XXL" in status(pilot)


async def test_weight_out_of_tolerance_is_held_red_then_supervisor_accepts_by_keys(
        config: Config, engine: Engine, bells: list[int]) -> None:
    tracking = walk(config, engine, "weigh")
    scale = SimulatedScale(interval_s=0.1)
    app = make_app(config, engine, "weigh", scale=scale)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await scan(pilot, "OP3001")
        await scan(pilot, tracking)
        scale.set_weight(1.5)
        for _ in range(50):
            await asyncio.sleep(0.05)
            await settle(pilot)
            if alerting(pilot):
                break
        assert alerting(pilot) and "TOLERANCE" in status(pilot)
        assert state_of(engine) == "held"
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("f8")  # override: accept weight
        await settle(pilot)
        assert "supervisor" in status(pilot).lower()
        await typed(pilot, "OP9001")
        pin = app.screen.query_one("#pin", Input)
        assert pin.has_focus and pin.password  # the PIN field, masked, after the badge
        await feed(pilot, SUPERVISOR_PIN, 0.001)  # typed fast: a PIN, not a scan
        await typed(pilot, "R1")  # a typed reason code
        assert "accepted" in status(pilot).lower(), status(pilot)
        assert state_of(engine) == "weighed"
        app.stop_devices.set()


async def test_logout_key(config: Config, engine: Engine) -> None:
    app = make_app(config, engine, "verify")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await scan(pilot, "OP2001")
        assert "OP2001" in str(app.screen.query_one("#h-operator").render())
        await pilot.press("f2")
        await settle(pilot)
        assert "Logged out" in status(pilot)
        assert "OP2001" not in str(app.screen.query_one("#h-operator").render())
