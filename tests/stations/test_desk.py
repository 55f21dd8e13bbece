"""The desk screen (issue 16 item 1): the audit queue by reason with the fix, search by any
key, one order's picture, hold with a reason, a supervisor's release, the audit round, and the
floor's changes arriving live. Each action's event and each refusal is asserted."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from textual.pilot import Pilot
from textual.widgets import ContentSwitcher, DataTable, OptionList, Static

from pickpack.app import StationApp
from pickpack.config import Config
from pickpack.core.context import Floor
from pickpack.core.events import Actor
from pickpack.core.overrides import hold
from pickpack.i18n import set_language
from tests.core.floorkit import PAID, SUPERVISOR_PIN
from tests.stations.conftest import make_app, scan, settle, status, typed
from tests.stations.desk_kit import (
    ADDR_HELD,
    CLERK,
    NEW,
    OTHER,
    READY,
    SKU_HELD,
    bind_basket,
    desk_config,
    desk_floor,
    events,
    state,
)
from tests.stations.test_live import until

SIZE = (80, 24)


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return desk_config(tmp_path)


@pytest.fixture
def engine(config: Config) -> Iterator[Engine]:
    eng = desk_floor(config)
    yield eng
    eng.dispose()
    set_language("en")


@pytest.fixture
def app(config: Config, engine: Engine) -> StationApp:
    return make_app(config, engine, "desk")


def pane(pilot: Pilot[object]) -> str:
    return str(pilot.app.screen.query_one("#panes", ContentSwitcher).current)


def queue_lines(pilot: Pilot[object]) -> list[str]:
    queue = pilot.app.screen.query_one("#queue", OptionList)
    return [str(queue.get_option_at_index(i).prompt) for i in range(queue.option_count)]


def text_of(pilot: Pilot[object], selector: str) -> str:
    return str(pilot.app.screen.query_one(selector, Static).render())


async def login(pilot: Pilot[object]) -> None:
    await settle(pilot)
    await scan(pilot, CLERK)


async def test_queue_shows_nothing_before_the_badge(app: StationApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert queue_lines(pilot) == []
        await login(pilot)
        lines = queue_lines(pilot)
        assert lines[0].startswith("Not audited yet (1)  → The audit round takes it (F5)")
        assert any(line.startswith("Unknown SKU (1)  → Import the catalog") for line in lines)
        assert any(line.startswith("Address incomplete (1)") for line in lines)
        assert any(line.startswith("Held at a station or by hand (1)") for line in lines)
        sku_at = next(i for i, line in enumerate(lines) if line.startswith("Unknown SKU"))
        assert SKU_HELD in lines[sku_at + 1] and "unknown SKU: GIFT-X" in lines[sku_at + 1]
        assert READY not in " ".join(lines)  # released: not in the queue
        assert "4 orders not ready" in text_of(pilot, "#round")


async def test_a_queue_row_opens_the_order(app: StationApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        queue = app.screen.query_one("#queue", OptionList)
        queue.focus()
        queue.highlighted = next(i for i, line in enumerate(queue_lines(pilot)) if ADDR_HELD in line)
        await pilot.press("enter")
        await settle(pilot)
        assert pane(pilot) == "order-pane"
        assert "Held: address incomplete: street" in text_of(pilot, "#order-info")


async def test_search_by_each_key_opens_the_one_order(app: StationApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        for key, opened in ((SKU_HELD, SKU_HELD), ("70000000000000", READY), ("B001", READY),
                            ("小明的店", OTHER), ("王五", OTHER), ("6789", OTHER),
                            ("021-5555 6789", OTHER)):
            if key == "B001":
                bind_basket(app.engine, "B001", READY)
            await typed(pilot, key)
            assert pane(pilot) == "order-pane", key
            assert opened in text_of(pilot, "#order-title"), key
            assert status(pilot) == f"Order {opened}"
            await pilot.press("f8")
            await settle(pilot)
            assert pane(pilot) == "queue-pane"


async def test_several_hits_are_listed_and_one_is_chosen(app: StationApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await typed(pilot, "1234")  # the phone of four orders
        assert status(pilot) == "4 orders found for 1234: choose one"
        assert pane(pilot) == "hits"
        hits = app.screen.query_one("#hits", DataTable)
        assert hits.row_count == 4
        assert [str(c) for c in hits.get_row_at(0)] == [
            READY, "ready", "张三", "*******1234", "phone, last 4"]
        hits.focus()
        hits.move_cursor(row=3)
        await pilot.press("enter")
        await settle(pilot)
        assert pane(pilot) == "order-pane" and NEW in text_of(pilot, "#order-title")
        await pilot.press("f8")  # back to the queue
        await settle(pilot)
        assert pane(pilot) == "queue-pane" and app.screen.flow.order is None


async def test_nothing_found_says_so(app: StationApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await typed(pilot, "nobody")
        assert status(pilot) == "No order found for nobody"
        assert pane(pilot) == "queue-pane"


async def test_order_view_has_lines_remarks_trail_and_slips(app: StationApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await typed(pilot, READY)
        assert "Buyer remark: 送个小礼物" in text_of(pilot, "#remarks")
        lines = app.screen.query_one("#lines", DataTable)
        assert [str(c) for c in lines.get_row_at(0)] == ["TEE-BK-XL", "T恤", "", "1", "A-01-02"]
        trail = app.screen.query_one("#trail", DataTable)
        assert [str(c) for c in trail.get_row_at(0)][1:3] == ["released", "seed"]
        assert app.screen.query_one("#slips", DataTable).row_count == 0


async def test_hold_with_a_reason_from_the_picker(app: StationApp, engine: Engine) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await typed(pilot, READY)
        await pilot.press("f4")
        await settle(pilot)
        reasons = app.screen.query_one("#hold-reasons", OptionList)
        assert reasons.has_class("-shown") and app.focused is reasons
        await pilot.press("down", "enter")  # D2
        await settle(pilot)
        assert status(pilot) == f"Order {READY} held: buyer asked to wait"
        assert not reasons.has_class("-shown")
        assert state(engine, READY) == ("held", "buyer asked to wait")
        (held,) = events(engine, READY, "held")
        assert (held["operator"], held["from"], held["reason"]) == (CLERK, "ready",
                                                                    "buyer asked to wait")


async def test_hold_with_a_typed_reason_and_a_scanned_code(app: StationApp,
                                                           engine: Engine) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await typed(pilot, NEW)
        await pilot.press("f4")
        await settle(pilot)
        app.screen.query_one("#entry").focus()
        await typed(pilot, "买家电话确认颜色")
        assert state(engine, NEW) == ("held", "买家电话确认颜色")
        await typed(pilot, READY)
        await scan(pilot, "CMD:HOLD:D5")
        assert state(engine, READY) == ("held", "suspected fraud or risky buyer")


async def test_hold_refusals(app: StationApp, engine: Engine) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.press("f4")  # no order open
        await settle(pilot)
        assert status(pilot) == "!! Open an order first: scan or type its number"
        await pilot.press("enter")
        await settle(pilot)
        await typed(pilot, SKU_HELD)
        await scan(pilot, "CMD:HOLD:D1")  # already held
        assert status(pilot) == f"!! Order {SKU_HELD} is held"
        refused = events(engine, SKU_HELD, "refused")
        assert [r["code"] for r in refused] == ["cannot_hold"]


async def supervisor_release(pilot: Pilot[object], order_no: str, reason: str) -> None:
    await typed(pilot, order_no)
    await pilot.press("f3")
    await settle(pilot)
    assert status(pilot) == "Override release_hold: supervisor, scan your badge"
    await scan(pilot, "OP9001")
    pin = pilot.app.screen.query_one("#pin")
    assert pin.has_class("-shown") and pilot.app.focused is pin
    for digit in SUPERVISOR_PIN:
        await pilot.press(digit)
    await pilot.press("enter")
    await settle(pilot)
    assert status(pilot) == "Supervisor 陈主管: scan a reason code"
    await scan(pilot, f"CMD:R:{reason}")


async def test_release_by_a_supervisor(app: StationApp, engine: Engine) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await supervisor_release(pilot, OTHER, "R4")
        assert status(pilot) == "Hold released by supervisor"
        assert state(engine, OTHER) == ("ready", "")
        (override,) = events(engine, OTHER, "override")
        assert (override["operator"], override["supervisor"], override["reason"],
                override["override"]) == (CLERK, "OP9001", "R4", "release_hold")
        assert OTHER not in " ".join(queue_lines(pilot))


async def test_release_refusals(app: StationApp, engine: Engine) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await typed(pilot, READY)
        await pilot.press("f3")
        await settle(pilot)
        await scan(pilot, "OP2001")  # a verifier's badge
        assert status(pilot) == "!! 王校验 is not a supervisor"
        await pilot.press("enter")
        await settle(pilot)
        await supervisor_release(pilot, READY, "R4")
        assert status(pilot) == f"!! Order {READY} is not held"
        assert [r["code"] for r in events(engine, READY, "refused")] == ["not_held"]
        assert state(engine, READY) == ("ready", "")


async def test_audit_round_shows_first_and_releases_on_the_second_key(
        app: StationApp, engine: Engine) -> None:
    from datetime import timedelta

    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        app.screen.flow.now = lambda: PAID + timedelta(hours=2, minutes=5)  # 19:05 Shanghai
        await pilot.press("f5")
        await settle(pilot)
        assert status(pilot) == "Round 19:00: 1 orders paid before 18:30; merges proposed: 1"
        assert text_of(pilot, "#round") == (
            "Round 19:00: 1 paid before 18:30, 0 wait for the next round  Merge first: 张三: "
            f"{READY} + {SKU_HELD} + {NEW}")
        assert state(engine, NEW)[0] == "new"
        await pilot.press("f5")
        await settle(pilot)
        assert status(pilot) == "Round released: 1 ready, 0 held, 0 holds cleared"
        assert state(engine, NEW) == ("ready", "")
        assert [e["kind"] for e in events(engine, NEW)] == ["released"]
        assert not any(NEW in line for line in queue_lines(pilot))


async def test_the_floor_changes_arrive_live(app: StationApp, config: Config,
                                             engine: Engine) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        hold(Floor(engine, config), Actor("V1", "OP2001", "verifier"), 1, "item damaged")
        await until(pilot, lambda: "Held at a station or by hand (2)" in " ".join(
            queue_lines(pilot)))
        await typed(pilot, OTHER)
        hold_trail = app.screen.query_one("#trail", DataTable).row_count
        Floor(engine, config).run(Actor("V1", "OP2001"), lambda conn: _note(conn))
        await until(pilot, lambda: app.screen.query_one("#trail", DataTable).row_count
                    == hold_trail + 1)
        assert status(pilot) == f"Order {OTHER} was changed at another station"


def _note(conn: object) -> None:
    from pickpack.core.events import append_event

    append_event(conn, Actor("V1", "OP2001"), "note", 5, {"reason": "看过了"})  # type: ignore[arg-type]
