"""Fields Excel turned into scientific notation (field test: a phone `1.74446E+10` imported
silently): like a damaged order number, they refuse the whole file, naming file, row and column
and how to export again; never kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from pickpack.intake import ImportFailed, import_catalog, import_orders, import_waybills
from tests.intake.conftest import Writer, count, csv_text, line, order
from tests.intake.test_platforms import JD_HEADER, PDD_HEADER, jd, pdd

A, B = "4500000000000000001", "4500000000000000002"
DAMAGED = "1.74446E+10"


def refused(engine: Engine, files: list[Path]) -> str:
    """The one-line refusal of a file Excel damaged (even with --skip-bad); nothing written."""
    with pytest.raises(ImportFailed) as exc:
        import_orders(engine, files, skip_bad=True)
    assert len(exc.value.errors) == 1 and count(engine, "orders") == 0
    return str(exc.value)


@pytest.mark.parametrize(("column", "where"), [("联系手机", "orders"), ("联系电话", "orders"),
                                               ("物流单号", "orders"), ("商家编码", "items")])
def test_taobao_field_excel_damaged_refuses_the_file(engine: Engine, write_export: Writer,
                                                     column: str, where: str) -> None:
    damaged = {column: DAMAGED}
    files = write_export([order(A), order(B, **damaged if where == "orders" else {})],
                         [line(A), line(B, **damaged if where == "items" else {})])
    msg = refused(engine, files)
    name = "ExportOrderList.csv" if where == "orders" else "ExportOrderDetailList.csv"
    assert msg.startswith(f"{name} row 3, {column}: ")
    assert DAMAGED in msg and "Excel" in msg and "Export it again" in msg


@pytest.mark.parametrize(("shape", "column"), [("pdd", "手机"), ("pdd", "商家编码-规格维度"),
                                               ("pdd", "快递单号"), ("jd", "联系电话"),
                                               ("jd", "货号")])
def test_platform_field_excel_damaged_refuses_the_file(engine: Engine, tmp_path: Path,
                                                       shape: str, column: str) -> None:
    header, rows = ((PDD_HEADER, [pdd("201113-1"), pdd("201113-2", **{column: DAMAGED})])
                    if shape == "pdd" else
                    (JD_HEADER, [jd("30001", "P01-01"), jd("30002", "P01-01",
                                                             **{column: DAMAGED})]))
    f = tmp_path / f"{shape}.csv"
    f.write_bytes(csv_text(header, rows).encode("utf-8-sig"))
    msg = refused(engine, [f])
    assert msg.startswith(f"{shape}.csv row 3, {column}: ") and DAMAGED in msg


def test_catalog_and_waybill_codes_excel_damaged(engine: Engine, tmp_path: Path) -> None:
    cat = tmp_path / "catalog.csv"
    cat.write_text("sku,name,barcodes\nA1,好货,6901234567892\n6.90123E+12,好货,6901234567885\n",
                   encoding="utf-8")
    with pytest.raises(ImportFailed) as exc:
        import_catalog(engine, cat, skip_bad=True)
    assert str(exc.value).startswith("catalog.csv row 3, sku: '6.90123E+12'")
    assert "Excel" in str(exc.value) and count(engine, "sku") == 0
    cat.write_text("sku,name,barcodes\nA1,好货,6.90123E+12\n", encoding="utf-8")
    with pytest.raises(ImportFailed, match=r"catalog.csv row 2, barcodes: '6.90123E\+12'.*Excel"):
        import_catalog(engine, cat, skip_bad=True)
    pool = tmp_path / "waybills.csv"
    pool.write_text("courier,tracking_no\nSF,SF1234567890\nYTO,7.73012E+12\n", encoding="utf-8")
    with pytest.raises(ImportFailed, match=r"waybills.csv row 3, tracking_no: '7.73012E\+12'"):
        import_waybills(engine, pool, skip_bad=True)
    assert count(engine, "waybill") == 0
