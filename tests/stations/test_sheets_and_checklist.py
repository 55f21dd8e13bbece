"""Command sheets for the returns and desk stations; the packer's checklist at pack."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine
from textual.widgets import Static

from db.engine import write_tx
from pickpack.config import Config
from pickpack.core.orders import find_order_id
from tests.stations.conftest import ORDER, feed, make_app, settle
from tests.stations.test_stations import walk


@pytest.mark.parametrize(("mode", "title"), [("returns", "退货"), ("desk", "审单台")])
def test_print_commands_for_the_returns_and_desk_stations(mode: str, title: str,
                                                          tmp_path: Path) -> None:
    from pickpack.commands import station_commands
    from pickpack.i18n import _, set_language
    from tests.printers.test_cli_print import run

    out = tmp_path / mode
    assert run("print", "commands", "--station", mode, "--language", "zh_CN", "--printer",
               f"preview://{out}") == 0
    text = (out / f"commands-{mode}.txt").read_text(encoding="utf-8")
    set_language("zh_CN")
    try:
        labels = [_(spec.label) for spec in station_commands(mode)]
        station = _({"returns": "Returns", "desk": "Desk"}[mode])
    finally:
        set_language("en")
    assert station == title and title in text
    assert labels and all(label in text for label in labels)


async def test_the_packer_sees_the_invoice_no_price_and_gift_message(
        config: Config, engine: Engine) -> None:
    from pickpack.core.desk.rows import set_desk

    walk(config, engine, "pack")
    with write_tx(engine) as conn:
        order_id = find_order_id(conn, ORDER)
        assert order_id is not None
        set_desk(conn, order_id, invoice=True, no_price=True, gift_message="生日快乐[/]")
    app = make_app(config, engine, "pack")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        for code in ("OP3001", ORDER):
            await feed(pilot, code, 0.001)
        await settle(pilot)
        box = app.screen.query_one("#checklist", Static)
        shown = str(box.render())
        assert box.has_class("-has")
        assert "Invoice" in shown and "without prices" in shown and "生日快乐[/]" in shown
