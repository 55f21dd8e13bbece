"""Export shapes found in the field (issue 15, exports): Excel guards, the newer column names,
the 千牛 sub-order sheet, partly shipped orders, masked receivers, files Excel damaged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine

from pickpack.config import parse_config
from pickpack.core.release import audit_problem
from pickpack.intake import ImportFailed, import_orders
from pickpack.intake.writer import PARTIAL_REASON
from tests.intake.conftest import (
    DETAIL_HEADER,
    ORDER_HEADER,
    Writer,
    count,
    csv_text,
    events_of,
    line,
    order,
    row_of,
)

A, B = "4700000000000000001", "4700000000000000002"
PARTLY = "卖家部分发货"
PAID_STATUS = "买家已付款，等待卖家发货"


def test_excel_apostrophe_stripped(engine: Engine, write_export: Writer) -> None:
    files = write_export([order(A, 联系手机="'13800001111", 收货人姓名="'王五")], [line(A)])
    import_orders(engine, files, skip_bad=False)
    a = row_of(engine, A)
    assert (a.receiver_phone, a.receiver_name) == ("13800001111", "王五")


def test_newer_order_sheet_total_and_seller_memo(engine: Engine, tmp_path: Path) -> None:
    header = [{"买家实际支付金额": "买家实付金额", "订单备注": "商家备注"}.get(h, h)
              for h in ORDER_HEADER]
    row = order(A, 总金额="99.00", 订单备注="")
    row["买家实付金额"], row["商家备注"] = "79.50", "发顺丰"
    o, d = tmp_path / "orders.csv", tmp_path / "items.csv"
    o.write_bytes(csv_text(header, [row]).encode("utf-8"))
    d.write_bytes(csv_text(DETAIL_HEADER, [line(A)]).encode("utf-8"))
    import_orders(engine, [o, d], skip_bad=False)
    a = row_of(engine, A)
    assert (a.total, a.seller_memo) == (79.5, "发顺丰")


def test_qianniu_sub_order_sheet(engine: Engine, tmp_path: Path) -> None:
    header = ["子订单编号", "主订单编号", "商品标题", "商品价格", "购买数量", "商家编码", "商品属性",
              "订单状态"]
    rows = [{"子订单编号": "9001", "主订单编号": A, "商品标题": "T恤", "商品价格": "59.00",
             "购买数量": "2", "商家编码": "P01-01", "商品属性": "颜色:白", "订单状态": PAID_STATUS},
            {"子订单编号": "9002", "主订单编号": A, "商品标题": "袜子", "商品价格": "9.90",
             "购买数量": "1", "商家编码": "P09-01", "商品属性": "", "订单状态": PAID_STATUS}]
    o, d = tmp_path / "orders.csv", tmp_path / "suborders.csv"
    o.write_bytes(csv_text(ORDER_HEADER, [order(A)]).encode("utf-8"))
    d.write_bytes(csv_text(header, rows).encode("utf-8"))
    res = import_orders(engine, [d, o], skip_bad=False)
    assert (res.inserted, res.lines) == (1, 2)
    assert count(engine, "order_line", sku="P09-01") == 1


def test_partly_shipped_keeps_the_lines_still_to_ship(engine: Engine,
                                                      write_export: Writer) -> None:
    files = write_export(
        [order(A), order(A[:-1] + "9", PARTLY)],
        [line(A), line(A[:-1] + "9", "P01-01", 订单状态="卖家已发货，等待买家确认"),
         line(A[:-1] + "9", "P02-01", 订单状态=PAID_STATUS)])
    res = import_orders(engine, files, skip_bad=False)
    assert res.inserted == 2 and res.lines == 2
    partly = row_of(engine, A[:-1] + "9")
    assert (partly.state, partly.platform_status) == ("new", PARTLY)
    assert count(engine, "order_line", order_id=partly.id) == 1
    assert count(engine, "order_line", order_id=partly.id, sku="P02-01") == 1
    imported = json.loads(events_of(engine, A[:-1] + "9")[0].payload)
    assert imported["shipped_lines_left_out"] == 1


def test_partly_shipped_without_line_statuses_is_held(engine: Engine,
                                                      write_export: Writer) -> None:
    files = write_export([order(A), order(B, PARTLY)],
                         [line(A), line(B, 订单状态=PARTLY), line(B, "P02-01", 订单状态=PARTLY)])
    res = import_orders(engine, files, skip_bad=False)
    assert res.inserted == 2 and not res.errors
    b = row_of(engine, B)
    assert (b.state, b.hold_reason, b.held_from) == ("held", PARTIAL_REASON, "new")
    assert count(engine, "order_line", order_id=b.id) == 2
    payload = json.loads(events_of(engine, B)[0].payload)
    assert payload["state"] == "held" and payload["reason"] == PARTIAL_REASON


def test_masked_receiver_kept_and_not_held(engine: Engine, write_export: Writer) -> None:
    files = write_export([order(A, 收货人姓名="张*", 联系手机="138****1234")], [line(A)])
    import_orders(engine, files, skip_bad=False)
    a = row_of(engine, A)
    assert (a.receiver_name, a.receiver_phone) == ("张*", "138****1234")
    cfg = parse_config({}, "test")
    assert audit_problem(a, [("P01-01", 1)], {"P01-01": 10}, cfg) == ""


@pytest.mark.parametrize("where", ["orders", "items"])
def test_order_numbers_excel_damaged(engine: Engine, write_export: Writer, where: str) -> None:
    damaged = "3.51531E+16"
    files = write_export([order(A), order(damaged if where == "orders" else B)],
                         [line(A), line(damaged if where == "items" else B)])
    with pytest.raises(ImportFailed) as exc:
        import_orders(engine, files, skip_bad=True)
    assert len(exc.value.errors) == 1
    msg = str(exc.value)
    assert "3.51531E+16" in msg and "Excel" in msg and "Export it again" in msg
    assert "\n" not in msg and count(engine, "orders") == 0

