"""The ship screen at 80x24: manifests per courier side by side, the left-behind list whole."""

from __future__ import annotations

import html
import re

from sqlalchemy import Engine, select, update

from db.engine import write_tx
from pickpack.config import Config
from pickpack.core.tables import ORDERS
from pickpack.printing.queue import PrintQueue
from tests.stations.conftest import make_app, settle

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
