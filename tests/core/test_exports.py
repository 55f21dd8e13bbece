"""Exports a spreadsheet opens safely (issue 14.5) and reports a person can read (issue 13.15):
a header row, times in the warehouse's ``[floor] timezone``, no raw ``True``."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from pickpack.cli import main
from pickpack.config import Config
from pickpack.core.events import Actor
from pickpack.core.release import release
from pickpack.core.reports import late_orders, local_time
from pickpack.core.tables import ORDERS
from pickpack.store import open_store
from pickpack.text import sheet_cell
from tests.conftest import make_config, upgraded_store
from tests.core.floorkit import PAID, seed


def test_sheet_cell_escapes_formulas_and_keeps_numbers() -> None:
    for text in ("=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"):
        assert sheet_cell(text) == "'" + text
    assert sheet_cell("SF1234567890") == "SF1234567890"
    assert sheet_cell("3900000000000000000") == "3900000000000000000"
    assert sheet_cell(-12.5) == -12.5 and sheet_cell(-3) == -3  # a negative deviation stays a number


def _cfg_file(tmp_path: Path, extra: str = "") -> Path:
    upgraded_store(tmp_path / "pp.db")
    path = tmp_path / "config.toml"
    path.write_text(f'[store]\nurl = "sqlite:///{tmp_path / "pp.db"}"\n{extra}', encoding="utf-8")
    return path


def test_export_shipped_csv_escapes_formulas(tmp_path: Path) -> None:
    engine = open_store(make_config(tmp_path), create=True)
    seed(engine, orders=1)
    with engine.begin() as conn:
        conn.execute(ORDERS.update().values(state="shipped", tracking_no="=cmd|'/c calc'!A1"))
    engine.dispose()
    out = tmp_path / "shipped.csv"
    assert main(["--config", str(_cfg_file(tmp_path)), "export", "shipped", "--out", str(out)]) == 0
    rows = list(csv.reader(out.open(encoding="gb18030", newline="")))
    assert rows[0] == ["订单编号", "物流公司", "运单号"]
    assert rows[1][0] == "3900000000000000000"
    assert rows[1][2] == "'=cmd|'/c calc'!A1"


def test_local_time_uses_the_floor_timezone(tmp_path: Path) -> None:
    at = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    assert local_time(at, make_config(tmp_path)) == "2026-11-20 17:00"
    assert local_time(at, make_config(tmp_path, floor={"timezone": "Europe/Berlin"})) == "2026-11-20 10:00"


def test_late_orders_in_local_time(engine: Engine, config: Config) -> None:
    seed(engine, orders=1)
    release(engine, config, Actor("D1", "clerk"))
    with engine.connect() as conn:
        late = late_orders(conn, config, PAID + timedelta(hours=73))
    assert PAID.hour == 9  # UTC
    assert late[0]["paid_at"] == "2026-11-20T17:00:00+08:00"


@pytest.mark.parametrize(("what", "header"), [("late", ["order_no", "state", "paid", "age_h",
                                                         "status", "hold_reason"]),
                                               ("floor", ["state", "orders"]),
                                               ("cutoff", ["order_no"]),
                                               ("errors", ["operator", "code", "role", "count"])])
def test_reports_have_a_header_row_and_local_times(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   what: str, header: list[str]) -> None:
    engine = open_store(make_config(tmp_path), create=True)
    seed(engine, orders=1)
    with engine.begin() as conn:  # paid long ago: late, and before any cut-off
        conn.execute(ORDERS.update().values(paid_at=datetime(2020, 1, 2, 9, 0, tzinfo=UTC)))
    engine.dispose()
    assert main(["--config", str(_cfg_file(tmp_path)), "report", what]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == header
    body = "\n".join(lines[1:])
    assert "True" not in body and "False" not in body
    if what == "late":
        assert "2020-01-02 17:00" in body and "LATE" in body  # 09:00 UTC is 17:00 in Shanghai
        assert "+00:00" not in body


def test_a_parcel_returned_before_the_export_still_goes_back_to_the_platform(
        engine: Engine, config: Config) -> None:
    """Field test: handed over (``shipped``), then back as a return before the export ran:
    the platform still needs its waybill, once; a reship stays out."""
    from pickpack.core.aftersales.returns import arrive, finish_return, receive_item
    from pickpack.core.context import Floor
    from pickpack.core.reports import export_shipped
    from tests.core.floorkit import ship_through

    no = "3900000000000000000"
    seed(engine, orders=1)
    release(engine, config, Actor("D1", "desk"))
    floor = Floor(engine, config)
    ship_through(floor, no)
    desk = Actor("D1", "OP2001", "clerk")
    parcel = arrive(floor, desk, no)
    for code in ("6901661318609", "6952890786660", "6952890786660"):
        receive_item(floor, desk, parcel.id, code, "restock")
    finish_return(floor, desk, parcel.id)
    with engine.connect() as conn:
        state, tracking = conn.execute(select(ORDERS.c.state, ORDERS.c.tracking_no)
                                       .where(ORDERS.c.order_no == no)).one()
    assert state == "returned"
    clerk = Actor("D1", "clerk")
    assert export_shipped(engine, clerk) == [{"order_no": no, "courier": "ZTO",
                                              "tracking_no": tracking}]
    assert export_shipped(engine, clerk) == []  # once
    assert [r["order_no"] for r in export_shipped(engine, clerk, again=True)] == [no]
