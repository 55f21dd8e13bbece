"""Key hints on the screens follow ``[keys]``: a key moved in the config is the key the hint
names (and the key that works), in English and in Chinese; a code that looks like a key is data
and stays as it is."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine
from textual.widgets import Input, Static

from pickpack import keymap
from pickpack.i18n import set_language
from tests.stations.conftest import make_app, scan, settle, station_config, status
from tests.stations.test_weigh_screen import A, packed


def test_a_hint_names_the_moved_key_and_leaves_the_rest() -> None:
    moved = {"weight": "f11", "cancel": "insert", "override-accept": "ctrl+r"}
    said = keymap.relabel("No scale: F6, type it; Esc stops; F8 accepts; F7 and F6-01 stay",
                          "weigh", moved)
    assert said == "No scale: F11, type it; Insert stops; Ctrl+R accepts; F7 and F6-01 stay"
    assert keymap.relabel("无电子秤：按 F6 输入包裹重量（F6）", "weigh", moved) == \
        "无电子秤：按 F11 输入包裹重量（F11）"


def test_two_keys_swapped_are_both_said_as_moved() -> None:
    moved = {"release": "f4", "hold": "f3"}
    assert keymap.relabel("F3 releases, F4 holds", "desk", moved) == "F4 releases, F3 holds"


def test_a_key_is_labelled_as_the_footer_shows_it() -> None:
    assert [keymap.label(k) for k in ("f6", "escape", "ctrl+r", "shift+f3", "pagedown")] == \
        ["F6", "Esc", "Ctrl+R", "Shift+F3", "PgDn"]


async def test_weigh_with_no_scale_names_the_moved_key_and_it_types_the_weight(
        tmp_path: Path, engine: Engine) -> None:
    config = station_config(tmp_path, station={"id": "T1", "language": "zh_CN"},
                            scale={"port": ""}, keys={"weigh": {"weight": "f11"}})
    packed(config, engine, A)
    app = make_app(config, engine, "weigh")
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            notice = str(app.screen.query_one("#no-scale", Static).render())
            prompt = str(app.screen.query_one("#prompt", Static).render())
            assert "F11" in notice and "F6" not in notice, notice
            await scan(pilot, "OP3001")
            await scan(pilot, A)
            prompt = str(app.screen.query_one("#prompt", Static).render())
            assert "F11" in prompt and "F6" not in prompt, prompt
            field = app.screen.query_one("#typed-weight", Input)
            await pilot.press("f6")  # the old key does nothing now
            await settle(pilot)
            assert not field.has_focus
            await pilot.press("f11")
            await settle(pilot)
            assert field.has_focus, status(pilot)
    finally:
        set_language("en")


async def test_the_returns_grade_line_and_the_pin_say_the_moved_keys(
        tmp_path: Path, engine: Engine) -> None:
    config = station_config(tmp_path, keys={"returns": {"grade-scrap": "shift+f5",
                                                        "cancel": "insert"}})
    app = make_app(config, engine, "returns")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        grade = str(app.screen.query_one("#grade", Static).render())
        assert "Shift+F5 scrap" in grade, grade
        assert "Insert cancels" in app.screen.query_one("#pin", Input).placeholder
        await scan(pilot, "OP9001")
        await pilot.press("shift+f5")
        await settle(pilot)
        grade = str(app.screen.query_one("#grade", Static).render())
        assert "scrap" in grade.split("(")[0], grade


async def test_the_desk_prompt_names_the_moved_keys_and_they_work(tmp_path: Path) -> None:
    from sqlalchemy import update

    from db.engine import write_tx
    from pickpack.core.tables import ORDERS
    from tests.stations.desk_kit import CLERK, NEW, desk_floor

    config = station_config(tmp_path, station={"id": "D1", "mode": "desk", "language": "zh_CN"},
                            keys={"desk": {"ack-remark": "shift+f6", "cancel": "insert"}})
    engine = desk_floor(config)
    with write_tx(engine) as conn:
        conn.execute(update(ORDERS).where(ORDERS.c.order_no == NEW)
                     .values(seller_memo="赠品：小毛巾一条"))
    app = make_app(config, engine, "desk")
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await scan(pilot, CLERK)
            app.screen.query_one("#entry", Input).value = NEW
            await pilot.press("enter")
            await settle(pilot)
            await pilot.press("shift+f6")  # the moved key asks for the gift's SKU
            await settle(pilot)
            prompt = str(app.screen.query_one("#prompt", Static).render())
            assert "Insert 退出" in prompt and "Esc" not in prompt, prompt
            await pilot.press("insert")  # and the moved cancel key stops it
            await settle(pilot)
            prompt = str(app.screen.query_one("#prompt", Static).render())
            assert "赠品" not in prompt, prompt
    finally:
        engine.dispose()
        set_language("en")


async def test_the_pack_cartons_line_names_a_moved_key(tmp_path: Path, engine: Engine) -> None:
    config = station_config(tmp_path, keys={"pack": {"carton-s": "shift+f3"}})
    app = make_app(config, engine, "pack")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        cartons = str(app.screen.query_one("#cartons", Static).render())
        assert "Shift+F3=S" in cartons and "F4=M" in cartons, cartons
