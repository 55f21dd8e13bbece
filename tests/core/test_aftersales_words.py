"""What the system itself writes in the after-sales register (what the buyer said / what was
done) is stored as a machine code with its values and put in words when shown, in the reader's
language (issue 18.3); the day's register exported on zh_CN has no English word outside codes."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine, select

from db.engine import write_tx
from pickpack.config import Config
from pickpack.core.aftersales.cases import insert_case
from pickpack.core.aftersales.register import day_register, parse_day, write_csv, write_xlsx
from pickpack.core.aftersales.tables import CASES
from pickpack.core.aftersales.tracking import open_follow_up_cases
from pickpack.core.aftersales.words import coded, in_words
from pickpack.core.context import Floor
from pickpack.core.events import Actor, now
from pickpack.core.release import release
from pickpack.i18n import set_language
from pickpack.intake.tracking import import_tracking
from tests.core.floorkit import seed, ship_through

NO = "39000000000000000"
DESK = Actor("D1", "OP2001", "clerk")


@pytest.fixture
def zh() -> Iterator[None]:
    set_language("zh_CN")
    yield
    set_language("en")


def test_a_coded_text_is_put_in_words_in_the_readers_language(zh: None) -> None:
    text = coded("stale_tracking", days=9)
    assert text.startswith("@stale_tracking") and "9" in text
    assert in_words(text) == "9 天无物流更新"
    set_language("en")
    assert in_words(text) == "no tracking update for 9 days"
    assert in_words("少一个杯子") == "少一个杯子"  # the buyer's own words, as said
    assert in_words("@nonsense {") == "@nonsense {"


def test_texts_written_before_codes_are_put_in_words_too(zh: None) -> None:
    assert in_words("return parcel with no registration") == "无登记退货包裹"
    assert in_words("MUG-WH: declared 1, received 2; TEE-BK-XL: declared 0, received 1") == (
        "MUG-WH：申报 1，实收 2；TEE-BK-XL：申报 0，实收 1")
    assert in_words("shipped short by OP9001 (R5)") == "OP9001 批准缺货发出（R5）"


def english_words(text: str) -> list[str]:
    """Latin words left once codes (SKUs, order/tracking numbers, operator ids, C12…) are out."""
    codes = re.sub(r"[\w\-]*\d[\w\-]*|[A-Z][A-Z_\-]*", " ", text)  # buyer tb1, MUG-WH
    return re.findall(r"[a-z]{2,}", codes)


def test_the_register_of_follow_up_and_ship_short_cases_exports_in_chinese(
        engine: Engine, config: Config, tmp_path: Path, zh: None) -> None:
    seed(engine, orders=2)
    release(engine, config, Actor("D1", "desk"))
    floor = Floor(engine, config)
    ship_through(floor, NO + "00", basket="B900")
    with engine.connect() as conn:
        from pickpack.core.tables import ORDERS

        t1, oid = conn.execute(select(ORDERS.c.tracking_no, ORDERS.c.id)
                               .where(ORDERS.c.order_no == NO + "00")).one()
    day = (now() - timedelta(days=9)).strftime("%Y-%m-%d")
    path = tmp_path / "t.csv"
    path.write_text(f"运单号,时间,状态,地点\r\n{t1},{day} 10:00:00,运输中,上海\r\n",
                    encoding="utf-8")
    import_tracking(engine, path, skip_bad=False)
    assert len(open_follow_up_cases(floor, DESK)) == 1
    with write_tx(engine) as conn:
        insert_case(conn, DESK, "ship_short", order_id=oid, items=[{"sku": "MUG-WH", "qty": 1}],
                    claim=coded("ship_short", supervisor="OP9001", reason="R5"))
        stored = list(conn.execute(select(CASES.c.claim)).scalars())
    assert all(c.startswith("@") for c in stored)  # codes stored, no words
    with engine.connect() as conn:
        register = day_register(conn, config, parse_day(None, config))
    write_csv(register, config, tmp_path / "r.csv")
    write_xlsx(register, config, tmp_path / "r.xlsx")
    with (tmp_path / "r.csv").open(encoding="gb18030") as f:
        rows = list(csv.reader(f))
    book = [[str(c.value or "") for c in r] for r in load_workbook(tmp_path / "r.xlsx").active
            .iter_rows()]  # type: ignore[union-attr]
    assert len(rows) == 3 and rows == book
    claims = {r[6] for r in rows[1:]}
    assert claims == {"9 天无物流更新", "OP9001 批准缺货发出（R5）"}
    for r in rows:
        assert english_words(" ".join(r)) == [], r
