"""The platform's promised ship time (承诺发货时间, pre-sales; issue 17 §1) imported from every
export shape that has one into ``orders.promised_ship_at``, CSV and .xlsx. Headers as public
importers of these exports spell them (docs/INTAKE.md says where each was found); rows are ours.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import Engine

from pickpack.intake import ImportFailed, import_orders
from tests.intake.conftest import ORDER_HEADER, csv_text, events_of, order, row_of
from tests.intake.xlsx import write_xlsx

CST = timezone(timedelta(hours=8))
A, B = "4900000000000000101", "4900000000000000102"
PAID = "买家已付款，等待卖家发货"

# the 千牛 sub-order sheet as public importers read it: 应发货时间 per sub-order
QIANNIU_SUB = ["子订单编号", "主订单编号", "商品标题", "商品价格", "购买数量", "外部系统编号", "商品属性",
               "套餐信息", "联系方式备注", "订单状态", "商家编码", "支付单号", "买家应付货款", "买家实付金额",
               "退款状态", "退款金额", "订单创建时间", "订单付款时间", "发货时间", "应发货时间", "商品 ID",
               "备注标签", "商家备注", "主订单买家留言", "物流单号", "物流公司"]
# Pinduoduo's order export (商品, 订单号, 订单状态, 商品数量(件), 是否审核中, 支付时间, 承诺发货时间 …);
# the receiver columns 收货人, 手机, 省, 市, 区, 街道 as the exports that still carry them
PDD = ["商品", "订单号", "订单状态", "商品数量(件)", "是否审核中", "支付时间", "承诺发货时间", "发货时间",
       "确认收货时间", "商品id", "商品规格", "样式ID", "商家编码-规格维度", "商家编码-商品维度", "商家备注",
       "买家留言", "售后状态", "订单成交时间", "商品总价(元)", "邮费(元)", "店铺优惠折扣(元)",
       "平台优惠折扣(元)", "用户实付金额(元)", "商家实收金额(元)", "快递单号", "快递公司", "收货人", "手机",
       "省", "市", "区", "街道"]
# JD's order export (30 columns, as a public importer numbers them)
JD = ["订单号", "商品ID", "商品名称", "订购数量", "支付方式", "下单时间",
      "京东价", "订单金额", "结算金额", "余额支付", "应付金额", "订单状态",
      "订单类型", "下单帐号", "客户姓名", "客户地址", "联系电话", "订单备注",
      "发票类型", "发票抬头", "发票内容", "商家备注", "商家备注等级（等级1-5为由高到低）", "运费金额",
      "付款确认时间", "增值税发票", "货号", "订单完成时间", "订单来源", "订单渠道"]


def cst(day: int, hh: int, mm: int = 0, ss: int = 0) -> datetime:
    return datetime(2026, 11, day, hh, mm, ss, tzinfo=CST).astimezone(UTC)


def sub(no: str, main: str, sku: str, due: str, **kw: str) -> dict[str, str]:
    row = {"子订单编号": no, "主订单编号": main, "商品标题": "羽绒服（预售）", "商品价格": "399.00",
           "购买数量": "1", "订单状态": PAID, "商家编码": sku, "买家实付金额": "399.00",
           "订单创建时间": "2026-11-11 00:02:11", "订单付款时间": "2026-11-11 00:02:30",
           "应发货时间": due}
    row.update(kw)
    return row


def pdd(no: str, promised: str, status: str = "待发货", **kw: str) -> dict[str, str]:
    row = {"商品": "加绒卫衣", "订单号": no, "订单状态": status, "商品数量(件)": "1", "是否审核中": "否",
           "支付时间": "2026-11-12 20:15:03", "承诺发货时间": promised, "商品规格": "黑色,XL",
           "商家编码-规格维度": "P03-02", "售后状态": "无售后或售后取消",
           "订单成交时间": "2026-11-12 20:15:03", "商品总价(元)": "69.00", "用户实付金额(元)": "59.00",
           "商家实收金额(元)": "58.40", "收货人": "李*", "手机": "136****0001", "省": "江苏省",
           "市": "南京市", "区": "鼓楼区", "街道": "中山北路2号"}
    row.update(kw)
    return row


def jd(no: str, **kw: str) -> dict[str, str]:
    row = {"订单号": no, "商品ID": "100098765432", "商品名称": "保温杯", "订购数量": "1",
           "支付方式": "在线支付", "下单时间": "2026-11-13 09:00:00", "京东价": "79.00",
           "订单金额": "79.00", "结算金额": "79.00", "应付金额": "79.00", "订单状态": "等待出库",
           "订单类型": "销售订单", "下单帐号": "jd_buyer", "客户姓名": "钱七",
           "客户地址": "上海 上海市 浦东新区 世纪大道100号", "联系电话": "13700000000",
           "付款确认时间": "2026-11-13 09:00:40", "货号": "P05-01", "订单来源": "移动端订单"}
    row.update(kw)
    return row


def grid(header: list[str], rows: list[dict[str, str]]) -> list[list[object]]:
    return [list(header), *[[r.get(h, "") for h in header] for r in rows]]


def test_qianniu_sub_order_sheet_carries_the_promise(engine: Engine, tmp_path: Path) -> None:
    """应发货时间 is a sub-order's: the order's promise is its earliest line's."""
    o, d = tmp_path / "orders.csv", tmp_path / "suborders.csv"
    o.write_bytes(csv_text(ORDER_HEADER, [order(A), order(B)]).encode("gb18030"))
    d.write_bytes(csv_text(QIANNIU_SUB, [
        sub("9101", A, "P01-01", "2026-11-20 23:59:59"),
        sub("9102", A, "P02-01", "2026-11-18 12:00:00"),
        sub("9103", B, "P01-01", "")]).encode("gb18030"))
    res = import_orders(engine, [o, d], skip_bad=False)
    assert (res.inserted, res.lines) == (2, 3)
    assert row_of(engine, A).promised_ship_at == cst(18, 12)
    assert row_of(engine, B).promised_ship_at is None  # no promise: 72 h from payment applies
    imported = events_of(engine, A)[0]
    assert "2026-11-18T04:00:00+00:00" in imported.payload


def test_order_sheet_promise_with_a_bare_date_is_due_at_its_end(engine: Engine,
                                                                tmp_path: Path) -> None:
    """An order sheet with 最晚发货时间 (a bare date) promises that whole day."""
    header = [*ORDER_HEADER, "最晚发货时间"]
    o, d = tmp_path / "orders.csv", tmp_path / "suborders.csv"
    o.write_bytes(csv_text(header, [order(A, 最晚发货时间="2026/11/19")]).encode("utf-8-sig"))
    d.write_bytes(csv_text(QIANNIU_SUB, [sub("9201", A, "P01-01", "")]).encode("utf-8-sig"))
    import_orders(engine, [o, d], skip_bad=False)
    assert row_of(engine, A).promised_ship_at == cst(19, 23, 59, 59)


def test_pinduoduo_csv_promise(engine: Engine, tmp_path: Path) -> None:
    f = tmp_path / "pdd_orders.csv"
    f.write_bytes(csv_text(PDD, [pdd("261112-001122334455667", "2026-11-27 20:15:03"),
                                 pdd("261112-001122334455668", "")]).encode("utf-8-sig"))
    res = import_orders(engine, [f], skip_bad=False)
    assert res.inserted == 2
    o = row_of(engine, "261112-001122334455667")
    assert (o.platform, o.state, o.promised_ship_at) == ("pdd", "new", cst(27, 20, 15, 3))
    assert row_of(engine, "261112-001122334455668").promised_ship_at is None


def test_pinduoduo_xlsx_promise_and_street_town(engine: Engine, tmp_path: Path) -> None:
    """The newer export names the street column 街道/镇; the promise reads from .xlsx too."""
    header = [("街道/镇" if h == "街道" else h) for h in PDD]
    row = pdd("261112-001122334455669", "2026-11-26 10:00:00")
    row["街道/镇"] = row.pop("街道")
    f = write_xlsx(tmp_path / "pdd_orders.xlsx", {"订单": grid(header, [row])})
    import_orders(engine, [f], skip_bad=False)
    o = row_of(engine, "261112-001122334455669")
    assert (o.street, o.promised_ship_at) == ("中山北路2号", cst(26, 10))


def test_jd_xlsx_without_a_promise_and_a_deleted_order(engine: Engine, tmp_path: Path) -> None:
    """JD's 30-column export has no promise column: the order falls back to 72 h from payment;
    (删除)等待出库 (an order JD split and deleted) is closed, not a bad status."""
    f = write_xlsx(tmp_path / "jd_orders.xlsx", {"Sheet1": grid(JD, [
        jd("261113001"), jd("261113002", 订单状态="(删除)等待出库",
                            商家备注="订单拆分为  261113003    261113004")])})
    res = import_orders(engine, [f], skip_bad=False)
    assert res.inserted == 2
    a, b = row_of(engine, "261113001"), row_of(engine, "261113002")
    assert (a.platform, a.state, a.promised_ship_at) == ("jd", "new", None)
    assert b.state == "cancelled"


def test_a_promise_that_is_not_a_time_is_refused_naming_row_and_column(
        engine: Engine, tmp_path: Path) -> None:
    f = tmp_path / "pdd_orders.csv"
    f.write_bytes(csv_text(PDD, [pdd("261112-001122334455670", "下周")]).encode("utf-8-sig"))
    with pytest.raises(ImportFailed) as exc:
        import_orders(engine, [f], skip_bad=False)
    assert "pdd_orders.csv" in str(exc.value) and "承诺发货时间" in str(exc.value)
    assert "not a time: '下周'" in str(exc.value)
