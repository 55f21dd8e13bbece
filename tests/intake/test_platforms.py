"""Pinduoduo and JD order exports (issue 15, exports): one file, one row per item line, each
order keeping its platform. Headers as public importers of these exports spell them."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from pickpack.intake import ImportFailed, import_orders
from tests.intake.conftest import Writer, count, csv_text, line, order, row_of

PDD_HEADER = ["商品", "订单号", "订单状态", "商品总价(元)", "店铺优惠折扣(元)", "平台优惠折扣(元)",
              "邮费(元)", "用户实付金额(元)", "商家实收金额(元)", "商品数量(件)", "收货人", "手机",
              "省", "市", "区", "街道", "支付时间", "订单成交时间", "发货时间", "确认收货时间",
              "商品id", "商品规格", "样式ID", "商家编码-规格维度", "商家编码-商品维度", "快递单号",
              "快递公司", "商家备注", "买家留言", "售后状态"]
JD_HEADER = ["订单号", "商品ID", "商品名称", "订购数量", "支付方式", "下单时间", "京东价", "订单金额",
             "结算金额", "应付金额", "订单状态", "订单类型", "下单帐号", "客户姓名", "客户地址",
             "联系电话", "订单备注", "商家备注", "付款确认时间", "货号"]


def pdd(no: str, sku: str = "P01-01", status: str = "待发货", **kw: str) -> dict[str, str]:
    row = {"商品": "纯棉T恤", "订单号": no, "订单状态": status, "商品总价(元)": "59.00",
           "用户实付金额(元)": "49.90", "商家实收金额(元)": "49.40", "商品数量(件)": "1",
           "收货人": "王*", "手机": "138****5678", "省": "广东省", "市": "深圳市", "区": "南山区",
           "街道": "学院路1号", "支付时间": "2026-11-13 12:05:00", "订单成交时间": "2026-11-13 12:05:00",
           "商品规格": "白色,L", "商家编码-规格维度": sku, "商家备注": "", "买家留言": "",
           "售后状态": "无售后或售后取消"}
    row.update(kw)
    return row


def jd(no: str, sku: str, qty: str = "1", **kw: str) -> dict[str, str]:
    row = {"订单号": no, "商品ID": "100012345678", "商品名称": "陶瓷杯", "订购数量": qty,
           "下单时间": "2026-11-13 10:00:00", "京东价": "35.00", "订单金额": "70.00",
           "应付金额": "70.00", "订单状态": "等待出库", "下单帐号": "jd_user", "客户姓名": "赵六",
           "客户地址": "北京 北京市 朝阳区 建国路8号", "联系电话": "13912345678",
           "付款确认时间": "2026-11-13 10:01:00", "货号": sku}
    row.update(kw)
    return row


def _file(tmp_path: Path, name: str, header: list[str], rows: list[dict[str, str]]) -> Path:
    f = tmp_path / name
    f.write_bytes(csv_text(header, rows).encode("utf-8-sig"))
    return f


def test_pinduoduo_export(engine: Engine, tmp_path: Path) -> None:
    f = _file(tmp_path, "pdd.csv", PDD_HEADER,
              [pdd("201113-123456789012345"), pdd("201113-123456789012346", status="已取消"),
               pdd("201113-123456789012347", status="已发货，待签收", 快递单号="YT1234567890")])
    res = import_orders(engine, [f], skip_bad=False)
    assert (res.inserted, res.lines) == (3, 3)
    o = row_of(engine, "201113-123456789012345")
    assert (o.platform, o.state, o.total, o.province, o.city, o.district, o.street) == (
        "pdd", "new", 49.9, "广东省", "深圳市", "南山区", "学院路1号")
    assert (o.receiver_name, o.receiver_phone) == ("王*", "138****5678")
    assert row_of(engine, "201113-123456789012346").state == "cancelled"
    assert row_of(engine, "201113-123456789012347").state == "shipped_elsewhere"


def test_jd_export_lines_of_one_order_grouped(engine: Engine, tmp_path: Path) -> None:
    f = _file(tmp_path, "jd.csv", JD_HEADER,
              [jd("280000000001", "MUG-1", "2"), jd("280000000002", "MUG-1"),
               jd("280000000001", "TEE-1", "1", 商品名称="T恤")])
    res = import_orders(engine, [f], skip_bad=False)
    assert (res.inserted, res.lines) == (2, 3)
    o = row_of(engine, "280000000001")
    assert (o.platform, o.state, o.city, o.district, o.total) == ("jd", "new", "北京市", "朝阳区",
                                                                  70.0)
    assert count(engine, "order_line", order_id=o.id) == 2


def test_a_bad_row_refuses_its_whole_order(engine: Engine, tmp_path: Path) -> None:
    f = _file(tmp_path, "jd.csv", JD_HEADER,
              [jd("280000000001", "MUG-1"), jd("280000000001", "TEE-1", "x"),
               jd("280000000003", "MUG-1")])
    with pytest.raises(ImportFailed, match="jd.csv row 3, 订购数量: not a quantity"):
        import_orders(engine, [f], skip_bad=False)
    res = import_orders(engine, [f], skip_bad=True)
    assert res.inserted == 1 and count(engine, "orders", order_no="280000000001") == 0


def test_platforms_and_taobao_in_one_import(engine: Engine, tmp_path: Path,
                                            write_export: Writer) -> None:
    taobao = write_export([order("3900000000000000001")], [line("3900000000000000001")])
    f = _file(tmp_path, "pdd.csv", PDD_HEADER, [pdd("201113-1")])
    res = import_orders(engine, [*taobao, f], skip_bad=False)
    assert res.inserted == 2
    assert row_of(engine, "3900000000000000001").platform == "taobao"
    assert row_of(engine, "201113-1").platform == "pdd"
