"""`report shipped`, `report weights` and `report overrides` from a real trail: parcels per
courier and shop with those that left late, weight deviations and a catalog weight proposed,
who overrode what and how long holds lasted; the xlsx as a supervisor opens it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import Engine, delete, update

from db.engine import write_tx
from pickpack.cli import main
from pickpack.config import Config
from pickpack.core.context import Floor
from pickpack.core.events import Actor
from pickpack.core.orders import find_order_id
from pickpack.core.overrides import hold
from pickpack.core.release import release
from pickpack.core.report import day_span
from pickpack.core.report.overrides import overrides
from pickpack.core.report.shipped import shipped
from pickpack.core.report.weights import weights
from pickpack.core.tables import LINES, ORDERS
from tests.core.floorkit import PAID, restamp, seed, ship_through

DAY = date(2026, 11, 22)
START = datetime(2026, 11, 22, 1, 0, tzinfo=UTC)  # 09:00 in China
STEP = timedelta(minutes=1)


def _ids(engine: Engine, numbers: list[str]) -> list[int]:
    with engine.connect() as conn:
        return [int(find_order_id(conn, n) or 0) for n in numbers]


def test_shipped_per_courier_and_shop_late_and_cutoff(engine: Engine, config: Config) -> None:
    numbers = seed(engine, orders=4)
    ids = _ids(engine, numbers)
    with write_tx(engine) as conn:  # paid two and four days before the day they leave
        for oid, shop, paid in ((ids[0], "旗舰店", PAID), (ids[1], "旗舰店", PAID - timedelta(days=1)),
                                (ids[3], "outlet", PAID - timedelta(days=2))):
            conn.execute(update(ORDERS).where(ORDERS.c.id == oid).values(shop=shop, paid_at=paid))
    release(engine, config, Actor("D1", "clerk"))
    floor = Floor(engine, config)
    for i, basket in ((0, "B901"), (1, "B902"), (3, "B903")):
        ship_through(floor, numbers[i], basket=basket)
    restamp(engine, START, STEP)
    with engine.connect() as conn:
        out, late, cutoff = shipped(conn, config, day_span(config, DAY))
    assert out.rows == [
        {"courier": "ZTO", "shop": "outlet", "shipped": 1, "at_risk": 0, "late": 1},
        {"courier": "ZTO", "shop": "旗舰店", "shipped": 2, "at_risk": 1, "late": 0}]
    # as of the day's end (23:59 in China), the order still waiting is 55 h old: at risk
    assert [(o["order_no"], o["status"]) for o in late.rows] == [(numbers[2], "at_risk")]
    assert cutoff.rows == [{"order_no": numbers[2]}]
    with engine.connect() as conn:
        assert [t.rows for t in shipped(conn, config, day_span(config, DAY - timedelta(days=3)))
                ][0] == []


def weighing_day(engine: Engine, config: Config) -> list[str]:
    """Four parcels of mugs alone, each 60 g heavier than the catalog says (the catalog's
    350 g a mug is wrong: they weigh 380 g), accepted by the supervisor; one parcel of a tee
    and mugs at its weight; one order put aside with a reason that looks like a formula."""
    numbers = seed(engine, orders=6)
    ids = _ids(engine, numbers)
    with write_tx(engine) as conn:
        conn.execute(delete(LINES).where(LINES.c.order_id.in_(ids[:4]), LINES.c.sku == "TEE-BK-XL"))
    release(engine, config, Actor("D1", "clerk"))
    floor = Floor(engine, config)
    for i in range(4):
        ship_through(floor, numbers[i], weight_g=2 * 380 + config.weighing.packaging_g,
                     basket=f"B90{i}")
    ship_through(floor, numbers[4], basket="B909")
    hold(floor, Actor("D1", "OP9001", "supervisor"), ids[5], "=HYPERLINK(\"x\")")
    restamp(engine, START, STEP)
    return numbers


def test_weight_deviations_and_the_catalog_weight_proposed(engine: Engine, config: Config) -> None:
    weighing_day(engine, config)
    with engine.connect() as conn:
        skus, weighers, suspect = weights(conn, config, day_span(config, DAY))
    assert skus.rows == [{"sku": "MUG-WH", "count": 5, "median_g": 60.0, "p90_g": 60.0},
                         {"sku": "TEE-BK-XL", "count": 1, "median_g": 0.0, "p90_g": 0.0}]
    assert weighers.rows == [{"operator": "OP3001", "count": 5, "median_g": 60.0, "p90_g": 60.0}]
    assert suspect.rows == [{"sku": "MUG-WH", "name": "陶瓷马克杯 白", "catalog_g": 350.0,
                             "parcels": 4, "median_unit_g": 380.0, "proposed_g": 380}]


def test_overrides_and_holds_with_who_why_and_how_long(engine: Engine, config: Config) -> None:
    numbers = weighing_day(engine, config)
    at = START + timedelta(hours=5)
    with engine.connect() as conn:
        over, holds = overrides(conn, config, day_span(config, DAY), at)
    assert [(o["order_no"], o["supervisor"], o["override"], o["reason"]) for o in over.rows] == [
        (n, "OP9001", "accept_weight", "R1") for n in numbers[:4]]
    weight_holds = [h for h in holds.rows if h["release"] != "open"]
    assert [h["release"] for h in weight_holds] == ["accept_weight OP9001 R1"] * 4
    assert [h["reason"] for h in weight_holds] == ["weight 800 g, expected 740 g"] * 4
    assert [h["hours"] for h in weight_holds] == [round(1 / 60, 2)] * 4  # the next event
    assert weight_holds[0]["at"].startswith("2026-11-22 09:")  # China time, not UTC (01:…)
    [aside] = [h for h in holds.rows if h["release"] == "open"]
    assert aside["order_no"] == numbers[5] and aside["operator"] == "OP9001"
    assert 1 < aside["hours"] < 5  # still held at the time asked


def test_xlsx_frozen_header_wide_chinese_columns_and_no_formula(
        engine: Engine, config: Config, tmp_path: Path) -> None:
    weighing_day(engine, config)
    (tmp_path / "config.toml").write_text(
        f'[store]\nurl = "sqlite:///{tmp_path / "pp.db"}"\n[station]\nlanguage = "en"\n',
        encoding="utf-8")
    assert main(["report", "weights", "--day", DAY.isoformat(), "--xlsx", str(tmp_path / "w.xlsx")]) == 0
    book = load_workbook(tmp_path / "w.xlsx")
    assert book.sheetnames == ["skus", "weighers", "suspect"]
    sheet = book["suspect"]
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]][:3] == ["SKU", "name", "catalog g"]
    assert sheet["B2"].value == "陶瓷马克杯 白"
    assert sheet.column_dimensions["B"].width >= 13  # 5 wide characters count double
    assert main(["report", "overrides", "--day", DAY.isoformat(), "--xlsx",
                 str(tmp_path / "o.xlsx")]) == 0
    reasons = [c.value for c in load_workbook(tmp_path / "o.xlsx")["holds"]["D"]]
    assert "'=HYPERLINK(\"x\")" in reasons
