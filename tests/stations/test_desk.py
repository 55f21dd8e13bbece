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
    set_remark,
    set_state,
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
        assert status(pilot) == ("No order found for nobody (by name or phone only orders in work: "
                                 "find a shipped order by its order no. or tracking no.)")
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


async def test_hold_with_a_reason_from_the_list(app: StationApp, engine: Engine) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await typed(pilot, READY)
        await pilot.press("f4")
        await settle(pilot)
        assert status(pilot) == f"Hold {READY}: why?"
        reasons = app.screen.query_one("#reasons", OptionList)
        assert reasons.has_class("-shown") and app.focused is reasons
        assert str(reasons.get_option_at_index(1).prompt) == "ADDRESS  address to confirm with the buyer"
        await pilot.press("down", "enter")  # ADDRESS
        await settle(pilot)
        assert status(pilot) == f"Order {READY} held (address to confirm with the buyer)"
        assert not reasons.has_class("-shown") and app.focused is app.screen.query_one("#entry")
        assert state(engine, READY) == ("held", "ADDRESS: address to confirm with the buyer")
        (held,) = events(engine, READY, "held")
        assert (held["operator"], held["from"], held["code"], held["desk"]) == (
            CLERK, "ready", "ADDRESS", True)
        assert "Held: ADDRESS" in text_of(pilot, "#order-info")


async def test_hold_with_typed_words_and_a_scanned_code(app: StationApp, engine: Engine) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await typed(pilot, NEW)
        await pilot.press("f4")
        await settle(pilot)
        app.screen.query_one("#entry").focus()
        await typed(pilot, "买家电话确认颜色")
        assert state(engine, NEW) == ("held", "OTHER: other, see the trail — 买家电话确认颜色")
        await typed(pilot, READY)
        await scan(pilot, "CMD:HOLD")
        await scan(pilot, "CMD:R:BUYER")
        assert state(engine, READY) == ("held", "BUYER: the buyer asked to wait")


async def test_hold_refusals(app: StationApp, engine: Engine) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await scan(pilot, "CMD:HOLD")  # no order open (F4 is not in the queue's footer)
        assert status(pilot) == "!! Open an order first: scan or type its number"
        await pilot.press("enter")
        await settle(pilot)
        await typed(pilot, SKU_HELD)
        await scan(pilot, "CMD:HOLD:BUYER")  # already held
        assert status(pilot) == f"!! Order {SKU_HELD} is held: it cannot be held"
        assert [r["code"] for r in events(engine, SKU_HELD, "refused")] == ["cannot_hold"]


async def supervisor(pilot: Pilot[object], badge: str = "OP9001") -> None:
    await scan(pilot, badge)
    pin = pilot.app.screen.query_one("#pin")
    assert pin.has_class("-shown") and pilot.app.focused is pin
    for digit in SUPERVISOR_PIN:
        await pilot.press(digit)
    await pilot.press("enter")
    await settle(pilot)


async def test_release_of_a_station_hold_needs_a_supervisor(app: StationApp,
                                                            engine: Engine) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await typed(pilot, OTHER)
        await pilot.press("f3")
        await settle(pilot)
        await scan(pilot, "CMD:R:FIXED")
        assert status(pilot) == (f"Releasing order {OTHER} (station hold) needs a supervisor's "
                                 "badge and PIN")
        assert [r["code"] for r in events(engine, OTHER, "refused")] == ["needs_supervisor"]
        await supervisor(pilot)
        assert status(pilot) == f"Order {OTHER} released (the problem is solved): now ready  " \
                                "supervisor OP9001"
        assert state(engine, OTHER) == ("ready", "")
        (released,) = events(engine, OTHER, "hold_released")
        assert (released["operator"], released["supervisor"], released["code"]) == (
            CLERK, "OP9001", "FIXED")
        assert OTHER not in " ".join(queue_lines(pilot))


async def test_release_refusals(app: StationApp, engine: Engine) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await typed(pilot, SKU_HELD)  # the audit's hold, its reason still there
        await scan(pilot, "CMD:RELEASE:FIXED")
        assert status(pilot) == (f"!! Order {SKU_HELD} still waits for: unknown SKU: GIFT-X — "
                                 "fix that first")
        await pilot.press("enter")
        await settle(pilot)
        await typed(pilot, OTHER)
        await scan(pilot, "CMD:RELEASE:NOPE")
        assert status(pilot).startswith("!! Unknown reason code NOPE: one of FIXED, BUYER")
        await pilot.press("enter")
        await settle(pilot)
        await scan(pilot, "CMD:RELEASE:FIXED")
        await scan(pilot, "OP2001")  # a verifier's badge
        assert status(pilot) == "!! 王校验 is not a supervisor"
        assert [r["code"] for r in events(engine, SKU_HELD, "refused")] == ["audit_hold"]
        assert [r["code"] for r in events(engine, OTHER, "refused")] == [
            "bad_reason", "needs_supervisor", "not_supervisor"]
        assert state(engine, OTHER)[0] == "held" and state(engine, SKU_HELD)[0] == "held"


async def test_cancel_before_the_floor_by_the_clerk(app: StationApp, engine: Engine) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await typed(pilot, NEW)
        await pilot.press("f7")
        await settle(pilot)
        await scan(pilot, "CMD:R:REFUND")
        assert status(pilot) == f"Order {NEW} cancelled (refunded before shipping)"
        assert state(engine, NEW)[0] == "cancelled"
        (cancelled,) = events(engine, NEW, "cancelled")
        assert (cancelled["operator"], cancelled["code"], cancelled["supervisor"]) == (
            CLERK, "REFUND", None)


async def test_cancel_on_the_floor_needs_a_supervisor(app: StationApp, engine: Engine) -> None:
    set_state(engine, READY, "picking")
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await typed(pilot, READY)
        await pilot.press("f7")
        await settle(pilot)
        await scan(pilot, "CMD:R:BUYER")
        assert status(pilot) == (f"Cancelling order {READY} (on the floor: picking) needs a "
                                 "supervisor's badge and PIN")
        await scan(pilot, "OP9001")
        app.screen.query_one("#pin").value = "0000"  # a wrong PIN
        await pilot.press("enter")
        await settle(pilot)
        assert status(pilot) == "!! Wrong PIN for 陈主管: 4 tries left before the lock"
        assert state(engine, READY)[0] == "picking"
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("f7")
        await settle(pilot)
        await scan(pilot, "CMD:R:BUYER")
        await supervisor(pilot)
        assert status(pilot) == (f"Order {READY} cancelled (the buyer cancelled)  supervisor "
                                 "OP9001  intercepted on the floor")
        (cancelled,) = events(engine, READY, "cancelled")
        assert (cancelled["supervisor"], cancelled["on_floor"]) == ("OP9001", True)


async def test_acknowledge_the_remark(app: StationApp, engine: Engine) -> None:
    set_remark(engine, NEW, "请放发票，不要价格单")
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await typed(pilot, NEW)
        assert "Asks for: invoice, no price list  —  F6 acknowledges" in text_of(pilot, "#remarks")
        await pilot.press("f6")
        await settle(pilot)
        assert status(pilot) == f"Remark of {NEW} acknowledged: invoice, no price list"
        assert f"Acknowledged by {CLERK}" in text_of(pilot, "#remarks")
        (acked,) = events(engine, NEW, "remark_acked")
        assert acked["by"] == CLERK and [a["kind"] for a in acked["actions"]] == [
            "invoice", "no_price"]


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


async def test_the_round_proposes_merges_and_merges_them_first(app: StationApp,
                                                                engine: Engine) -> None:
    from datetime import timedelta

    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.press("f9")  # no round shown yet
        await settle(pilot)
        assert status(pilot) == "!! No merge proposed: F5 shows the round and its merges"
        await pilot.press("enter")
        await settle(pilot)
        app.screen.flow.now = lambda: PAID + timedelta(hours=2, minutes=5)
        await pilot.press("f5")
        await settle(pilot)
        assert "Merge first: 张三:" in text_of(pilot, "#round")
        await pilot.press("f9")
        await settle(pilot)
        assert status(pilot) == f"Merged into parcels: {READY}"
        assert state(engine, NEW)[0] == "merged" and state(engine, SKU_HELD)[0] == "merged"
        (merged,) = events(engine, READY, "merged")
        assert merged["orders"] == [READY, SKU_HELD, NEW] and merged["operator"] == CLERK
        assert "Merge first" not in text_of(pilot, "#round")


async def test_sync_conflicts_are_listed_first(app: StationApp, engine: Engine) -> None:
    from db.engine import write_tx
    from pickpack.core.events import append_event
    from tests.stations.desk_kit import order_id

    oid = order_id(engine, READY)
    with write_tx(engine) as conn:
        append_event(conn, Actor("V2", "OP2001", "verifier"), "sync_conflict", oid,
                     {"event_kind": "verified", "reason": "the order was cancelled there",
                      "central_state": "cancelled", "event_payload": {"from": "picked",
                                                                      "to": "verified"}})
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        lines = queue_lines(pilot)
        assert lines[0].startswith("Sync conflicts (1)  → Done offline, refused by the store")
        assert READY in lines[1] and "V2  verified  the order was cancelled there" in lines[1]
        queue = app.screen.query_one("#queue", OptionList)
        queue.focus()
        queue.highlighted = 1
        await pilot.press("enter")
        await settle(pilot)
        assert pane(pilot) == "order-pane" and READY in text_of(pilot, "#order-title")


async def test_the_floors_own_scans_do_not_read_the_queue_again(app: StationApp) -> None:
    from pickpack.live import Change

    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        screen = app.screen
        screen.take_changes([Change("item_scanned", 1, 900, "V1"), Change("login", None, 901, "V1")])
        assert not screen._busy and not screen._pending  # nothing to read again
        screen.take_changes([Change("held", 1, 902, "V1")])
        assert screen._busy  # the queue is read again
        await settle(pilot)
        await typed(pilot, READY)  # open: its own scans show in its trail
        screen.take_changes([Change("item_scanned", 1, 903, "V1")])
        assert screen._busy
        await settle(pilot)
