"""A SKU's own minimum shelf life at verify: the catalog's value when set (0 included), else
``[barcodes] min_shelf_days``; the refusal names the date, the days and whose rule it is. On a
real SQLite store through the verify flow, and on PostgreSQL through a station's kept
connection."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, select, update

from db.engine import write_tx
from pickpack.cli import main
from pickpack.config import Config
from pickpack.core.classify import Classified
from pickpack.core.context import Floor
from pickpack.core.flows import StationFlow, make_flow
from pickpack.core.refusal import Refusal
from pickpack.core.resolve import ShelfRule, check_shelf_life, shelf_rule
from pickpack.core.tables import EVENTS, SKUS
from pickpack.i18n import set_language
from pickpack.scan import Scan
from pickpack.store import open_store
from tests.conftest import make_config
from tests.core.floorkit import seed
from tests.pg.conftest import PgStore, pg, pg_url  # noqa: F401  (fixtures)
from tests.pg.kit import TEE, picked_order

ORDER_NO = "3900000000000000777"


def _today(config: Config) -> date:
    return datetime.now(ZoneInfo(config.floor.timezone)).date()


def _lot(config: Config, days_left: int, lot: str = "L1") -> tuple[str, str]:
    """A GS1 string of TEE whose expiry (17) is ``days_left`` days from today, and that date."""
    day = _today(config) + timedelta(days=days_left)
    return f"010{TEE}17{day:%y%m%d}\x1d10{lot}", day.isoformat()


def _own(engine: Engine, days: int | None, sku: str = "TEE-BK-XL") -> None:
    with write_tx(engine) as conn:
        conn.execute(update(SKUS).where(SKUS.c.sku == sku).values(min_shelf_days=days))


def _counted(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        rows = conn.execute(select(EVENTS.c.payload).where(EVENTS.c.kind == "item_scanned"))
        return [json.loads(p) for p in rows.scalars()]


def _verify(engine: Engine, config: Config) -> StationFlow:
    seed(engine, orders=0)
    picked_order(engine, ORDER_NO, qty=6)
    flow = make_flow(Floor(engine, config), "verify", "X3")
    assert flow.handle(Scan("OP2001")).ok
    assert flow.handle(Scan(ORDER_NO)).ok
    return flow


def test_a_lot_closer_than_the_skus_own_days_is_refused_though_the_default_allows_it(
        engine: Engine, tmp_path: Path) -> None:
    config = make_config(tmp_path, barcodes={"min_shelf_days": 10})
    flow = _verify(engine, config)
    _own(engine, 90)
    code, day = _lot(config, 30)
    out = flow.handle(Scan(code))
    assert not out.ok and out.code == "short_dated", out.message
    assert day in out.message and "90" in out.message and "TEE-BK-XL" in out.message
    assert (out.data["days"], out.data["sku"], out.data["expiry"]) == (90, "TEE-BK-XL", day)
    assert _counted(engine) == []


def test_a_lot_further_than_the_skus_own_days_is_taken_though_the_default_refuses_it(
        engine: Engine, tmp_path: Path) -> None:
    config = make_config(tmp_path, barcodes={"min_shelf_days": 60})
    flow = _verify(engine, config)
    _own(engine, 5)
    code, day = _lot(config, 30)
    assert flow.handle(Scan(code)).ok
    assert (_counted(engine)[-1]["lot"], _counted(engine)[-1]["expiry"]) == ("L1", day)


def test_without_its_own_days_a_sku_is_held_to_the_default(engine: Engine,
                                                           tmp_path: Path) -> None:
    config = make_config(tmp_path, barcodes={"min_shelf_days": 60})
    flow = _verify(engine, config)
    code, day = _lot(config, 30)
    out = flow.handle(Scan(code))
    assert out.code == "short_dated" and day in out.message and "60" in out.message
    assert "sku" not in out.data and out.data["days"] == 60


def test_a_skus_own_zero_takes_any_lot_not_yet_expired_but_never_an_expired_one(
        engine: Engine, tmp_path: Path) -> None:
    config = make_config(tmp_path, barcodes={"min_shelf_days": 60})
    flow = _verify(engine, config)
    _own(engine, 0)
    assert flow.handle(Scan(_lot(config, 0)[0])).ok  # expires today: not expired yet
    code, day = _lot(config, -1, "OLD")
    out = flow.handle(Scan(code))
    assert out.code == "expired" and day in out.message


def test_the_skus_own_days_are_found_by_any_spelling_of_its_gtin(engine: Engine,
                                                                tmp_path: Path) -> None:
    config = make_config(tmp_path)
    floor = Floor(engine, config)
    seed(engine, orders=0)
    _own(engine, 45)
    day = _today(config) + timedelta(days=20)
    for spelling in (f"010{TEE}17{day:%y%m%d}", f"(01)0{TEE}(17){day:%y%m%d}(10)L2",
                     f"https://id.gs1.org/01/0{TEE}/10/L2?17={day:%y%m%d}"):
        item = floor.classifier.classify(spelling)
        assert item.kind == "item", (spelling, item)
        assert shelf_rule(floor, item) == ShelfRule(45, "TEE-BK-XL"), spelling
    other = floor.classifier.classify(f"0104006381333931 17{day:%y%m%d}".replace(" ", ""))
    assert shelf_rule(floor, other) == ShelfRule(0)  # not in the catalog: the default


def test_check_shelf_life_against_a_given_rule_and_day(engine: Engine, tmp_path: Path) -> None:
    floor = Floor(engine, make_config(tmp_path))
    item = Classified("item", TEE, lot="L9", expiry="2026-03-10")
    check_shelf_life(floor, item, date(2026, 2, 8), ShelfRule(30, "TEE-BK-XL"))  # 30 days left
    with pytest.raises(Refusal) as short:
        check_shelf_life(floor, item, date(2026, 2, 9), ShelfRule(30, "TEE-BK-XL"))
    assert short.value.code == "short_dated"
    assert short.value.text() == ("SHORT-DATED: lot L9 of 6901661318609 expires on 2026-03-10, "
                                  "within TEE-BK-XL's own minimum shelf life of 30 days: put "
                                  "it aside")


@pytest.fixture
def pg_floor(pg: PgStore) -> Iterator[Floor]:  # noqa: F811
    seed(pg.engine, orders=0)
    floor = Floor(pg.engine, pg.config, keep_connection=True)
    yield floor
    floor.close()


def test_on_postgresql_the_skus_own_days_are_read_on_the_kept_connection(
        pg_floor: Floor, pg: PgStore) -> None:  # noqa: F811
    _own(pg.engine, 90)
    code, day = _lot(pg.config, 30)
    item = pg_floor.classifier.classify(code)
    assert shelf_rule(pg_floor, item) == ShelfRule(90, "TEE-BK-XL")
    with pytest.raises(Refusal) as short:
        check_shelf_life(pg_floor, item)
    assert short.value.code == "short_dated" and day in short.value.text()
    _own(pg.engine, None)
    assert shelf_rule(pg_floor, item) == ShelfRule(0)


def test_the_refusal_in_chinese_names_the_date_the_days_and_the_sku(engine: Engine,
                                                                     tmp_path: Path) -> None:
    floor = Floor(engine, make_config(tmp_path))
    item = Classified("item", TEE, lot="L9", expiry="2026-03-10")
    set_language("zh_CN")
    try:
        with pytest.raises(Refusal) as short:
            check_shelf_life(floor, item, date(2026, 2, 20), ShelfRule(30, "TEE-BK-XL"))
    finally:
        set_language("en")
    text = str(short.value)  # as said when it was raised, in Chinese
    assert text.startswith("临期") and "2026-03-10" in text and "30" in text
    assert "TEE-BK-XL" in text


def test_pickpack_scan_shows_the_rule_a_lot_is_held_to(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "config.toml"
    path.write_text(f'[store]\nurl = "sqlite:///{tmp_path / "pp.db"}"\n'
                    '[barcodes]\nmin_shelf_days = 10\n', encoding="utf-8")
    config = make_config(tmp_path, barcodes={"min_shelf_days": 10})
    engine = open_store(config, create=True)
    seed(engine, orders=0)
    _own(engine, 90)
    engine.dispose()
    code, day = _lot(config, 30)

    def scan(raw: str) -> tuple[int, dict[str, Any]]:
        status = main(["--config", str(path), "scan", raw.replace("\x1d", "<GS>"), "--json"])
        return status, json.loads(capsys.readouterr().out)

    status, got = scan(code)
    assert status == 1 and got["refused"] == "short_dated" and day in got["reason"]
    assert (got["min_shelf_days"], got["shelf_rule"], got["sku"]) == (90, "sku", "TEE-BK-XL")
    status, got = scan(f"0106952890786660 17{day[2:4]}{day[5:7]}{day[8:]}".replace(" ", ""))
    assert status == 0 and got["refused"] == ""
    assert (got["min_shelf_days"], got["shelf_rule"], got["sku"]) == (10, "default", "MUG-WH")
    status, got = scan(TEE)  # no expiry: no rule to show
    assert (got["min_shelf_days"], got["shelf_rule"]) == (None, None)
