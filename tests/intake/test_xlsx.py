"""Exports saved as .xlsx (issue 15, exports) read like their CSV twins."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from pickpack.intake import ImportFailed, import_catalog, import_orders
from tests.intake.conftest import DETAIL_HEADER, ORDER_HEADER, count, line, order, row_of
from tests.intake.xlsx import write_xlsx

A, B = "4900000000000000001", "4900000000000000002"


def _grid(header: list[str], rows: list[dict[str, str]]) -> list[list[object]]:
    return [list(header), *[[r.get(h, "") for h in header] for r in rows]]


def _orders(tmp_path: Path, *rows: dict[str, str]) -> Path:
    grid = _grid(ORDER_HEADER, list(rows))
    i = ORDER_HEADER.index("联系手机")
    for r in grid[1:]:
        r[i] = float(str(r[i]).strip('="'))  # Excel keeps a phone as a number
    return write_xlsx(tmp_path / "ExportOrderList.xlsx",
                      {"说明": [["导出时间", "2026-11-13"]], "订单": grid})


def test_xlsx_orders_and_items(engine: Engine, tmp_path: Path) -> None:
    o = _orders(tmp_path, order(A), order(B, 买家实际支付金额="12.50"))
    d = write_xlsx(tmp_path / "ExportOrderDetailList.xlsx",
                   {"Sheet1": _grid(DETAIL_HEADER, [line(A), line(A, "P02-01", "2"), line(B)])})
    res = import_orders(engine, [o, d], skip_bad=False)
    assert (res.inserted, res.lines) == (2, 3)
    a, b = row_of(engine, A), row_of(engine, B)
    assert (a.receiver_phone, a.province, b.total) == ("13800000000", "浙江省", 12.5)


def test_xlsx_order_number_held_as_a_number_is_refused(engine: Engine, tmp_path: Path) -> None:
    grid = _grid(ORDER_HEADER, [order(A)])
    grid[1][0] = 3.9000000000000005e18
    o = write_xlsx(tmp_path / "orders.xlsx", {"订单": grid})
    d = write_xlsx(tmp_path / "items.xlsx", {"Sheet1": _grid(DETAIL_HEADER, [line(A)])})
    with pytest.raises(ImportFailed) as exc:
        import_orders(engine, [o, d], skip_bad=True)
    assert "3.9E+18" in str(exc.value) and "Excel" in str(exc.value)


def test_xlsx_catalog(engine: Engine, tmp_path: Path) -> None:
    f = write_xlsx(tmp_path / "catalog.xlsx", {"SKU": [
        ["sku", "name", "barcodes", "weight_g", "on_hand"],
        ["P01-01", "T恤", "6901234567892", 210.5, 12],
        ["P02-01", "袜", 6901234567885, 90, 3]]})
    res = import_catalog(engine, f, skip_bad=False)
    assert (res.inserted, res.lines) == (2, 2)
    assert count(engine, "barcode", code="6901234567885") == 1


def test_broken_xlsx_is_one_line(engine: Engine, tmp_path: Path) -> None:
    f = tmp_path / "catalog.xlsx"
    f.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ImportFailed) as exc:
        import_catalog(engine, f, skip_bad=False)
    msg = str(exc.value)
    assert msg.startswith("catalog.xlsx: not a readable spreadsheet") and "\n" not in msg


def test_qianniu_multi_sheet_receivers_in_the_shipping_sheet(engine: Engine,
                                                             tmp_path: Path) -> None:
    receiver = ["收货人姓名", "收货地址", "联系手机"]
    order_cols = [h for h in ORDER_HEADER if h not in (*receiver, "联系电话")]
    rows = [order(A), order(B, 收货人姓名="李四", 收货地址="上海 上海市 浦东新区 世纪大道1号")]
    ship = [["订单编号", *receiver], *[[r["订单编号"], r["收货人姓名"], r["收货地址"], r["联系手机"]]
                                     for r in reversed(rows)]]
    o = write_xlsx(tmp_path / "qianniu.xlsx", {"订单报表": _grid(order_cols, rows),
                                               "发货报表": ship})
    d = write_xlsx(tmp_path / "items.xlsx", {"Sheet1": _grid(DETAIL_HEADER, [line(A), line(B)])})
    assert import_orders(engine, [o, d], skip_bad=False).inserted == 2
    a, b = row_of(engine, A), row_of(engine, B)
    assert (a.receiver_name, a.city, a.receiver_phone) == ("张三", "杭州市", "13800000000")
    assert (b.receiver_name, b.district) == ("李四", "浦东新区")
