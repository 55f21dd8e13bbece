"""Hostile cells at import (issue 14 items 3 and 5): a NUL byte, formula-leading numbers."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from pickpack.intake import ImportFailed, RowError, import_catalog, import_orders, import_waybills
from tests.intake.conftest import Writer, count, line, order, row_of

GOOD, BAD = "4500000000000000001", "4500000000000000002"


def nul_export(write_export: Writer, encoding: str = "utf-8") -> list[Path]:
    return write_export([order(GOOD), order(BAD, 收货人姓名="张\x00三")],
                        [line(GOOD), line(BAD)], encoding=encoding)


def nul_errors(engine: Engine, files: list[Path]) -> list[RowError]:
    """Import with --skip-bad; the refused rows (and the good order checked in)."""
    res = import_orders(engine, files, skip_bad=True)
    assert (res.inserted, res.skipped) == (1, 1)
    assert row_of(engine, GOOD).receiver_name == "张三" and count(engine, "orders") == 1
    return res.errors


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_nul_in_a_cell_refuses_that_row_by_row_and_column(engine: Engine, write_export: Writer,
                                                          encoding: str) -> None:
    errors = nul_errors(engine, nul_export(write_export, encoding))
    assert [str(e) for e in errors] == [
        "ExportOrderList.csv row 3, 收货人姓名: column 10 holds a NUL byte (\\x00): not allowed in any "
        "field"]
    assert count(engine, "event", kind="import_rejected") == 1


def test_nul_without_skip_bad_writes_nothing(engine: Engine, write_export: Writer) -> None:
    with pytest.raises(ImportFailed) as exc:
        import_orders(engine, nul_export(write_export), skip_bad=False)
    assert "收货人姓名" in str(exc.value) and "NUL" in str(exc.value)
    assert count(engine, "orders") == 0


def test_nul_in_catalog_and_waybills(engine: Engine, tmp_path: Path) -> None:
    cat = tmp_path / "catalog.csv"
    cat.write_text("sku,name,barcodes\nA1,好\x00货,6901234567892\nA2,好货,6901234567885\n",
                   encoding="utf-8")
    res = import_catalog(engine, cat, skip_bad=True)
    assert res.inserted == 1 and [(e.row, e.field) for e in res.errors] == [(2, "name")]
    pool = tmp_path / "waybills.csv"
    pool.write_text("courier,tracking_no\nSF,SF1234567890\nSF,SF12\x0034\n", encoding="utf-8")
    res = import_waybills(engine, pool, skip_bad=True)
    assert res.inserted == 1 and [(e.row, e.field) for e in res.errors] == [(3, "tracking_no")]
    assert "NUL" in res.errors[0].message


@pytest.mark.parametrize("bad", ["-4500000000000000009", "=1+1", "+4500000000000000009",
                                 "@SUM(A1)"])
def test_formula_leading_order_number_refused(engine: Engine, write_export: Writer,
                                              bad: str) -> None:
    files = write_export([order(GOOD), order(bad)], [line(GOOD), line(bad)])
    res = import_orders(engine, files, skip_bad=True)
    assert res.inserted == 1 and count(engine, "orders") == 1
    msgs = [str(e) for e in res.errors]
    assert any("ExportOrderList.csv row 3, 订单编号: order number starts with" in m
               and "formula" in m for m in msgs), msgs
    assert any("ExportOrderDetailList.csv row 3, 订单编号" in m for m in msgs), msgs


@pytest.mark.parametrize("bad", ['=HYPERLINK("http://x","SF1")', "-SF1234567", "+86123", "@x"])
def test_formula_leading_tracking_number_refused(engine: Engine, write_export: Writer,
                                                 bad: str) -> None:
    files = write_export([order(GOOD, 物流单号="SF1234567890", 物流公司="顺丰"),
                          order(BAD, 物流单号=bad, 物流公司="顺丰")], [line(GOOD), line(BAD)])
    res = import_orders(engine, files, skip_bad=True)
    assert res.inserted == 1
    assert [(e.row, e.field) for e in res.errors] == [(3, "物流单号")]
    assert "formula" in res.errors[0].message


def test_formula_leading_waybill_refused(engine: Engine, tmp_path: Path) -> None:
    pool = tmp_path / "waybills.csv"
    pool.write_text("courier,tracking_no\nZTO,-73100000001\nZTO,73100000002\n", encoding="utf-8")
    res = import_waybills(engine, pool, skip_bad=True)
    assert res.inserted == 1
    assert [(e.row, e.field) for e in res.errors] == [(2, "tracking_no")]
    assert "formula" in res.errors[0].message
    assert count(engine, "waybill", tracking_no="-73100000001") == 0
