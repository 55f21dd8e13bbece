"""F6 on a remark's gift the catalog does not know (field test: memo ``赠品：小毛巾一条``, empty
``[desk.gifts]``) asks for the gift's SKU at the desk, in the code entry (the one field on the
screen): typed, the gift item's barcode scanned, or 0 for no gift; then the ack as
``order ack --gift`` does it (one ``remark_acked`` event, the gift line on the order)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, update
from textual.widgets import Input

from db.engine import write_tx
from pickpack.app import StationApp
from pickpack.config import Config
from pickpack.core.tables import LINES, ORDERS
from pickpack.i18n import set_language
from tests.stations.conftest import make_app, scan, settle, status
from tests.stations.desk_kit import CLERK, NEW, desk_config, desk_floor, events, order_id

SIZE = (80, 24)
MEMO = "赠品：小毛巾一条"


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return desk_config(tmp_path, language="zh_CN")


@pytest.fixture
def engine(config: Config) -> Iterator[Engine]:
    eng = desk_floor(config)
    with write_tx(eng) as conn:
        conn.execute(update(ORDERS).where(ORDERS.c.order_no == NEW).values(seller_memo=MEMO))
    yield eng
    eng.dispose()
    set_language("en")


@pytest.fixture
def app(config: Config, engine: Engine) -> StationApp:
    return make_app(config, engine, "desk")


def skus(engine: Engine, order_no: str) -> list[tuple[str, int, float]]:
    with engine.connect() as conn:
        return [(r.sku, r.qty, float(r.price or 0)) for r in conn.execute(
            select(LINES.c.sku, LINES.c.qty, LINES.c.price)
            .where(LINES.c.order_id == order_id(engine, order_no)).order_by(LINES.c.id))]


async def ask_for_the_gift(pilot: object, app: StationApp) -> Input:
    await scan(pilot, CLERK)  # type: ignore[arg-type]
    field = app.screen.query_one("#entry", Input)
    field.value = NEW
    await pilot.press("enter")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    await pilot.press("f6")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    entry = app.screen.query_one("#entry", Input)
    assert app.focused is entry
    assert status(pilot) == "备注「赠品：小毛巾一条」里的赠品是哪个 SKU？"  # type: ignore[arg-type]
    return entry


async def test_the_gift_items_barcode_scanned(app: StationApp, engine: Engine) -> None:
    async with app.run_test(size=SIZE) as pilot:
        gift = await ask_for_the_gift(pilot, app)
        gift.value = "TOWEL"
        await pilot.press("enter")
        await settle(pilot)
        assert "商品资料中没有这个 SKU 或条码" in status(pilot)
        assert events(engine, NEW, "remark_acked") == []
        await pilot.press("enter")  # the alert acknowledged, as at every station
        await settle(pilot)
        assert status(pilot) == f"备注「{MEMO}」里的赠品是哪个 SKU？"  # asked again
        assert app.focused is gift
        await scan(pilot, "6917777412155")  # SOCK-3's barcode
        assert status(pilot) == f"{NEW} 的备注已确认：赠品 SOCK-3*1"
        assert app.focused is gift
        (acked,) = events(engine, NEW, "remark_acked")
        assert acked["by"] == CLERK and acked["gift_lines"] == ["SOCK-3*1"]
        assert [a for a in acked["actions"] if a["kind"] == "gift"] == [
            {"kind": "gift", "value": "SOCK-3*1", "negated": False}]
        assert skus(engine, NEW) == [("SOCK-3", 1, 0.0), ("SOCK-3", 1, 0.0)]


async def test_a_typed_sku_with_a_quantity(app: StationApp, engine: Engine) -> None:
    async with app.run_test(size=SIZE) as pilot:
        gift = await ask_for_the_gift(pilot, app)
        gift.value = "MUG-WH*2"
        await pilot.press("enter")
        await settle(pilot)
        (acked,) = events(engine, NEW, "remark_acked")
        assert acked["gift_lines"] == ["MUG-WH*2"]
        assert skus(engine, NEW)[-1] == ("MUG-WH", 2, 0.0)


async def test_no_gift_is_recorded(app: StationApp, engine: Engine) -> None:
    async with app.run_test(size=SIZE) as pilot:
        gift = await ask_for_the_gift(pilot, app)
        gift.value = "不送赠品"
        await pilot.press("enter")
        await settle(pilot)
        (acked,) = events(engine, NEW, "remark_acked")
        assert acked["gift_lines"] == []
        assert [a for a in acked["actions"] if a["kind"] == "gift"] == [
            {"kind": "gift", "value": "", "negated": True}]
        assert skus(engine, NEW) == [("SOCK-3", 1, 0.0)]
        assert status(pilot).startswith(f"{NEW} 的备注已确认")
