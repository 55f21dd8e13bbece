"""The ship screen at 80x24: manifests per courier side by side, the left-behind list whole."""

from __future__ import annotations

import html
import re

from sqlalchemy import Engine, select, update
from textual.widgets import DataTable

from db.engine import write_tx
from pickpack.config import Config
from pickpack.core.tables import ORDERS
from pickpack.printing.queue import PrintQueue
from tests.stations.conftest import make_app, scan, settle

SMALL = (80, 24)


def ready_to_ship(config: Config, engine: Engine) -> list[tuple[str, str]]:
    """Every order weighed with its slips printed (to the preview printer); (order, tracking)."""
    with write_tx(engine) as conn:
        conn.execute(update(ORDERS).values(state="weighed"))
        rows = conn.execute(select(ORDERS.c.id, ORDERS.c.order_no, ORDERS.c.tracking_no)
                            .order_by(ORDERS.c.id)).all()
    queue = PrintQueue(engine, config)
    for row in rows:
        queue.enqueue_slips(row.id)
    assert queue.run_once() == 2 * len(rows)
    return [(r.order_no, r.tracking_no) for r in rows]


def on_screen(app: object) -> str:
    """The text the terminal shows now (the screenshot, markup and spacing undone)."""
    svg = app.export_screenshot()  # type: ignore[attr-defined]
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


async def test_left_behind_list_shows_whole_order_and_tracking_numbers_at_80x24(
        config: Config, engine: Engine) -> None:
    parcels = ready_to_ship(config, engine)
    app = make_app(config, engine, "ship")
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        text = on_screen(app)
        for order_no, tracking in parcels:
            assert order_no in text and tracking in text


def status_text(app: object) -> str:
    return str(app.screen.query_one("#status").render())  # type: ignore[attr-defined]


def rows(app: object) -> list[list[str]]:
    table = app.screen.query_one("#manifests", DataTable)  # type: ignore[attr-defined]
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_two_couriers_close_by_parcel_and_an_intercepted_parcel_stays_listed(
        config: Config, engine: Engine) -> None:
    (o1, sf), (_o2, zto1), (o3, zto2) = ready_to_ship(config, engine)
    with write_tx(engine) as conn:  # the first parcel goes with SF
        sf = "SF002404860801"
        conn.execute(update(ORDERS).where(ORDERS.c.order_no == o1)
                     .values(courier="SF", tracking_no=sf))
    app = make_app(config, engine, "ship")
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        for code in ("OP3001", sf, zto1, zto2):
            await scan(pilot, code)
        assert [r[0] for r in rows(app)] == ["SF", "ZTO"]
        assert rows(app)[1][3] == zto2  # the last parcel scanned
        with write_tx(engine) as conn:  # refunded meanwhile: intercepted in the cage
            conn.execute(update(ORDERS).where(ORDERS.c.order_no == o3).values(state="cancelled"))
        await pilot.press("f3")
        await settle(pilot)
        assert "SF (1)" in status_text(app) and "scan a parcel" in on_screen(app)
        await scan(pilot, zto1)
        assert "1 parcels shipped" in status_text(app) and zto2 in status_text(app)
        assert app.screen.has_class("-alerting")  # put it aside: the red alert
        await pilot.press("enter")
        await settle(pilot)
        assert [r[0] for r in rows(app)] == ["SF", "ZTO"]
        assert rows(app)[1][2] == "INTERCEPTED" and rows(app)[1][3] == zto2
        await scan(pilot, "CMD:REMOVE")
        await scan(pilot, zto2)
        assert [r[0] for r in rows(app)] == ["SF"]
        await pilot.press("f3")  # one manifest open: closed at once
        await settle(pilot)
        assert "1 parcels shipped" in status_text(app) and rows(app) == []
