"""A weigh station with no scale (``[scale] port = ""``) is no dead end: it says so in red from
the start, naming the fix, and F6 takes a typed weight a supervisor vouches for (field test)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.cells import cell_len
from sqlalchemy import Engine, select
from textual.widgets import Input, Static

from pickpack.config import Config
from pickpack.core.tables import EVENTS
from pickpack.i18n import set_language
from tests.core.floorkit import SUPERVISOR_PIN
from tests.stations.conftest import feed, make_app, scan, settle, station_config, status, typed
from tests.stations.test_wedge_app import FAST
from tests.stations.test_weigh_screen import A, packed, weight_of

TERMINAL = (80, 24)


@pytest.fixture
def config(tmp_path: Path) -> Iterator[Config]:
    yield station_config(tmp_path, station={"id": "T1", "language": "zh_CN"},
                         scale={"port": ""})
    set_language("en")


def notice(app: object) -> str:
    return str(app.screen.query_one("#no-scale", Static).render())  # type: ignore[attr-defined]


def weighed_payload(engine: Engine) -> dict[str, object]:
    with engine.connect() as conn:
        rows = conn.execute(select(EVENTS.c.payload).where(EVENTS.c.kind == "weighed")).all()
    assert len(rows) == 1, rows
    payload = rows[0].payload
    return json.loads(payload) if isinstance(payload, str) else dict(payload)


def fits(app: object) -> None:
    """Each line of the notice within the body at 80 columns: two lines, none wrapped."""
    shown = app.screen.query_one("#no-scale", Static)  # type: ignore[attr-defined]
    lines = notice(app).splitlines()
    assert len(lines) == 2 and shown.size.height == 2, (shown.size, lines)
    assert all(cell_len(line) <= shown.size.width <= TERMINAL[0] for line in lines), lines


async def test_the_no_scale_notice_fits_80_columns_in_english_too(
        tmp_path: Path, engine: Engine) -> None:
    cfg = station_config(tmp_path, station={"id": "T1"}, scale={"port": ""})
    app = make_app(cfg, engine, "weigh")
    async with app.run_test(size=TERMINAL) as pilot:
        await settle(pilot)
        assert "No scale configured" in notice(app) and "scale.port" in notice(app)
        fits(app)


async def test_no_scale_is_said_in_red_and_a_typed_weight_goes_through_a_supervisor(
        config: Config, engine: Engine) -> None:
    packed(config, engine, A)
    app = make_app(config, engine, "weigh")
    async with app.run_test(size=TERMINAL) as pilot:
        await settle(pilot)
        assert app.scale is None
        text = notice(app)  # before anybody logged in
        assert "未配置电子秤" in text and "scale.port" in text and "workflow.route" in text, text
        fits(app)
        assert "F6" in text, text
        assert app.screen.query_one("#no-scale").styles.background.r == 255
        await scan(pilot, "OP3001")
        assert "未配置电子秤" in notice(app)  # still said after log-in
        await scan(pilot, A)
        prompt = str(app.screen.query_one("#prompt", Static).render())
        assert "F6" in prompt and "放到秤上" not in prompt, prompt
        await pilot.press("f6")
        await settle(pilot)
        field = app.screen.query_one("#typed-weight", Input)
        assert field.has_focus and field.has_class("keyentry")
        await feed(pilot, "957", FAST)  # typed fast: the field's own keys, never a scan
        assert weight_of(engine, A) == ("packed", None)  # not evidence alone
        assert "主管" in status(pilot), status(pilot)
        await typed(pilot, "OP9001")
        await feed(pilot, SUPERVISOR_PIN, FAST)
        await typed(pilot, "R2")
        assert weight_of(engine, A) == ("weighed", 957), status(pilot)
    payload = weighed_payload(engine)
    assert payload["source"] == "manual" and payload["supervisor"] == "OP9001"
    assert payload["reason"] == "R2" and payload["weight_g"] == 957


async def test_a_typed_weight_out_of_band_is_held_as_a_scale_weight_is(
        config: Config, engine: Engine) -> None:
    packed(config, engine, A)
    app = make_app(config, engine, "weigh")
    async with app.run_test(size=TERMINAL) as pilot:
        await settle(pilot)
        await scan(pilot, "OP3001")
        await scan(pilot, A)
        await pilot.press("f6")
        await feed(pilot, "1500", FAST)
        await typed(pilot, "OP9001")
        await feed(pilot, SUPERVISOR_PIN, FAST)
        await typed(pilot, "R2")
        assert app.screen.alerting and weight_of(engine, A) == ("held", 1500)
        await pilot.press("enter")
        await pilot.press("f8")  # the usual accept path, its name in words
        await settle(pilot)
        assert "接受重量" in status(pilot) and "accept_weight" not in status(pilot), status(pilot)
