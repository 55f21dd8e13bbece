"""Verify's F5 Hold asks a reason (typed into its key-entry field or scanned as a reason code)
and leaves no stale count prompt; a picker verifying their own basket sees a yellow notice."""

from __future__ import annotations

from sqlalchemy import Engine, insert, select
from textual.widgets import Input, Static

from db.engine import write_tx
from pickpack.config import Config
from pickpack.core.context import Floor
from pickpack.core.flows.modes import PickFlow
from pickpack.core.tables import OPERATORS, ORDERS
from pickpack.scan import Scan
from tests.stations.conftest import ORDER, SIZE, make_app, scan, settle
from tests.stations.test_verify import picked


def _prompt(app: object) -> str:
    return str(app.screen.query_one("#prompt", Static).render())  # type: ignore[attr-defined]


def _held(engine: Engine) -> tuple[str, str]:
    with engine.connect() as conn:
        row = conn.execute(select(ORDERS.c.state, ORDERS.c.hold_reason)
                           .where(ORDERS.c.order_no == ORDER)).one()
    return row.state, row.hold_reason


async def test_f5_hold_asks_a_typed_reason_and_clears_the_prompt(config: Config,
                                                                 engine: Engine) -> None:
    picked(config, engine)
    app = make_app(config, engine, "verify")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await scan(pilot, "OP2001")
        await scan(pilot, "B001")
        assert "(0/3)" in _prompt(app)
        await pilot.press("f5")
        await settle(pilot)
        field = app.screen.query_one("#hold-reason", Input)
        assert field.has_class("-shown") and field.has_class("keyentry") and field.has_focus
        assert "reason" in _prompt(app) and "Scan the items" not in _prompt(app)
        assert _held(engine)[0] == "picked"  # nothing held before the reason
        await pilot.press(*"box torn", "enter")
        await settle(pilot)
        assert _held(engine) == ("held", "box torn")
        assert "Scan the items" not in _prompt(app) and "express slip" in _prompt(app)
        assert not field.has_class("-shown")
        assert app.screen.query_one("#entry", Input).has_focus


async def test_f5_hold_takes_a_scanned_reason_code(config: Config, engine: Engine) -> None:
    picked(config, engine)
    app = make_app(config, engine, "verify")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await scan(pilot, "OP2001")
        await scan(pilot, "B001")
        await pilot.press("f5")
        await settle(pilot)
        app.screen.query_one("#entry", Input).focus()  # the scanner's burst goes to the entry
        await scan(pilot, "CMD:HOLD:H2")
        assert _held(engine) == ("held", "item missing from the basket")
        assert "Scan the items" not in _prompt(app)


async def test_own_pick_shows_a_yellow_notice(config: Config, engine: Engine) -> None:
    with write_tx(engine) as conn:
        conn.execute(insert(OPERATORS).values(code="OP5001", name="周全能", role="picker",
                                              roles="picker,verifier", active=True))
    flow = PickFlow(Floor(engine, config), "P1")
    for code in ("OP5001", "B001", ORDER, "CMD:DONE"):
        assert flow.handle(Scan(code)).ok
    app = make_app(config, engine, "verify")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await scan(pilot, "OP5001")
        await scan(pilot, "B001")
        notice = app.screen.query_one("#notice", Static)
        assert notice.has_class("-shown") and "yourself" in str(notice.render())
        assert app.screen.query_one("#status").has_class("-ok")


async def test_f5_then_a_scanned_reason_code_into_the_reason_field_holds_with_its_words(
        config: Config, engine: Engine) -> None:
    """Field test: after F5 the reason field has the focus, so the sheet's CMD:HOLD:H1 lands
    in it; it is the code's reason that is kept, not the scanned text, and the prompt lists
    the codes with their words."""
    picked(config, engine)
    app = make_app(config, engine, "verify")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await scan(pilot, "OP2001")
        await scan(pilot, "B001")
        await pilot.press("f5")
        await settle(pilot)
        assert app.screen.query_one("#hold-reason", Input).has_focus
        assert "H1 item damaged" in _prompt(app) and "H2 item missing" in _prompt(app)
        await scan(pilot, "CMD:HOLD:H1")
        assert _held(engine) == ("held", "item damaged")
        assert app.screen.query_one("#entry", Input).has_focus
