"""A SKU's own minimum shelf life from the catalog: by any of its header names, CSV or .xlsx;
an empty cell gives the SKU the default again; without the column the store's values stay."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from db.models import metadata
from pickpack.intake import ImportFailed, import_catalog
from tests.intake.xlsx import write_xlsx

SKU = metadata.tables["sku"]


def shelf_days(engine: Engine) -> dict[str, int | None]:
    with engine.connect() as conn:
        return {r.sku: r.min_shelf_days for r in conn.execute(select(SKU.c.sku, SKU.c.min_shelf_days))}


@pytest.mark.parametrize("column", ["min_shelf_days", "最短保质期(天)", "最短保质期（天）",
                                    "保质期下限", "保质期下限(天)", "最短保质期"])
def test_the_column_by_each_of_its_names(engine: Engine, tmp_path: Path, column: str) -> None:
    f = tmp_path / "catalog.csv"
    f.write_text(f"sku,name,barcodes,{column}\n"
                 "P1,奶粉,6952601815900,90\n"
                 "P2,饼干,6901661318609,30天\n"
                 "P3,T恤,6952890786660,\n", encoding="gb18030")
    res = import_catalog(engine, f, skip_bad=False)
    assert res.inserted == 3
    assert shelf_days(engine) == {"P1": 90, "P2": 30, "P3": None}


def test_an_empty_cell_gives_the_default_again_and_no_column_keeps_the_store(
        engine: Engine, tmp_path: Path) -> None:
    f = tmp_path / "catalog.csv"
    f.write_text("sku,name,barcodes,最短保质期(天)\nP1,奶粉,6952601815900,90\n"
                 "P2,饼干,6901661318609,30\n", encoding="utf-8")
    import_catalog(engine, f, skip_bad=False)
    f.write_text("sku,name,barcodes,price\nP1,奶粉,6952601815900,120\n"
                 "P2,饼干,6901661318609,8\n", encoding="utf-8")
    res = import_catalog(engine, f, skip_bad=False)
    assert res.updated == 2 and shelf_days(engine) == {"P1": 90, "P2": 30}
    f.write_text("sku,name,barcodes,min_shelf_days,price\nP1,奶粉,6952601815900,,120\n"
                 "P2,饼干,6901661318609,45,8\n", encoding="utf-8")
    res = import_catalog(engine, f, skip_bad=False)
    assert res.updated == 2 and shelf_days(engine) == {"P1": None, "P2": 45}
    assert import_catalog(engine, f, skip_bad=False).updated == 0  # the same file: nothing


@pytest.mark.parametrize("bad", ["-3", "abc", "3651", "３０", "1.5"])
def test_a_bad_number_of_days_is_a_bad_row_naming_the_column(engine: Engine, tmp_path: Path,
                                                             bad: str) -> None:
    f = tmp_path / "catalog.csv"
    f.write_text(f"sku,name,barcodes,最短保质期(天)\nP1,奶粉,6952601815900,{bad}\n"
                 "P2,饼干,6901661318609,30\n", encoding="utf-8")
    with pytest.raises(ImportFailed) as exc:
        import_catalog(engine, f, skip_bad=False)
    assert f"catalog.csv row 2, min_shelf_days: not a number of days (0–3650): '{bad}'" in str(
        exc.value)
    assert shelf_days(engine) == {}
    res = import_catalog(engine, f, skip_bad=True)
    assert res.skipped == 1 and shelf_days(engine) == {"P2": 30}


def test_the_column_in_an_xlsx_catalog(engine: Engine, tmp_path: Path) -> None:
    f = write_xlsx(tmp_path / "catalog.xlsx", {"商品": [
        ["sku", "name", "barcodes", "保质期下限"],
        ["P1", "奶粉", "6952601815900", 180],
        ["P2", "饼干", 6901661318609, "60天"],
        ["P3", "T恤", "6952890786660", ""]]})
    res = import_catalog(engine, f, skip_bad=False)
    assert res.inserted == 3
    assert shelf_days(engine) == {"P1": 180, "P2": 60, "P3": None}
