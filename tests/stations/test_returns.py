"""The returns station (issue 18.1): a registered return received and restocked, a damaged
unit quarantined, a count that differs from the declaration opening a case, and a parcel with
no registration received all the same with a case; the screen at 80×24."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import Engine, select
from textual.widgets import DataTable, Static

from db.engine import write_tx
from pickpack.config import Config
from pickpack.core.aftersales.returns import register_return
from pickpack.core.aftersales.tables import CASES, INSTRUCTIONS, RETURN_ITEMS, TRACKING
from pickpack.core.context import Floor
from pickpack.core.events import Actor, now
from pickpack.core.tables import EVENTS, ORDERS, SKUS
from tests.core.floorkit import ship_through
from tests.stations.conftest import MUG, ORDER, TEE, feed, make_app, settle, status

RETURN_TRACKING = "SF1300000000001"


async def scan(pilot, code: str) -> None:  # noqa: ANN001
    """A scanner burst stamped 1 ms a key (quicker than pressing key by key)."""
    await feed(pilot, code, 0.001)
TERMINAL = (80, 24)


def shipped_with_return(config: Config, engine: Engine, declared: int = 1,
                        delivered: bool = True) -> None:
    """ORDER shipped, delivered two days ago (or no delivery known); its buyer registered a
    return of ``declared`` mugs (the reason: 不想要了)."""
    floor = Floor(engine, config)
    ship_through(floor, ORDER)
    with write_tx(engine) as conn:
        oid, tracking = conn.execute(select(ORDERS.c.id, ORDERS.c.tracking_no)
                                     .where(ORDERS.c.order_no == ORDER)).one()
        if delivered:
            conn.execute(TRACKING.insert().values(tracking_no=tracking, at=now() - timedelta(days=2),
                                                  status="已签收", place="杭州",
                                                  state="delivered", imported_at=now()))
        register_return(conn, Actor("D1", "desk"), oid, tracking_no=RETURN_TRACKING,
                        reason="不想要了", declared=[{"sku": "MUG-WH", "qty": declared}])


def on_hand(engine: Engine, sku: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(SKUS.c.on_hand).where(SKUS.c.sku == sku)).scalar_one())


def order_state(engine: Engine) -> str:
    with engine.connect() as conn:
        return str(conn.execute(select(ORDERS.c.state).where(ORDERS.c.order_no == ORDER))
                   .scalar_one())


def cases(engine: Engine) -> list[tuple[str, str]]:
    with engine.connect() as conn:
        return [(r.kind, r.claim) for r in conn.execute(select(CASES).order_by(CASES.c.id))]


async def test_a_registered_return_is_restocked_and_finance_told(config: Config,
                                                                 engine: Engine) -> None:
    shipped_with_return(config, engine)
    before = on_hand(engine, "MUG-WH")
    app = make_app(config, engine, "returns")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await scan(pilot, "OP9001")
        await scan(pilot, RETURN_TRACKING)
        assert "不想要了" in status(pilot)
        screen = app.screen
        reason = str(screen.query_one("#return-reason", Static).render())
        assert "day 3 of 7" in reason
        assert "picked by OP1001" in str(screen.query_one("#return-trail", Static).render())
        await scan(pilot, MUG)
        assert "MUG-WH ✓ restock" in status(pilot)
        table = screen.query_one("#return-lines", DataTable)
        assert [str(c) for c in table.get_row_at(1)] == ["MUG-WH", "2", "1", "1 restock"]
        await pilot.press("f7")
        await settle(pilot)
        assert "finance is told to refund" in status(pilot)
    assert on_hand(engine, "MUG-WH") == before + 1
    assert order_state(engine) == "partly_returned" and cases(engine) == []
    with engine.connect() as conn:
        kinds = list(conn.execute(select(EVENTS.c.kind).order_by(EVENTS.c.id)).scalars())
        assert conn.execute(select(INSTRUCTIONS.c.order_no)).scalars().all() == [ORDER]
    assert {"return_arrived", "return_item_received", "stock_returned", "return_received",
            "returned", "refund_instructed"} <= set(kinds)


async def test_a_damaged_unit_is_quarantined_not_restocked(config: Config,
                                                           engine: Engine) -> None:
    shipped_with_return(config, engine)
    before = on_hand(engine, "MUG-WH")
    app = make_app(config, engine, "returns")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await scan(pilot, "OP9001")
        await scan(pilot, ORDER)  # the original order's number finds the registered return
        await pilot.press("f6")
        await pilot.press(*"杯口裂了", "enter")
        await settle(pilot)
        await pilot.press("f4")
        await settle(pilot)
        assert app.screen.query_one("#grade").has_class("-quarantine")
        await scan(pilot, MUG)
        assert "quarantine" in status(pilot)
        await pilot.press("f7")
        await settle(pilot)
    assert on_hand(engine, "MUG-WH") == before
    with engine.connect() as conn:
        assert [(r.sku, r.grade, r.note) for r in conn.execute(select(RETURN_ITEMS))] == [
            ("MUG-WH", "quarantine", "杯口裂了")]


async def test_more_than_declared_is_flagged_and_opens_a_case(config: Config,
                                                              engine: Engine) -> None:
    shipped_with_return(config, engine, declared=1)
    app = make_app(config, engine, "returns")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await scan(pilot, "OP9001")
        await scan(pilot, RETURN_TRACKING)
        await scan(pilot, MUG)
        await scan(pilot, TEE)  # not declared
        assert app.screen.query_one("#status").has_class("-alert")
        assert "NOT DECLARED: TEE-BK-XL" in status(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("f7")
        await settle(pilot)
        assert "RETURN DIFFERS: TEE-BK-XL: declared 0, received 1" in status(pilot)
    assert cases(engine) == [("return_mismatch", "TEE-BK-XL: declared 0, received 1")]


async def test_a_parcel_with_no_registration_is_received_with_a_case(config: Config,
                                                                     engine: Engine) -> None:
    ship_through(Floor(engine, config), ORDER)
    app = make_app(config, engine, "returns")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await scan(pilot, "OP9001")
        await scan(pilot, MUG)  # an item before any parcel: refused
        assert "scan the return parcel first" in status(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await scan(pilot, "SF1399999999999")  # not known to the store: a return parcel
        assert "NO REGISTRATION" in status(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await scan(pilot, MUG)
        assert app.screen.query_one("#status").has_class("-ok")
        await pilot.press("f7")
        await settle(pilot)
    assert [k for k, _c in cases(engine)] == ["unregistered_return"]
    with engine.connect() as conn:
        opened = json.loads(conn.execute(select(EVENTS.c.payload).where(
            EVENTS.c.kind == "case_opened")).scalar_one())
    assert opened["tracking_no"] == "SF1399999999999"


def test_returns_screen_snapshot(snap_compare, config: Config, engine: Engine) -> None:  # noqa: ANN001
    shipped_with_return(config, engine, delivered=False)  # no clock on the screen

    async def run_before(pilot) -> None:  # noqa: ANN001
        await settle(pilot)
        for code in ("OP9001", RETURN_TRACKING, MUG):
            await feed(pilot, code, 0.001)
        await settle(pilot)

    app = make_app(config, engine, "returns")
    assert snap_compare(app, terminal_size=TERMINAL, run_before=run_before)


async def test_a_reason_with_markup_is_shown_as_it_is(config: Config, engine: Engine) -> None:
    ship_through(Floor(engine, config), ORDER)
    with write_tx(engine) as conn:
        oid = conn.execute(select(ORDERS.c.id).where(ORDERS.c.order_no == ORDER)).scalar()
        register_return(conn, Actor("D1", "desk"), oid, tracking_no=RETURN_TRACKING,
                        reason="[/] 坏了 [bold]\x1b[2J")
    app = make_app(config, engine, "returns")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await scan(pilot, "OP9001")
        await scan(pilot, RETURN_TRACKING)
        shown = str(app.screen.query_one("#return-reason", Static).render())
        assert "[/] 坏了 [bold]␛[2J" in shown
