"""A supervisor override at the station screen: badge, then the masked PIN field (which owns its
keys), then the reason code; a badge that is not a supervisor's is refused at the badge."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine, select
from textual.widgets import Input

from pickpack.config import Config
from pickpack.core.tables import EVENTS
from tests.core.floorkit import SUPERVISOR_PIN
from tests.stations.conftest import SIZE, TEE, feed, make_app, scan, settle, status
from tests.stations.test_stations import state_of, walk


def pin_field(pilot) -> Input:  # noqa: ANN001
    return pilot.app.screen.query_one("#pin", Input)


def overrides(engine: Engine) -> list[dict[str, object]]:
    with engine.connect() as conn:
        return [json.loads(p) for p in conn.execute(
            select(EVENTS.c.payload).where(EVENTS.c.kind == "override")).scalars()]


async def _at_verify_with_one_tee(pilot) -> None:  # noqa: ANN001
    await settle(pilot)
    await scan(pilot, "OP2001")
    await scan(pilot, "B001")
    await scan(pilot, TEE)


@pytest.mark.parametrize("size", [SIZE, (80, 24)])
async def test_badge_pin_then_scanned_reason_ships_short(config: Config, engine: Engine,
                                                         size: tuple[int, int]) -> None:
    walk(config, engine, "verify")
    app = make_app(config, engine, "verify")
    async with app.run_test(size=size) as pilot:
        await _at_verify_with_one_tee(pilot)
        assert not pin_field(pilot).display
        await pilot.press("f10")  # ship short
        await settle(pilot)
        await scan(pilot, "OP9001")
        pin = pin_field(pilot)
        assert pin.display and pin.has_focus and pin.password
        assert pin.region.height >= 1 and pin.region.bottom <= size[1]  # on screen at 80×24
        await feed(pilot, SUPERVISOR_PIN, 0.001)  # fast as a scanner: still the PIN
        assert not pin.display and "reason" in status(pilot).lower(), status(pilot)
        assert SUPERVISOR_PIN not in "".join(str(w.render()) for w in app.screen.query("Static"))
        await scan(pilot, "R:R3")  # the code as the prompt lists it (issue 13.7)
        assert "short" in status(pilot).lower(), status(pilot)
        assert state_of(engine) == "verified"
        assert overrides(engine)[-1]["supervisor"] == "OP9001"


async def test_a_non_supervisor_badge_is_refused_at_the_badge(config: Config, engine: Engine
                                                              ) -> None:
    walk(config, engine, "verify")
    app = make_app(config, engine, "verify")
    async with app.run_test(size=SIZE) as pilot:
        await _at_verify_with_one_tee(pilot)
        await pilot.press("f10")
        await settle(pilot)
        await scan(pilot, "OP3001")  # a packer's badge
        assert "not a supervisor" in status(pilot) and not pin_field(pilot).display
        assert app.screen.has_class("-alerting")
        await pilot.press("enter")
        await settle(pilot)
        assert state_of(engine) == "picked" and not overrides(engine)


async def test_wrong_pin_and_escape_end_the_override(config: Config, engine: Engine) -> None:
    walk(config, engine, "verify")
    app = make_app(config, engine, "verify")
    async with app.run_test(size=SIZE) as pilot:
        await _at_verify_with_one_tee(pilot)
        await pilot.press("f10")
        await settle(pilot)
        await scan(pilot, "OP9001")
        await feed(pilot, "0000", 0.05)
        assert "Wrong PIN" in status(pilot) and not pin_field(pilot).display
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("f10")
        await settle(pilot)
        await scan(pilot, "OP9001")
        assert pin_field(pilot).has_focus
        await pilot.press("escape")
        await settle(pilot)
        assert "cancelled" in status(pilot).lower() and not pin_field(pilot).display
        assert app.screen.query_one("#entry", Input).has_focus
        assert state_of(engine) == "picked" and not overrides(engine)


async def test_the_station_logs_out_after_idle_logout_min(config: Config, engine: Engine) -> None:
    app = make_app(config, engine, "verify")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await scan(pilot, "OP2001")
        screen = app.screen
        flow = screen.flow  # type: ignore[attr-defined]
        start = flow.last_scan
        flow.clock = lambda: start + config.station.idle_logout_min * 60 - 1
        screen._idle_tick()  # type: ignore[attr-defined]  (the screen's timer calls it)
        await settle(pilot)
        assert flow.operator is not None
        flow.clock = lambda: start + config.station.idle_logout_min * 60 + 1
        screen._idle_tick()  # type: ignore[attr-defined]
        await settle(pilot)
        assert flow.operator is None and "without a scan" in status(pilot)
        assert "OP2001" not in str(screen.query_one("#h-operator").render())
