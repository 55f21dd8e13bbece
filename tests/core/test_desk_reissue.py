"""A waybill reissued after the express slip printed (the address changed at the desk) takes its
courier by the rules release follows: the city's rule before its province's, couriers out of
area (超区) passed over, none usable refused with nothing changed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, insert, select

from db.engine import write_tx
from pickpack.config import Config
from pickpack.core.context import Floor
from pickpack.core.desk.address import edit_address
from pickpack.core.desk.rows import VOID_WAYBILLS
from pickpack.core.refusal import Refusal
from pickpack.core.release import release
from pickpack.core.tables import WAYBILLS
from pickpack.store import open_store
from tests.conftest import make_config
from tests.core.desk_kit import CLERK, events, express_printed, oid, row, set_order
from tests.core.floorkit import seed

B = "3900000000000000001"
ALTAY = {"province": "新疆维吾尔自治区", "city": "阿勒泰地区", "district": "阿勒泰市",
         "street": "团结路1号"}
URUMQI = {"province": "新疆维吾尔自治区", "city": "乌鲁木齐市", "district": "天山区",
          "street": "解放北路1号"}
RULES = {"rules": [{"prefix": "新疆", "courier": "SF", "secondary": "YTO"},
                   {"prefix": "新疆", "city": "乌鲁木齐", "courier": "YTO", "secondary": "SF"}],
         "SF": {"out": ["新疆 阿勒泰"]}}


def _floor(tmp_path: Path, couriers: dict[str, object]) -> tuple[Engine, Config]:
    config = make_config(tmp_path, couriers=couriers)
    engine = open_store(config, create=True)
    seed(engine, orders=3)
    with write_tx(engine) as conn:
        for i in range(2):
            conn.execute(insert(WAYBILLS).values(tracking_no=f"SF10000000000{i:02d}", courier="SF"))
            conn.execute(insert(WAYBILLS).values(tracking_no=f"YT10000000{i:02d}", courier="YTO"))
    release(engine, config, CLERK)
    express_printed(engine, B)  # B's ZTO slip is on paper
    set_order(engine, B, state="printed")
    return engine, config


@pytest.fixture
def store(tmp_path: Path) -> Iterator[tuple[Engine, Config]]:
    engine, config = _floor(tmp_path, RULES)
    yield engine, config
    engine.dispose()


def test_the_new_courier_serves_the_new_area(store: tuple[Engine, Config]) -> None:
    engine, config = store
    old = row(engine, B).tracking_no
    edit_address(Floor(engine, config), CLERK, oid(engine, B), ALTAY, "BUYER")
    b = row(engine, B)
    assert (b.courier, b.tracking_no) == ("YTO", "YT1000000000")  # SF does not reach 阿勒泰
    voided = events(engine, B, "waybill_voided")[-1][1]
    assert (voided["void"], voided["courier_was"], voided["courier"]) == (old, "ZTO", "YTO")


def test_the_city_rule_wins_over_its_province(store: tuple[Engine, Config]) -> None:
    engine, config = store
    edit_address(Floor(engine, config), CLERK, oid(engine, B), URUMQI, "BUYER")
    assert row(engine, B).courier == "YTO"  # 乌鲁木齐's own rule, not 新疆's SF


def test_no_courier_for_the_new_area_refuses_and_changes_nothing(tmp_path: Path) -> None:
    engine, config = _floor(tmp_path, {**RULES, "YTO": {"out": ["新疆"]}})
    try:
        old = row(engine, B).tracking_no
        with pytest.raises(Refusal) as refused:
            edit_address(Floor(engine, config), CLERK, oid(engine, B), ALTAY, "BUYER")
        assert refused.value.code == "no_courier" and "out of area" in refused.value.text()
        b = row(engine, B)
        assert (b.courier, b.tracking_no, b.province) == ("ZTO", old, "浙江省")
        with engine.connect() as conn:
            assert conn.execute(select(VOID_WAYBILLS)).first() is None
    finally:
        engine.dispose()
