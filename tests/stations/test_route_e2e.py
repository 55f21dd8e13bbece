"""One whole route through the station screens (pick → verify → pack → weigh → ship → export
shipped), every slip printed to a loopback network printer, stock checked at the end."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from pickpack.app.messages import WeightRead
from pickpack.core.events import Actor
from pickpack.core.orders import find_order_id, load_order
from pickpack.core.reports import export_shipped
from pickpack.core.tables import SKUS
from pickpack.devices.scale.reading import Reading
from tests.conftest import upgraded_store
from tests.stations.conftest import MUG, ORDER, SIZE, TEE, make_app, scan, settle
from tests.stations.test_print_at import (  # noqa: F401 - the printer fixture
    LoopbackPrinter,
    printed_kinds,
    printer,
    printing_config,
    released,
    until_printed,
)


def order_state(engine: Engine) -> tuple[str, str]:
    with engine.connect() as conn:
        oid = find_order_id(conn, ORDER)
        assert oid is not None
        o = load_order(conn, oid)
        return o.state, o.tracking_no or ""


def on_hand(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {r.sku: int(r.on_hand) for r in conn.execute(select(SKUS.c.sku, SKUS.c.on_hand))}


T = "{tracking}"
ROUTES: dict[str, tuple[list[str], list[tuple[str, list[str], str]]]] = {
    # config.toml's examples: the whole floor, and the small shop's route
    "whole floor": (["pick", "verify", "pack", "weigh", "ship"], [
        ("pick", ["OP1001", "B001", ORDER, "CMD:DONE"], "picked"),
        ("verify", ["OP2001", "B001", TEE, "CMD:QTY:2", MUG], "verified"),
        ("pack", ["OP3001", T, "CMD:CARTON:M"], "packed"),
        ("weigh", ["OP3001", T], "packed"),
        ("ship", ["OP3001", T, "CMD:CLOSE"], "shipped"),
    ]),
    "small shop": (["verify", "weigh", "ship"], [
        ("verify", ["OP2001", T, TEE, "CMD:QTY:2", MUG], "verified"),
        ("weigh", ["OP3001", T], "verified"),
        ("ship", ["OP3001", T, "CMD:CLOSE"], "shipped"),
    ]),
}


@pytest.mark.parametrize("route", list(ROUTES))
async def test_each_example_route_end_to_end_with_every_slip_printed(
        tmp_path: Path, printer: LoopbackPrinter,  # noqa: F811 - the fixture
        capsys: pytest.CaptureFixture[str], route: str) -> None:
    stations, plan = ROUTES[route]
    cfg = printing_config(tmp_path, printer, workflow={"route": stations})
    engine = released(cfg)
    stock = on_hand(engine)
    try:
        tracking = order_state(engine)[1]
        steps = [(mode, [tracking if c == T else c for c in codes], after)
                 for mode, codes, after in plan]
        for mode, codes, after in steps:
            app = make_app(cfg, engine, mode)
            async with app.run_test(size=SIZE) as pilot:
                await settle(pilot)
                for code in codes:
                    await scan(pilot, code)
                    assert not app.screen.alerting, (mode, code)
                if mode == "verify":
                    await until_printed(pilot, printer, 2)
                if mode == "ship":  # the close prints the manifest with its handover count
                    await until_printed(pilot, printer, 3)
                if mode == "weigh":
                    pilot.app.post_message(WeightRead(Reading(0.954, True)))
                    await settle(pilot)
                    after = "weighed"
            assert order_state(engine)[0] == after, mode
        assert sorted(printed_kinds(engine)) == ["express", "packing"]

        from pickpack.cli import main

        upgraded_store(tmp_path / "pp.db")
        cfg_file = tmp_path / "desk.toml"
        cfg_file.write_text(f'[store]\nurl = "sqlite:///{tmp_path / "pp.db"}"\n',
                            encoding="utf-8")
        assert main(["--config", str(cfg_file), "print", "manifest", "1",
                     "--printer", printer.url]) == 0
        deadline = time.monotonic() + 10  # the listener takes the job once the sender closed
        while printer.count() < 4 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert printer.count() == 4 and tracking.encode() in printer.jobs[-1]
        assert "面单已打印：1".encode("gb18030") in printer.jobs[2]  # the station's, at close
        assert export_shipped(engine, Actor("D1", "clerk")) == [
            {"order_no": ORDER, "courier": "ZTO", "tracking_no": tracking}]
        after_stock = on_hand(engine)
        assert stock["TEE-BK-XL"] - after_stock["TEE-BK-XL"] == 1
        assert stock["MUG-WH"] - after_stock["MUG-WH"] == 2
        assert after_stock["SOCK-3"] == stock["SOCK-3"]
    finally:
        engine.dispose()
