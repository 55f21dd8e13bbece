"""A UTF-8 file with one row saved in GBK (issue 13 item 15): the bad row is named, the good
rows read right. It used to be read as GB18030 whole: every good Chinese row refused as
"bytes not valid gb18030" and the GBK row taken without a word."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from db.models import metadata
from pickpack.intake import ImportFailed, import_catalog, import_orders
from pickpack.intake.source import detect_encoding
from tests.intake.conftest import (
    DETAIL_HEADER,
    ORDER_HEADER,
    count,
    csv_text,
    line,
    order,
    row_of,
)


def _mixed(lines: list[str], gbk_at: int) -> bytes:
    return b"".join(x.encode("gbk") if i == gbk_at else x.encode("utf-8")
                    for i, x in enumerate(lines))


def test_sample_catalog_with_one_gbk_row(engine: Engine, tmp_path: Path,
                                         shared_data: Path) -> None:
    src = (shared_data / "catalog.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    f = tmp_path / "catalog.csv"
    f.write_bytes(_mixed(src, 5))
    bad_sku, bad_name = src[5].split(",")[:2]
    with pytest.raises(ImportFailed) as exc:
        import_catalog(engine, f, skip_bad=False)
    assert [str(e) for e in exc.value.errors] == [
        f"catalog.csv row 6, name: column 2 is GBK-encoded ('{bad_name}') in a UTF-8 file: save "
        "the whole file as UTF-8 and import it again"]
    res = import_catalog(engine, f, skip_bad=True)
    assert (res.inserted, res.skipped) == (len(src) - 2, 1)
    sku = metadata.tables["sku"]
    with engine.connect() as c:
        names = dict(c.execute(select(sku.c.sku, sku.c.name)).all())
    assert bad_sku not in names
    assert sorted(names.values()) == sorted(x.split(",")[1] for i, x in enumerate(src)
                                            if i not in (0, 5))


def test_utf8_order_export_with_one_gbk_row(engine: Engine, tmp_path: Path) -> None:
    nos = [f"4600000000000000{i:03d}" for i in range(6)]
    rows = csv_text(ORDER_HEADER, [order(n, 收货人姓名=f"李{i}") for i, n in enumerate(nos)])
    o, d = tmp_path / "ExportOrderList.csv", tmp_path / "ExportOrderDetailList.csv"
    o.write_bytes(_mixed(rows.splitlines(keepends=True), 3))
    d.write_bytes(csv_text(DETAIL_HEADER, [line(n) for n in nos]).encode("utf-8"))
    res = import_orders(engine, [o, d], skip_bad=True)
    assert res.inserted == 5 and count(engine, "orders") == 5
    assert [(e.file, e.row) for e in res.errors] == [("ExportOrderList.csv", 4)]
    assert "GBK-encoded" in res.errors[0].message
    assert row_of(engine, nos[0]).receiver_name == "李0"
    assert row_of(engine, nos[5]).street == "文三路1号"


def test_encoding_guess() -> None:
    utf8, gbk = "甲,乙\n".encode(), "甲,乙\n".encode("gbk")
    assert detect_encoding(utf8 * 3 + gbk) == "utf-8"
    assert detect_encoding(gbk * 3 + utf8) == "gb18030"
    assert detect_encoding(gbk) == "gb18030" and detect_encoding(b"a,b\n" + gbk) == "gb18030"
