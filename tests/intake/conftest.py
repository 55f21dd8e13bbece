"""Fixtures for the importers: a fresh store and small Taobao-shaped exports written on demand."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from db.engine import make_engine
from db.models import metadata

ORDER_HEADER = ["订单编号", "买家会员名", "买家支付宝账号", "买家应付货款", "买家应付邮费", "总金额",
                "买家实际支付金额", "订单状态", "买家留言", "收货人姓名", "收货地址", "运送方式", "联系电话",
                "联系手机", "订单创建时间", "订单付款时间", "宝贝标题", "宝贝种类", "物流单号", "物流公司",
                "订单备注", "宝贝总数量", "店铺名称"]
DETAIL_HEADER = ["订单编号", "标题", "价格", "购买数量", "外部系统编号", "商品属性", "套餐信息", "备注",
                 "订单状态", "商家编码"]
PAID = "买家已付款，等待卖家发货"
UNPAID = "等待买家付款"
CLOSED = "交易关闭"


def order(no: str, status: str = PAID, **kw: str) -> dict[str, str]:
    row = {"订单编号": f'="{no}"', "买家会员名": "tb123", "买家支付宝账号": "**", "买家应付货款": "89.00",
           "买家应付邮费": "0.00", "总金额": "89.00", "买家实际支付金额": "89.00", "订单状态": status,
           "买家留言": "", "收货人姓名": "张三", "收货地址": "浙江省 杭州市 西湖区 文三路1号(310012)",
           "运送方式": "快递", "联系电话": "", "联系手机": '="13800000000"',
           "订单创建时间": "2026-11-13 12:00:00",
           "订单付款时间": "2026-11-13 12:05:00" if status != UNPAID else "",
           "宝贝标题": "T恤", "宝贝种类": "1", "物流单号": "", "物流公司": "", "订单备注": "",
           "宝贝总数量": "1", "店铺名称": "示例旗舰店"}
    row.update(kw)
    return row


def line(no: str, sku: str = "P01-01", qty: str = "1", **kw: str) -> dict[str, str]:
    row = {"订单编号": f'="{no}"', "标题": "纯棉圆领短袖T恤", "价格": "89.00", "购买数量": qty,
           "外部系统编号": "", "商品属性": "颜色分类:白色;尺码:L", "套餐信息": "", "备注": "",
           "订单状态": PAID, "商家编码": sku}
    row.update(kw)
    return row


def csv_text(header: list[str], rows: list[dict[str, str]], newline: str = "\r\n") -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator=newline)
    w.writerow(header)
    for r in rows:
        w.writerow([r.get(h, "") for h in header])
    return buf.getvalue()


Writer = Callable[..., list[Path]]


@pytest.fixture
def write_export(tmp_path: Path) -> Writer:
    """write_export(orders, lines, encoding="gb18030", newline="\\r\\n") → [order file, item file]."""

    def write(orders: list[dict[str, str]], lines: list[dict[str, str]], *,
              encoding: str = "gb18030", newline: str = "\r\n", tag: str = "") -> list[Path]:
        o = tmp_path / f"ExportOrderList{tag}.csv"
        d = tmp_path / f"ExportOrderDetailList{tag}.csv"
        o.write_bytes(csv_text(ORDER_HEADER, orders, newline).encode(encoding))
        d.write_bytes(csv_text(DETAIL_HEADER, lines, newline).encode(encoding))
        return [o, d]

    return write


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    e = make_engine("sqlite:///" + str(tmp_path / "t.db"))
    metadata.create_all(e)
    return e


def count(engine: Engine, table: str, **where: Any) -> int:
    t = metadata.tables[table]
    q = select(func.count()).select_from(t)
    for k, v in where.items():
        q = q.where(t.c[k] == v)
    with engine.connect() as c:
        return int(c.execute(q).scalar_one())


def counts(engine: Engine) -> tuple[int, int, int]:
    return count(engine, "orders"), count(engine, "order_line"), count(engine, "event")


def row_of(engine: Engine, order_no: str) -> Any:
    t = metadata.tables["orders"]
    with engine.connect() as c:
        return c.execute(select(t).where(t.c.order_no == order_no)).one()


def events_of(engine: Engine, order_no: str) -> list[Any]:
    o, e = metadata.tables["orders"], metadata.tables["event"]
    with engine.connect() as c:
        return list(c.execute(select(e).join(o, o.c.id == e.c.order_id)
                              .where(o.c.order_no == order_no).order_by(e.c.id)))
