"""Pinduoduo and JD order exports: one file, one row per item line, the order's fields repeated.

Columns are found by header name through each platform's alias table (``SHAPES``; see
docs/INTAKE.md). The rows of one order (same order number) become one ``OrderRecord`` with its
lines; the order keeps its platform (``orders.platform``: ``pdd`` or ``jd``). Statuses map onto the
same kinds as Taobao's (paid → ``new``, unpaid, closed → cancelled, shipped → shipped_elsewhere).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from pickpack.i18n import N_
from pickpack.intake.address import Address, split_address
from pickpack.intake.result import ImportFailed, RowError
from pickpack.intake.source import (
    BadValue,
    Table,
    bad_bytes,
    cell,
    digits,
    excel_damaged,
    fit,
    no_formula,
    parse_money,
    picker,
)
from pickpack.intake.taobao import (
    Kind,
    OrderRecord,
    RejectedLine,
    _order_no,
    parse_promise,
    parse_time,
)
from pickpack.intake.writer import Line


@dataclass(frozen=True)
class Shape:
    platform: str
    required: dict[str, tuple[str, ...]]
    optional: dict[str, tuple[str, ...]]
    status: dict[str, Kind]


PDD = Shape(
    "pdd",
    required={
        "order_no": ("订单号",), "status": ("订单状态",), "qty": ("商品数量(件)", "商品数量"),
        "sku": ("商家编码-规格维度", "商家编码-商品维度", "商家编码"), "title": ("商品", "商品名称"),
        "receiver": ("收货人", "收货人姓名"), "phone": ("手机", "收货人手机号", "收货人电话"),
        "total": ("用户实付金额(元)", "商家实收金额(元)", "商品总价(元)"),
    },
    optional={
        "paid": ("支付时间", "拼单成功时间"), "created": ("订单成交时间", "支付时间"),
        "province": ("省",), "city": ("市",), "district": ("区", "区/县"),
        "street": ("街道", "街道/镇", "详细地址"), "address": ("收货地址",), "variant": ("商品规格",),
        "price": ("商品单价(元)",), "remark": ("买家留言",), "memo": ("商家备注",),
        "tracking": ("快递单号", "运单号"), "courier": ("快递公司",), "shop": ("店铺名称", "店铺"),
        "buyer": ("用户昵称",), "promised": ("承诺发货时间",),
    },
    status={
        "待发货": "paid", "待支付": "unpaid", "已取消": "closed", "未发货，退款成功": "closed",
        "已发货，退款成功": "closed", "已发货，待签收": "shipped", "已发货，待收货": "shipped",
        "已签收": "shipped", "已收货": "shipped", "交易成功": "shipped",
    },
)
JD = Shape(
    "jd",
    required={
        "order_no": ("订单号",), "status": ("订单状态",), "qty": ("订购数量", "商品数量"),
        "sku": ("商家编码", "货号", "商家SKUID", "商品ID"), "title": ("商品名称",),
        "receiver": ("客户姓名", "收货人"), "address": ("客户地址", "收货地址"),
        "phone": ("联系电话", "收货人电话"), "total": ("应付金额", "订单金额"),
    },
    optional={
        "paid": ("付款确认时间", "支付时间"), "created": ("下单时间",), "price": ("京东价",),
        "remark": ("订单备注",), "memo": ("商家备注",), "buyer": ("下单帐号", "下单账号"),
        "tracking": ("运单号",), "courier": ("快递公司", "承运商"), "shop": ("店铺名称",),
        "variant": ("商品属性",), "promised": ("预计发货时间", "应发货时间", "承诺发货时间"),
    },
    status={
        "等待出库": "paid", "等待付款": "unpaid", "等待确认收货": "shipped", "完成": "shipped",
        "已完成": "shipped", "已取消": "closed", "取消": "closed", "(删除)锁定": "closed",
        "锁定": "closed", "(删除)等待出库": "closed",
    },
)
SHAPES = (PDD, JD)


def platform_of(table: Table) -> Shape | None:
    """The platform whose export this header is (PDD: 商品数量(件)/商家编码-规格维度; JD:
    订购数量 with 客户姓名), or None."""
    cols = table.columns
    if "订单号" not in cols:
        return None
    if "商品数量(件)" in cols or "商家编码-规格维度" in cols:
        return PDD
    if "订购数量" in cols and "客户姓名" in cols:
        return JD
    return None


_KEYS = ("order_no", "status", "qty", "sku", "title", "receiver", "phone", "total", "paid",
         "created", "province", "city", "district", "street", "address", "variant", "price",
         "remark", "memo", "tracking", "courier", "shop", "buyer", "promised")


def read_platform(table: Table, rows: Iterator[tuple[int, list[str]]], shape: Shape
                  ) -> Iterator[tuple[OrderRecord, list[Line]] | RejectedLine]:
    """The file's orders with their lines, in the order of their first row; bad rows are
    RejectedLine (an order with a bad row is refused whole: never ship it short)."""
    errors: list[RowError] = []
    req = {k: table.col(*names, errors=errors) for k, names in shape.required.items()}
    if errors:
        raise ImportFailed(errors)
    ix = {**{k: table.col(*n) for k, n in shape.optional.items()}, **req}
    pick = picker([ix.get(k) for k in _KEYS])
    h = {k: table.header[i] for k, i in ix.items() if i is not None}
    orders: dict[str, tuple[OrderRecord, list[Line]]] = {}
    bad: dict[str, RejectedLine] = {}
    for line, row in rows:
        refused = bad_bytes(row, table, line)
        if refused is not None:
            no = cell(row[ix["order_no"] or 0])
            bad.setdefault(no, RejectedLine(refused, no))
            continue
        v = dict(zip(_KEYS, pick(row), strict=True))
        no = v["order_no"]
        try:
            _order_no(no, h["order_no"], table, line)
            for key in ("phone", "sku", "tracking"):
                if v[key]:
                    excel_damaged(v[key], h.get(key, ""), table.name, line)
            if no in bad:
                continue
            qty = v["qty"]
            if not digits(qty) or not 0 < int(qty) < 1_000_000:
                raise BadValue(h["qty"], N_("not a quantity: '{value}'"), value=qty)
            total = parse_money(v["total"], h["total"])
            price = (parse_money(v["price"], h["price"]) if v["price"]
                     else round(total / int(qty), 2))
            item: Line = (table.name, line, fit(v["sku"], 64, h["sku"]),
                          fit(v["title"], 200, h["title"]), fit(v["variant"], 200, h.get("variant", "")),
                          int(qty), price)
            if no in orders:
                orders[no][1].append(item)
                continue
            status = v["status"].replace(",", "，")
            kind = shape.status.get(status)
            if kind is None:
                raise BadValue(h["status"], N_("unknown order status: '{status}'"),
                               status=status)
            a = _address(v)
            if kind == "paid" and not (a.street or a.city):
                raise BadValue(h.get("address", h.get("street", "收货地址")), N_("empty"))
            when = v["created"] or v["paid"]
            if not when:
                raise BadValue(h.get("created", h.get("paid", "支付时间")), N_("empty"))
            rec = OrderRecord(
                line=line, order_no=no, status=status, kind=kind,
                buyer=fit(v["buyer"], 64, h.get("buyer", "")),
                receiver_name=fit(v["receiver"], 64, h["receiver"]),
                receiver_phone=fit(v["phone"], 32, h["phone"]),
                province=a.province[:32], city=a.city[:32], district=a.district[:32],
                street=fit(a.street, 200, h.get("address", h.get("street", ""))), postcode=a.postcode[:12],
                created_at=parse_time(when, h["created"] if v["created"] else h["paid"]),
                paid_at=parse_time(v["paid"], h["paid"]) if v["paid"] and kind != "unpaid"
                else None,
                buyer_remark=v["remark"], seller_memo=v["memo"], total=total,
                shop=fit(v["shop"], 64, h.get("shop", "")),
                tracking_no=no_formula(v["tracking"], h.get("tracking", ""), "tracking number")[:40],
                courier_name=v["courier"][:64], platform=shape.platform,
                promised_ship_at=parse_promise(v["promised"], h.get("promised", "")))
            orders[no] = (rec, [item])
        except BadValue as b:
            orders.pop(no, None)
            bad.setdefault(no, RejectedLine(b.row_error(table.name, line), no))
    yield from bad.values()
    for no, got in orders.items():
        if no not in bad:
            yield got


def _address(v: dict[str, str]) -> Address:
    if v["province"] or v["city"]:
        a = split_address(" ".join(x for x in (v["province"], v["city"], v["district"],
                                                v["street"] or v["address"]) if x))
        return a._replace(province=v["province"] or a.province, city=v["city"] or a.city,
                          district=v["district"] or a.district)
    return split_address(v["address"] or v["street"])
