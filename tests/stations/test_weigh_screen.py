"""The weigh screen never takes the last parcel's load for the next parcel (issue 13.5); an
override there says what it records (issue 13.7)."""

from __future__ import annotations

from sqlalchemy import Engine
from textual.widgets import Digits, Static

from pickpack.app.messages import WeightRead
from pickpack.config import Config
from pickpack.core.context import Floor
from pickpack.core.flows import make_flow
from pickpack.core.orders import find_order_id, load_order
from pickpack.devices.scale import SimulatedScale
from pickpack.devices.scale.reading import Reading
from pickpack.scan import Scan
from tests.core.floorkit import SUPERVISOR_PIN
from tests.stations.conftest import (
    MUG,
    SIZE,
    TEE,
    feed,
    make_app,
    scan,
    settle,
    station_config,
    status,
    typed,
)
from tests.stations.test_wedge_app import FAST, config_dir

A, B = "3900000000000000000", "3900000000000000001"


def packed(config: Config, engine: Engine, *orders: str) -> None:
    floor = Floor(engine, config)
    for i, no in enumerate(orders):
        steps = {"pick": ["OP1001", f"B00{i + 1}", no, "CMD:DONE"],
                 "verify": ["OP2001", f"B00{i + 1}", TEE, "CMD:QTY:2", MUG],
                 "pack": ["OP3001", no, "CMD:CARTON:M"]}
        for mode, codes in steps.items():
            flow = make_flow(floor, mode, "X1")
            for code in codes:
                assert flow.handle(Scan(code)).ok, (mode, code)


def weight_of(engine: Engine, no: str) -> tuple[str, float | None]:
    with engine.connect() as conn:
        oid = find_order_id(conn, no)
        assert oid is not None
        o = load_order(conn, oid)
        return o.state, o.weight_g


async def reading(pilot, grams: float, stable: bool = True) -> None:  # noqa: ANN001
    """A reading as the scale worker posts it, handled before the next one."""
    pilot.app.post_message(WeightRead(Reading(grams / 1000, stable)))
    await settle(pilot)


async def test_the_load_left_on_the_scale_waits_for_the_next_parcel(config: Config,
                                                                   engine: Engine) -> None:
    packed(config, engine, A, B)
    app = make_app(config, engine, "weigh", scale=SimulatedScale(interval_s=0.02))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.stop_devices.set()  # a scale is there; the test posts its readings itself
        await scan(pilot, "OP3001")
        await reading(pilot, 0)
        await scan(pilot, A)
        await reading(pilot, 1179, stable=False)
        await reading(pilot, 960)
        assert weight_of(engine, A) == ("weighed", 960) and "960 g" in status(pilot)
        await scan(pilot, B)  # A's 960 g still on the scale
        prompt = str(app.screen.query_one("#prompt", Static).render())
        assert "Place the parcel" in prompt and "960 g" in prompt, prompt
        for _ in range(3):
            await reading(pilot, 960)
        assert weight_of(engine, B) == ("packed", None)
        assert not app.screen.query_one("#expected").has_class("-out")
        await reading(pilot, 0)  # A taken off
        assert "Put the parcel on the scale" in str(app.screen.query_one("#prompt").render())
        await reading(pilot, 955)
        assert weight_of(engine, B) == ("weighed", 955) and "955 g" in status(pilot)
        assert app.screen.query_one(Digits).value == "955"


async def test_release_at_weigh_says_released_and_the_parcel_is_weighed_again(
        config: Config, engine: Engine) -> None:
    packed(config, engine, A)
    cfg = station_config(config_dir(config), scanner={"burst_max_gap_ms": 35})
    app = make_app(cfg, engine, "weigh")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await scan(pilot, "OP3001")
        await scan(pilot, A)
        await reading(pilot, 1500)
        assert app.screen.alerting and weight_of(engine, A) == ("held", 1500)
        await pilot.press("enter")
        await pilot.press("f9")  # CMD:RELEASE
        await settle(pilot)
        await typed(pilot, "OP9001")
        await feed(pilot, SUPERVISOR_PIN, FAST)  # typed as fast as a scan: the PIN field's keys
        await typed(pilot, "R2")
        assert status(pilot) == "Hold released by supervisor"
        assert weight_of(engine, A) == ("packed", 1500)
        assert "Place the parcel" in str(app.screen.query_one("#prompt", Static).render())
        await reading(pilot, 1500)
        assert weight_of(engine, A)[0] == "packed"
        await reading(pilot, 0)
        await reading(pilot, 957)
        assert weight_of(engine, A) == ("weighed", 957)


async def test_the_demo_key_f7_swaps_parcels_on_the_simulated_scale(config: Config,
                                                                   engine: Engine) -> None:
    """F7 takes the last parcel off before it puts the expected weight on: the demo goes on
    parcel after parcel of one weight (the same load left on would be stale)."""
    packed(config, engine, A, B)
    scale = SimulatedScale(interval_s=0.02)
    app = make_app(config, engine, "weigh", scale=scale)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.stop_devices.set()  # the test reads the simulated scale itself, frame by frame
        await scan(pilot, "OP3001")
        for no in (A, B):
            await scan(pilot, no)
            await pilot.press("f7")
            for _ in range(3):
                pilot.app.post_message(WeightRead(scale.read()))
                await settle(pilot)
            assert weight_of(engine, no) == ("weighed", 954), (no, status(pilot))
