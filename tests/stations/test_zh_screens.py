"""Chinese everywhere (issue 20.1): every station screen walked in zh_CN through a few real
scans shows no English word a person would have to read. What may stay ASCII is what a person
scans or copies, not reads: codes (SKUs, order and tracking numbers, badges, baskets, bins,
command barcodes' own text), numbers and their units, and the footer's key names."""

from __future__ import annotations

import html
import re
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from textual.pilot import Pilot

from pickpack.app import StationApp
from pickpack.app.messages import WeightRead
from pickpack.config import Config
from pickpack.core.desk.reasons import TABLES
from pickpack.core.pack import CARTONS
from pickpack.devices.scale.reading import Reading
from pickpack.i18n import set_language
from tests.stations.conftest import MUG, ORDER, SOCKS, TEE, feed, make_app, settle, station_config
from tests.stations.desk_kit import CLERK, READY, desk_floor
from tests.stations.test_returns import RETURN_TRACKING, shipped_with_return
from tests.stations.test_stations import walk

TERMINAL = (80, 24)
Steps = Callable[[Pilot[object]], Awaitable[None]]

ALLOWED = {
    "PickPack",  # the product's name, on the chooser's title
    "SF", "ZTO", "YTO", "YD", "STO", "JD", "EMS",  # courier codes, printed on the waybills too
    "PIN",  # the supervisor's PIN: the word on the PIN pad's keys and on every badge card
    "OK",  # the scale's and the printer's own display word, as on the devices
}
"""ASCII words a zh_CN screen may show, each one for the reason beside it."""
SCANNED = {*CARTONS, *(code for table in TABLES.values() for code in table)}
"""Codes a person scans or types, shown beside their words: carton sizes (``CMD:CARTON:XL``,
printed on the carton shelf) and the desk's reason codes (``CMD:R:BUYER``, ``--reason BUYER``)."""

UNITS = {"g", "kg", "mm", "cm", "ms", "s", "x"}
KEYS = re.compile(r"^(f\d{1,2}|esc|enter|tab|del|space|\^[a-z])$", re.IGNORECASE)
CODE = re.compile(r"^(?=.*[\d:_\-/.])[A-Za-z0-9:_\-/.+#]+$|^[A-Z]{2,}\d|^CMD")
"""A token with a digit or a separator in it is a code (TEE-BK-XL, OP2001, CMD:DONE, A-01-02),
never a word a person reads."""
WORD = re.compile(r"[A-Za-z][A-Za-z0-9:_\-/.+#]*")


def screen_text(svg: str) -> str:
    """The text a person sees, one line per SVG text row (see test_console.screen_glyphs)."""
    return html.unescape("".join(re.findall(r">([^<]*)</text>", svg))).replace("\xa0", " ")


def english_words(text: str) -> list[str]:
    """ASCII words left on a screen outside codes, units, key names and the allow-list."""
    left = []
    for token in WORD.findall(text):
        token = token.rstrip(":.-/")
        if len(token) < 2 or token in ALLOWED | SCANNED or token.lower() in UNITS \
                or KEYS.match(token):
            continue
        if CODE.match(token):
            continue
        left.append(token)
    return left


def test_the_word_filter_catches_english_and_spares_codes() -> None:
    """The check is worth something: an English word fails it, a code does not."""
    assert english_words("状态为 unpaid：应在 pick 处理 打印机：ok") == ["unpaid", "pick", "ok"]
    assert english_words("TEE-BK-XL ×2 B001 OP2001 CMD:DONE 956 g f2 退出 ^q SF1300000000001") == []


def test_a_refusal_says_states_stations_and_audit_reasons_in_chinese() -> None:
    """What the trail keeps stays the code; what the station says is in words."""
    from pickpack.core.refusal import Refusal

    set_language("zh_CN")
    try:
        wrong = Refusal("wrong_station", "Order {order_no} is {state}: it belongs at {station}, "
                        "not {here}", order_no="X1", state="ready", station="pick", here="pack")
        held = Refusal("held", "Order {order_no} is held: {reason}", order_no="X1",
                       reason="address incomplete: street, receiver_phone")
        typed = Refusal("held", "Order {order_no} is held: {reason}", order_no="X1",
                        reason="call the buyer first")
        assert wrong.text() == "订单 X1 状态为 已放行：应在 拣货 处理，而不是 打包"
        assert held.text() == "订单 X1 已挂起：地址不全：详细地址, 收件电话"
        remark = Refusal("held", "Order {order_no} is held: {reason}", order_no="X1",
                         reason="remark to acknowledge: gift, no_price")
        assert remark.text() == "订单 X1 已挂起：留言待确认：赠品, 不放价格单"
        assert typed.text() == "订单 X1 已挂起：call the buyer first"  # typed by a person: as typed
        assert wrong.params["state"] == "ready" and held.params["reason"].startswith("address")
    finally:
        set_language("en")
    assert wrong.text() == "Order X1 is ready: it belongs at Pick, not Pack"


async def run(app: StationApp, steps: Steps, data: tuple[str, ...] = ()) -> list[str]:
    """The English words on the screen after each step; ``data``: text the floor's own data
    holds (a reason a person typed, an operator's name), shown as written, taken out first."""
    async with app.run_test(size=TERMINAL) as pilot:
        await settle(pilot)
        seen: list[str] = []
        for step in steps(pilot):  # type: ignore[attr-defined]
            await step
            await settle(pilot)
            text = screen_text(app.export_screenshot())
            for written in data:
                text = text.replace(written, "")
            seen += [f"{w}  ⟵ {line.strip()[:70]}" for line in text.splitlines()
                     for w in english_words(line)]
        return seen


def scanned(*codes: str) -> Callable[[Pilot[object]], Iterator[Awaitable[None]]]:
    def steps(pilot: Pilot[object]) -> Iterator[Awaitable[None]]:
        yield settle(pilot)
        for code in codes:
            yield feed(pilot, code, 0.001)
    return steps


@pytest.fixture
def config(tmp_path: Path) -> Iterator[Config]:
    """The station in Chinese (conftest's ``engine`` seeds its floor)."""
    yield station_config(tmp_path, station={"id": "T1", "language": "zh_CN"})
    set_language("en")


STATIONS = {
    "pick": ("OP1001", "B001", ORDER, "CMD:DONE", "6900000000001"),
    "verify": ("OP2001", "B001", TEE, SOCKS),
    "pack": ("OP3001", "3900000000000000001", "CMD:OK", ORDER, "CMD:CARTON:M"),  # one unpicked
    "ship": ("OP3001", "<tracking>", "CMD:CLOSE"),
}


@pytest.mark.parametrize("mode", list(STATIONS))
async def test_a_station_screen_in_chinese_has_no_english_word(
        mode: str, config: Config, engine: Engine) -> None:
    tracking = walk(config, engine, mode)
    codes = [tracking if c == "<tracking>" else c for c in STATIONS[mode]]
    seen = await run(make_app(config, engine, mode), scanned(*codes))
    assert not seen, "\n".join(seen)


async def test_the_weigh_screen_in_chinese_has_no_english_word(
        config: Config, engine: Engine) -> None:
    tracking = walk(config, engine, "weigh")

    def steps(pilot: Pilot[object]) -> Iterator[Awaitable[None]]:
        yield from scanned("OP3001", tracking)(pilot)
        pilot.app.post_message(WeightRead(Reading(0.956, True, "kg", "ST,GS,+   0.956kg")))
        yield settle(pilot)
        pilot.app.post_message(WeightRead(Reading(2.400, True, "kg", "ST,GS,+   2.400kg")))
        yield settle(pilot)

    seen = await run(make_app(config, engine, "weigh"), steps)
    assert not seen, "\n".join(seen)


async def test_the_returns_screen_in_chinese_has_no_english_word(
        config: Config, engine: Engine) -> None:
    shipped_with_return(config, engine)

    def steps(pilot: Pilot[object]) -> Iterator[Awaitable[None]]:
        yield from scanned("OP9001", RETURN_TRACKING, MUG)(pilot)
        yield pilot.press("f7")

    seen = await run(make_app(config, engine, "returns"), steps)
    assert not seen, "\n".join(seen)


async def test_the_desk_screen_in_chinese_has_no_english_word(tmp_path: Path) -> None:
    config = station_config(tmp_path, station={"id": "D1", "mode": "desk", "language": "zh_CN"})
    engine = desk_floor(config)

    def steps(pilot: Pilot[object]) -> Iterator[Awaitable[None]]:
        yield from scanned(CLERK)(pilot)
        yield pilot.press("f5")
        yield pilot.press("escape")
        yield feed(pilot, READY, 0.001)
        yield pilot.press("f4")

    try:
        # desk_kit's order held at a station by a person, and its seeding operator, "seed"
        seen = await run(make_app(config, engine, "desk"), steps, data=("item damaged", "seed"))
    finally:
        engine.dispose()
        set_language("en")
    assert not seen, "\n".join(seen)


async def test_the_chooser_in_chinese_has_no_english_word(config: Config, engine: Engine) -> None:
    """The list names each station by its mode too: the code ``station.mode`` and
    ``pickpack run MODE`` take, typed by whoever sets the terminal up."""
    from stations import MODES

    app = make_app(config, engine, None)
    seen = [w for w in await run(app, scanned()) if w.split()[0] not in MODES]
    assert not seen, "\n".join(seen)
