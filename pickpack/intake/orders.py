"""Importing Taobao order exports into the store.

States an imported order gets (``orders.state``):

- ``new``: paid, to ship (买家已付款，等待卖家发货); release/audit takes it to the floor.
- ``unpaid``: 等待买家付款; the floor never sees it. A later export showing it paid moves it
  to ``new`` (event ``paid``).
- ``cancelled``: 交易关闭; never on the floor. A later export closing an order already known
  cancels it (event ``cancelled``, payload ``reason: platform_closed``). If it was on the floor
  (``ready``/``printed``/``picking``/``picked``/``verified``/``packed``/``weighed``/``held``) it is
  intercepted as well: event ``intercept_pending``; the next station scanning it sees
  ``state == 'cancelled'`` and shows the interception.
- ``shipped_elsewhere``: the platform says shipped (卖家已发货，等待买家确认, 交易成功) for an order
  this warehouse never shipped; imported for the record, never on the floor. A known ``new`` or
  ``unpaid`` order reported shipped becomes ``shipped_elsewhere``; orders on the floor are left
  alone (their own tracking number may have been sent to the platform already).

- ``卖家部分发货`` (partly shipped): the lines whose own item row says shipped are left out and
  the order goes on as ``new`` with the rest (event ``imported``, ``shipped_lines_left_out``);
  when the item rows do not tell them apart it keeps every line and is ``held`` with that reason
  (a supervisor releases it). It never fails the file.

An order number Excel turned into ``3.51531E+16`` refuses the whole file (it was re-saved in
Excel; the digits are lost), even with ``skip_bad``, saying how to export again.

Shipped or finished orders (any other state) are never changed by a re-import, and the lines of
a known order are never rewritten: importing the same files again changes nothing.

The detail export is streamed first into a compact dict (order no. → line tuples); the order
export is then streamed in batches into one transaction. Without ``skip_bad`` the first bad row
stops writing, the rest is only checked, and the transaction is rolled back (ImportFailed).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.engine import Connection

from pickpack.i18n import N_
from pickpack.intake.common import COMPONENT, SKU, big_cache, import_tx, record_rejected
from pickpack.intake.platforms import platform_of, read_platform
from pickpack.intake.result import ImportFailed, ImportResult, RowError
from pickpack.intake.source import open_table
from pickpack.intake.taobao import OrderRecord, RejectedLine, export_kind, iter_details, iter_orders
from pickpack.intake.writer import Line, OrderWriter

TWICE = N_("order {order_no} appears twice")


def import_orders(engine: Engine, paths: list[Path], *, skip_bad: bool, station: str = "desk",
                  operator: str = "import") -> ImportResult:
    """Import ExportOrderList + ExportOrderDetailList (any order); see the module docstring."""
    order_files, detail_files, platform_files = _classify([Path(p) for p in paths])
    res = ImportResult("orders")
    details, bad_orders, shipped, promises = _load_details(detail_files, res.errors)
    w = OrderWriter(res, station, operator)
    seen: set[str] = set()
    with import_tx(engine) as conn, big_cache(conn):
        bundles = _bundles(conn)
        for path in order_files:
            with open_table(path) as (table, rows):
                for rec in iter_orders(table, rows):
                    if not isinstance(rec, OrderRecord):
                        res.errors.append(rec.error)
                        seen.add(rec.order_no)  # its item lines are not orphans
                        details.pop(rec.order_no, None)
                        continue
                    err = _check(rec, table.name, seen, details, bad_orders)
                    seen.add(rec.order_no)
                    if err is not None:
                        res.errors.append(err)
                        continue
                    lines = details.pop(rec.order_no, [])
                    if rec.promised_ship_at is None and promises:
                        rec.promised_ship_at = promises.get(rec.order_no)
                    if rec.kind == "partial":
                        lines = _partly_shipped(rec, lines, shipped)
                    if bundles:
                        lines = _expand(rec, lines, bundles)
                    if skip_bad or not res.errors:
                        w.add(conn, rec, lines, table.name)
        for path in platform_files:
            with open_table(path) as (table, rows):
                shape = platform_of(table)
                assert shape is not None
                for got in read_platform(table, rows, shape):
                    if isinstance(got, RejectedLine):
                        res.errors.append(got.error)
                        seen.add(got.order_no)
                        continue
                    rec, lines = got
                    if rec.order_no in seen:
                        res.errors.append(RowError.of(
                            table.name, rec.line, shape.required["order_no"][0], TWICE,
                            order_no=rec.order_no))
                        continue
                    seen.add(rec.order_no)
                    if bundles:
                        lines = _expand(rec, lines, bundles)
                    if skip_bad or not res.errors:
                        w.add(conn, rec, lines, table.name)
        for order_no, lines in details.items():
            if order_no not in seen:
                f, line = lines[0][0], lines[0][1]
                res.errors.append(RowError.of(f, line, "订单编号", N_(
                    "order {order_no} is not in the order export"), order_no=order_no))
        if res.errors and not skip_bad:
            raise ImportFailed(res.errors)
        w.flush(conn)
        res.skipped = len(res.errors)
        record_rejected(conn, res.errors, station=station, operator=operator)
    return res


def _classify(paths: list[Path]) -> tuple[list[Path], list[Path], list[Path]]:
    orders: list[Path] = []
    details: list[Path] = []
    platform: list[Path] = []
    errors: list[RowError] = []
    for p in paths:
        with open_table(p) as (table, _rows):
            kind = export_kind(table)
            other = platform_of(table) if kind is None else None
        if other is not None:
            platform.append(p)
            continue
        if kind is None:
            errors.append(RowError(p.name, 1, "", N_(
                "not a Taobao order or item export: the header lacks 订单编号 with 收货地址 "
                "(orders) or 购买数量/商家编码 (items); nor Pinduoduo's or JD's (订单号 with "
                "商品数量(件) or 订购数量)")))
        (orders if kind == "orders" else details if kind == "details" else []).append(p)
    if platform and not errors and not orders and not details:
        return orders, details, platform
    if not errors and not orders:
        errors.append(RowError(", ".join(p.name for p in paths), 0, "",
                               N_("no order export (ExportOrderList) among the files")))
    if not errors and not details:
        errors.append(RowError(", ".join(p.name for p in paths), 0, "",
                               N_("no item export (ExportOrderDetailList) among the files")))
    if errors:
        raise ImportFailed(errors)
    return orders, details, platform


Parts = dict[str, list[tuple[str, int, str]]]
"""Bundle SKU → its components (sku, units per bundle, catalog name)."""


def _bundles(conn: Connection) -> Parts:
    out: Parts = {}
    for bundle, comp, qty, name in conn.execute(
        select(COMPONENT.c.bundle, COMPONENT.c.component, COMPONENT.c.qty, SKU.c.name)
        .join(SKU, SKU.c.sku == COMPONENT.c.component)
        .order_by(COMPONENT.c.bundle, COMPONENT.c.component)
    ):
        out.setdefault(bundle, []).append((comp, qty, name))
    return out


def _expand(rec: OrderRecord, lines: list[Line], bundles: Parts) -> list[Line]:
    """Lines of a bundle (组合商品) become its component lines, so pick and verify see what is in
    the bin; the bundle's title is kept in the variant, its price on the first component."""
    out: list[Line] = []
    for f, n, sku, title, variant, qty, price in lines:
        parts = bundles.get(sku)
        if not parts:
            out.append((f, n, sku, title, variant, qty, price))
            continue
        rec.bundles += 1
        for i, (comp, units, name) in enumerate(parts):
            out.append((f, n, comp, name, f"组合 {sku}: {title}"[:200], qty * units,
                        price if i == 0 else 0.0))
    return out


def _partly_shipped(rec: OrderRecord, lines: list[Line],
                    shipped: set[tuple[str, int]]) -> list[Line]:
    """A 卖家部分发货 order keeps the lines still to ship and goes to the floor (``paid``); when
    its item rows do not say which those are, it keeps them all and is held (``partial``)."""
    to_ship = [x for x in lines if (x[0], x[1]) not in shipped]
    if 0 < len(to_ship) < len(lines):
        rec.kind, rec.left_out = "paid", len(lines) - len(to_ship)
        return to_ship
    return lines


def _load_details(paths: list[Path], errors: list[RowError]
                  ) -> tuple[dict[str, list[Line]], set[str], set[tuple[str, int]],
                             dict[str, datetime]]:
    """Item lines by order, orders with a bad line, shipped lines (file, row) and the earliest
    promised ship time of each order's lines (the 千牛 sub-order sheet's 应发货时间)."""
    by_order: dict[str, list[Line]] = {}
    promises: dict[str, datetime] = {}
    bad_orders: set[str] = set()
    shipped: set[tuple[str, int]] = set()
    pool: dict[str, str] = {}
    for path in paths:
        with open_table(path) as (table, rows):
            name = table.name
            for d in iter_details(table, rows):
                if isinstance(d, RejectedLine):
                    errors.append(d.error)
                    bad_orders.add(d.order_no)  # never ship an order short of a bad line
                    continue
                p = pool.setdefault
                if d.shipped:
                    shipped.add((name, d.line))
                elif d.promised_ship_at is not None:
                    known = promises.get(d.order_no)
                    if known is None or d.promised_ship_at < known:
                        promises[d.order_no] = d.promised_ship_at
                by_order.setdefault(d.order_no, []).append(
                    (name, d.line, p(d.sku, d.sku), p(d.title, d.title), p(d.variant, d.variant),
                     d.qty, d.price))
    return by_order, bad_orders, shipped, promises


def _check(rec: OrderRecord, file: str, seen: set[str], details: dict[str, list[Line]],
           bad_orders: set[str]) -> RowError | None:
    if rec.order_no in seen:
        return RowError.of(file, rec.line, "订单编号", TWICE, order_no=rec.order_no)
    if rec.order_no in bad_orders:
        return RowError.of(file, rec.line, "订单编号", N_(
            "order {order_no} has bad lines in the item export"), order_no=rec.order_no)
    if rec.kind in ("paid", "unpaid", "partial") and rec.order_no not in details:
        return RowError.of(file, rec.line, "订单编号", N_(
            "order {order_no} has no lines in the item export"), order_no=rec.order_no)
    return None
