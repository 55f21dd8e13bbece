"""Taobao seller-centre exports (ExportOrderList / ExportOrderDetailList) as streams of records.

Columns are found by header name, so their order does not matter. Each data row becomes an
``OrderRecord`` / ``DetailRecord`` or a ``RowError`` naming file, line and column; a missing
required column raises ImportFailed before any row is read.

Times in the exports are China time (UTC+8, no DST); records carry them as aware UTC (the
store's datetime columns refuse naive values).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

from pickpack.i18n import N_
from pickpack.intake.address import split_address
from pickpack.intake.result import ImportFailed, RowError
from pickpack.intake.source import (
    BadValue,
    Table,
    bad_bytes,
    cell,
    excel_damaged,
    fit,
    no_formula,
    parse_money,
    picker,
)

Kind = Literal["paid", "unpaid", "closed", "shipped", "partial"]
STATUS_KIND: dict[str, Kind] = {
    "买家已付款，等待卖家发货": "paid",
    "等待买家付款": "unpaid",
    "交易关闭": "closed",
    "付款以后用户退款成功，交易自动关闭": "closed",
    "卖家已发货，等待买家确认": "shipped",
    "交易成功": "shipped",
    "卖家部分发货": "partial",
}
SHIPPED_LINE = frozenset({"卖家已发货，等待买家确认", "交易成功", "卖家已发货"})
"""An item row's own status saying that line has left (a partly shipped order's other lines)."""
PLATFORM_UTC_OFFSET = timedelta(hours=8)
_ORDER_NO = re.compile(r"[0-9A-Za-z_-]{1,40}")
_QTY = re.compile(r"\d{1,6}")
_DATE_ONLY = re.compile(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}")
_TIME_FORMATS = ("%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%d %H:%M", "%Y.%m.%d %H:%M:%S",
                 "%Y/%m/%d", "%Y.%m.%d")

PROMISED = ("承诺发货时间", "应发货时间", "预计发货时间", "最晚发货时间")
"""The platform's promised ship time (pre-sales, 预售): the order sheet or the 千牛 sub-order sheet
(应发货时间) where the export has one; see docs/INTAKE.md."""
ORDER_REQUIRED: dict[str, tuple[str, ...]] = {
    "order_no": ("订单编号",), "status": ("订单状态",), "receiver": ("收货人姓名",),
    "address": ("收货地址",), "phone": ("联系手机", "联系电话"), "created": ("订单创建时间",),
    "paid": ("订单付款时间",), "total": ("买家实际支付金额", "买家实付金额", "总金额"),
}
ORDER_OPTIONAL: dict[str, tuple[str, ...]] = {
    "buyer": ("买家会员名",), "remark": ("买家留言",), "memo": ("订单备注", "商家备注"),
    "shop": ("店铺名称",),
    "tracking": ("物流单号",), "courier": ("物流公司",), "tel": ("联系电话",),
    "promised": PROMISED,
}
DETAIL_REQUIRED: dict[str, tuple[str, ...]] = {
    # the 千牛 sub-order sheet: one row per 子订单编号, its order in 主订单编号
    "order_no": ("主订单编号", "订单编号"), "title": ("标题", "宝贝标题", "商品标题"),
    "price": ("价格", "商品价格"), "qty": ("购买数量", "商品数量", "数量"), "sku": ("商家编码",),
}
DETAIL_OPTIONAL: dict[str, tuple[str, ...]] = {
    "variant": ("商品属性", "销售属性"), "status": ("订单状态", "子订单状态"),
    "promised": PROMISED,
}


@dataclass(slots=True)
class OrderRecord:
    line: int
    order_no: str
    status: str
    kind: Kind
    buyer: str
    receiver_name: str
    receiver_phone: str
    province: str
    city: str
    district: str
    street: str
    postcode: str
    created_at: datetime
    paid_at: datetime | None
    buyer_remark: str
    seller_memo: str
    total: float
    shop: str
    tracking_no: str
    courier_name: str
    left_out: int = 0
    """Item lines of a partly shipped order left out because the platform shipped them."""
    bundles: int = 0
    """Item lines that were bundles (组合商品), expanded into their components."""
    platform: str = "taobao"
    """Where the order was sold (``orders.platform``): taobao, pdd, jd."""
    promised_ship_at: datetime | None = None
    """The platform's promised ship time (承诺发货时间, pre-sales), where the export has one."""


@dataclass(slots=True)
class DetailRecord:
    line: int
    order_no: str
    title: str
    price: float
    qty: int
    variant: str
    sku: str
    shipped: bool = False
    """The row's own status says this line was shipped already (see SHIPPED_LINE)."""
    promised_ship_at: datetime | None = None
    """The line's promised ship time (the 千牛 sub-order sheet's 应发货时间), if any."""


@dataclass(slots=True)
class RejectedLine:
    """A bad row, with the order number it names (cleaned, possibly '')."""

    error: RowError
    order_no: str


def export_kind(table: Table) -> Literal["orders", "details"] | None:
    """Which export a header belongs to (order list, item detail list), or None."""
    cols = table.columns
    if "订单编号" not in cols and "主订单编号" not in cols:
        return None
    if "收货地址" in cols or "收货人姓名" in cols:
        return "orders"
    if "子订单编号" in cols or any(
            n in cols for names in DETAIL_REQUIRED.values() for n in names if n != "订单编号"):
        return "details"
    return None


def parse_time(value: str, field: str) -> datetime:
    """Export time (China time unless it says otherwise) as aware UTC."""
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        for fmt in _TIME_FORMATS:
            try:
                dt = datetime.strptime(value, fmt)
                break
            except ValueError:
                continue
        else:
            raise BadValue(field, N_("not a time: '{value}'"), value=value) from None
    if dt.year < 2000:
        raise BadValue(field, N_("not a plausible time: '{value}'"), value=value)
    try:
        if dt.tzinfo is not None:
            return dt.astimezone(UTC)
        return datetime(dt.year, dt.month, dt.day, dt.hour, dt.minute, dt.second,
                        dt.microsecond, UTC) - PLATFORM_UTC_OFFSET
    except OverflowError:
        raise BadValue(field, N_("not a plausible time: '{value}'"), value=value) from None


def parse_promise(value: str, field: str) -> datetime | None:
    """A promised ship time, or None when the cell is empty. A bare date (``2026-11-20``)
    promises that whole day: it is due at its end (23:59:59 China time)."""
    if not value:
        return None
    at = parse_time(value, field)
    if _DATE_ONLY.fullmatch(value):
        at += timedelta(days=1, seconds=-1)
    return at


def _indices(table: Table, required: dict[str, tuple[str, ...]],
             optional: dict[str, tuple[str, ...]]) -> tuple[dict[str, int], dict[str, int | None]]:
    errors: list[RowError] = []
    req = {k: table.col(*names, errors=errors) for k, names in required.items()}
    if errors:
        raise ImportFailed(errors)
    return {k: v for k, v in req.items() if v is not None}, {
        k: table.col(*names) for k, names in optional.items()}


def _order_no(value: str, field: str, table: Table, line: int) -> str:
    excel_damaged(value, field, table.name, line)
    no_formula(value, field, "order number")
    if not value:
        raise BadValue(field, N_("empty"))
    if not _ORDER_NO.fullmatch(value):
        raise BadValue(field, N_("not an order number: '{value}'"), value=value)
    return value


_ORDER_KEYS = ("order_no", "status", "receiver", "address", "phone", "created", "paid", "total",
               "buyer", "remark", "memo", "shop", "tracking", "courier", "tel", "promised")


def iter_orders(table: Table, rows: Iterator[tuple[int, list[str]]]
                ) -> Iterator[OrderRecord | RejectedLine]:
    """Order rows of an ExportOrderList, one record (or rejected line) each."""
    ix, opt = _indices(table, ORDER_REQUIRED, ORDER_OPTIONAL)
    pick = picker([ix[k] if k in ix else opt[k] for k in _ORDER_KEYS])
    h = {k: table.header[i] for k, i in (opt | ix).items() if i is not None}
    promised_h = table.header[opt["promised"]] if opt["promised"] is not None else "promised"
    for line, row in rows:
        bad = bad_bytes(row, table, line)
        if bad is not None:
            yield RejectedLine(bad, cell(row[ix["order_no"]]))
            continue
        (order_no, status, receiver, address, phone, created, paid, total, buyer, remark, memo,
         shop, tracking, courier, tel, promised) = pick(row)
        try:
            _order_no(order_no, h["order_no"], table, line)
            for key, value in (("phone", phone), ("tel", tel), ("tracking", tracking)):
                if value:
                    excel_damaged(value, h.get(key, ""), table.name, line)
            status = status.replace(",", "，")
            kind = STATUS_KIND.get(status)
            if kind is None:
                raise BadValue(h["status"], N_("unknown order status: '{status}'"), status=status)
            if kind == "paid" and not address:
                raise BadValue(h["address"], N_("empty"))
            a = split_address(address)
            if len(a.province) > 32 or len(a.city) > 32 or len(a.district) > 32:
                a = a._replace(province="", city="", district="", street=address)
            yield OrderRecord(
                line=line, order_no=order_no, status=status, kind=kind,
                buyer=fit(buyer, 64, "买家会员名"), receiver_name=fit(receiver, 64, h["receiver"]),
                receiver_phone=fit(phone or tel, 32, h["phone"]),
                province=a.province, city=a.city, district=a.district,
                street=fit(a.street, 200, h["address"]), postcode=a.postcode[:12],
                created_at=parse_time(created, h["created"]),
                paid_at=parse_time(paid, h["paid"]) if paid else None,
                buyer_remark=remark, seller_memo=memo, total=parse_money(total, h["total"]),
                shop=fit(shop, 64, "店铺名称"),
                tracking_no=no_formula(tracking, "物流单号", "tracking number")[:40],
                courier_name=courier[:64],
                promised_ship_at=parse_promise(promised, promised_h),
            )
        except BadValue as b:
            yield RejectedLine(b.row_error(table.name, line), order_no)


def iter_details(table: Table, rows: Iterator[tuple[int, list[str]]]
                 ) -> Iterator[DetailRecord | RejectedLine]:
    """Item rows of an ExportOrderDetailList, one record (or rejected line) each."""
    ix, opt = _indices(table, DETAIL_REQUIRED, DETAIL_OPTIONAL)
    keys = ("order_no", "title", "price", "qty", "sku")
    indices: list[int | None] = [ix[k] for k in keys]
    pick = picker([*indices, opt["variant"], opt["status"], opt["promised"]])
    h = {k: table.header[ix[k]] for k in keys}
    promised_h = table.header[opt["promised"]] if opt["promised"] is not None else "promised"
    for line, row in rows:
        bad = bad_bytes(row, table, line)
        if bad is not None:
            yield RejectedLine(bad, cell(row[ix["order_no"]]))
            continue
        order_no, title, price, qty, sku, variant, status, promised = pick(row)
        try:
            _order_no(order_no, h["order_no"], table, line)
            excel_damaged(sku, h["sku"], table.name, line)
            if not _QTY.fullmatch(qty) or int(qty) <= 0:
                raise BadValue(h["qty"], N_("not a quantity: '{value}'"), value=qty)
            yield DetailRecord(
                line=line, order_no=order_no, title=fit(title, 200, h["title"]),
                price=parse_money(price, h["price"]), qty=int(qty),
                variant=fit(variant, 200, "商品属性"), sku=fit(sku, 64, h["sku"]),
                shipped=status.replace(",", "，") in SHIPPED_LINE,
                promised_ship_at=parse_promise(promised, promised_h),
            )
        except BadValue as b:
            yield RejectedLine(b.row_error(table.name, line), order_no)
