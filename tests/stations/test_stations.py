"""Pick, pack, weigh and ship stations: happy paths through the app on a real SQLite file."""

from __future__ import annotations

import asyncio

from sqlalchemy import Engine
from textual.widgets import DataTable, Digits

from pickpack.config import Config
from pickpack.core.context import Floor
from pickpack.core.flows import make_flow
from pickpack.core.orders import find_order_id, load_order
from pickpack.devices.scale import SimulatedScale
from pickpack.scan import Scan
from tests.stations.conftest import MUG, ORDER, SIZE, TEE, make_app, scan, settle, status


def state_of(engine: Engine, order_no: str = ORDER) -> str:
    with engine.connect() as conn:
        oid = find_order_id(conn, order_no)
        assert oid is not None
        return load_order(conn, oid).state


def print_slips(config: Config, engine: Engine, order_no: str) -> None:
    """The order's slip pair through the print queue (to the preview printer)."""
    from pickpack.printing.queue import PrintQueue

    with engine.connect() as conn:
        oid = find_order_id(conn, order_no)
    assert oid is not None
    queue = PrintQueue(engine, config)
    queue.enqueue_slips(oid)
    assert queue.run_once() == 2


def walk(config: Config, engine: Engine, upto: str, order_no: str = ORDER) -> str:
    """Move the order through the stations before ``upto``; returns its tracking number."""
    floor = Floor(engine, config)
    steps = {
        "pick": ["OP1001", "B001", order_no, "CMD:DONE"],
        "verify": ["OP2001", "B001", TEE, "CMD:QTY:2", MUG],
        "pack": ["OP3001", order_no, "CMD:CARTON:M"],
    }
    for mode, codes in steps.items():
        if mode == upto:
            break
        flow = make_flow(floor, mode, "X1")
        for code in codes:
            out = flow.handle(Scan(code))
            assert out.ok, (mode, code, out.message)
    if upto == "ship":
        print_slips(config, engine, order_no)  # print_at = "verify": ship needs the express slip
        weigh = make_flow(floor, "weigh", "X1")
        weigh.handle(Scan("OP3001"))
        weigh.handle(Scan(order_no))
        assert weigh.on_weight(214 + 700 + 40, stable=True).ok  # type: ignore[attr-defined, union-attr]
    with engine.connect() as conn:
        oid = find_order_id(conn, order_no)
        assert oid is not None
        return load_order(conn, oid).tracking_no or ""


async def test_pick_basket_order_lines_in_bin_order_then_done(config: Config, engine: Engine) -> None:
    app = make_app(config, engine, "pick")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await scan(pilot, "OP1001")
        await scan(pilot, "B001")
        assert "B001" in str(app.screen.query_one("#basket").render())
        await scan(pilot, ORDER)
        table = app.screen.query_one(DataTable)
        bins = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert bins == ["A-01-02", "C-02-01"]
        await pilot.press("f3")  # the key is CMD:DONE
        await settle(pilot)
        assert "Picked" in status(pilot)
        assert state_of(engine) == "picked"


async def test_pack_order_then_carton_by_key_and_by_scan(config: Config, engine: Engine) -> None:
    walk(config, engine, "pack")
    walk(config, engine, "pick", "3900000000000000001")
    app = make_app(config, engine, "pack")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await scan(pilot, "OP3001")
        await scan(pilot, ORDER)
        assert app.screen.query_one(DataTable).row_count == 2
        await pilot.press("f4")  # carton M
        await settle(pilot)
        assert "Packed" in status(pilot) and " M" in status(pilot)
        assert state_of(engine) == "packed"


async def test_weigh_stable_in_tolerance_is_taken_without_a_key(config: Config, engine: Engine) -> None:
    tracking = walk(config, engine, "weigh")
    scale = SimulatedScale(interval_s=0.1)
    app = make_app(config, engine, "weigh", scale=scale)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await scan(pilot, "OP3001")
        await scan(pilot, tracking)
        assert "906–1002" in str(app.screen.query_one("#expected").render())
        scale.set_weight(0.9, stable=False)
        await asyncio.sleep(0.1)
        await settle(pilot)
        assert state_of(engine) == "packed"  # unstable readings never decide
        assert app.screen.query_one(Digits).value == "900"
        scale.set_weight(0.956, stable=True)
        for _ in range(50):
            await asyncio.sleep(0.05)
            await settle(pilot)
            if state_of(engine) == "weighed":
                break
        assert state_of(engine) == "weighed"
        assert "956 g" in status(pilot)
        app.stop_devices.set()


async def test_ship_manifest_count_close_and_left_behind(config: Config, engine: Engine) -> None:
    tracking = walk(config, engine, "ship")
    app = make_app(config, engine, "ship")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "1 parcels" in str(app.screen.query_one("#left-behind-title").render())
        await scan(pilot, "OP3001")
        await scan(pilot, tracking)
        assert "1 parcels" in status(pilot)
        manifests = app.screen.query_one("#manifests", DataTable)
        assert manifests.row_count == 1
        assert "0 parcels" in str(app.screen.query_one("#left-behind-title").render())
        await pilot.press("f3")
        await settle(pilot)
        assert "closed" in status(pilot)
        assert state_of(engine) == "shipped"
        assert manifests.row_count == 0
