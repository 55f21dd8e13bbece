"""Catalog and waybill-pool imports: upserts, EAN-13 check digits, idempotence."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from pickpack.intake import ImportFailed, import_catalog, import_waybills
from pickpack.intake.catalog import ean13_ok, parse_barcodes
from tests.intake.conftest import count

HEADER = "sku,name,attributes,barcodes,weight_g,bin,price,on_hand\n"


def test_ean13() -> None:
    assert ean13_ok("6952601815900") and not ean13_ok("6952601815901")
    assert parse_barcodes("6952890786660|6961760313721*6") == [
        ("6952890786660", 1), ("6961760313721", 6)]


def test_catalog_bad_rows(engine: Engine, tmp_path: Path) -> None:
    f = tmp_path / "catalog.csv"
    f.write_text(HEADER + "P1,T恤,,6952601815900,200,A-01-01,89,10\n"
                 "P2,短裤,,6952601815901,160,B-01-01,59,5\n"
                 "P3,杯子,,6917777412155*x,329,B-03-01,35,1\n"
                 "P4,袜子,,6952890786660,abc,D-02-01,25,1\n", encoding="utf-8")
    with pytest.raises(ImportFailed) as exc:
        import_catalog(engine, f, skip_bad=False)
    msg = str(exc.value)
    assert "catalog.csv row 3, barcodes: bad EAN-13 check digit: '6952601815901'" in msg
    assert "row 4, barcodes" in msg and "row 5, weight_g" in msg
    assert count(engine, "sku") == 0
    res = import_catalog(engine, f, skip_bad=True)
    assert (res.inserted, res.skipped) == (1, 3) and count(engine, "barcode") == 1


def test_catalog_update_moves_barcodes(engine: Engine, tmp_path: Path) -> None:
    f = tmp_path / "catalog.csv"
    f.write_text(HEADER + "P1,T恤,,6952601815900,200,A-01-01,89,10\n", encoding="utf-8")
    import_catalog(engine, f, skip_bad=False)
    f.write_text(HEADER + "P1,T恤 新款,,6952601815900*2,210,A-01-01,99,12\n", encoding="gb18030")
    res = import_catalog(engine, f, skip_bad=False)
    assert (res.inserted, res.updated, res.lines) == (0, 1, 1)
    assert count(engine, "sku", name="T恤 新款", on_hand=12) == 1
    assert count(engine, "barcode", code="6952601815900", units=2) == 1


def test_waybills(engine: Engine, tmp_path: Path) -> None:
    f = tmp_path / "w.csv"
    f.write_text("courier,tracking_no\nSF,SF1234567890123\nZTO,ZTO1234567890\n"
                 "XX,XX123456789\nsf,SF1234567890123\n", encoding="utf-8")
    res = import_waybills(engine, f, skip_bad=False)
    assert res.inserted == 3 and count(engine, "courier", code="XX", name="") == 1
    assert count(engine, "courier", code="SF", name="顺丰速运") == 1
    f.write_text("courier,tracking_no\nSF,SF1234567890123\nYD,bad no!\nJD,SF1234567890123\n")
    with pytest.raises(ImportFailed, match="w.csv row 3, tracking_no: not a tracking number"):
        import_waybills(engine, f, skip_bad=False)
    res = import_waybills(engine, f, skip_bad=True)
    assert (res.inserted, res.unchanged, res.skipped) == (0, 1, 2)
    assert count(engine, "waybill") == 3
    f.write_text("carrier,no\nSF,1\n")
    with pytest.raises(ImportFailed, match="w.csv row 1, courier: required column missing"):
        import_waybills(engine, f, skip_bad=True)
