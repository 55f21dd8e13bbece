"""Importing the platform's refund export (退款报表), CSV or .xlsx, GBK or UTF-8.

Taobao's seller centre exports one row per refund (退款编号) of one order line (订单编号 with
its 商家编码), with the amount, the status, the buyer's reason and, for a return, the return
parcel's tracking number. Columns are found by header name through the aliases below (see
docs/INTAKE.md, "Refund export"); rows of one refund number are one refund with its items.
What the refunds do on the floor is :mod:`pickpack.core.aftersales.refunds`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from pickpack.config import Config
from pickpack.core.aftersales.refunds import (
    CLOSED,
    PENDING,
    SUCCESS,
    RefundRecord,
    RefundsApplied,
    apply_refunds,
)
from pickpack.core.context import Floor
from pickpack.core.events import Actor
from pickpack.i18n import N_, _
from pickpack.intake.result import SUMMARY_WORDS, ImportFailed, ImportResult, RowError
from pickpack.intake.source import (
    BadValue,
    bad_bytes,
    cell,
    digits,
    fit,
    no_formula,
    open_table,
    parse_money,
)

REQUIRED: dict[str, tuple[str, ...]] = {
    "refund_no": ("退款编号", "退款单号", "售后单号", "售后编号", "refund_no"),
    "order_no": ("订单编号", "订单号", "主订单编号", "order_no"),
    "amount": ("买家退款金额", "退款金额", "申请退款金额", "amount"),
    "status": ("退款状态", "售后状态", "status"),
}
OPTIONAL: dict[str, tuple[str, ...]] = {
    "sku": ("商家编码", "商品编码", "商家编码-规格维度", "sku"),
    "qty": ("退款数量", "退货数量", "申请数量", "qty"),
    "reason": ("买家退款原因", "退款原因", "售后原因", "reason"),
    "explain": ("买家退款说明", "退款说明"),
    "return_tracking": ("退货物流单号", "退货运单号", "买家退货物流单号", "return_tracking_no"),
    "needs_return": ("是否需要退货", "售后类型", "退款类型"),
}
CLOSED_WORDS = ("关闭", "拒绝", "取消", "撤销", "closed")
PENDING_WORDS = ("等待", "退款中", "处理中", "待", "已同意", "申请", "pending")


def status_kind(status: str) -> str:
    """退款成功 → success; 退款关闭 / 卖家拒绝退款 → closed; 等待… / 退款中 → pending."""
    if "成功" in status or status.lower() == "success":
        return SUCCESS
    if any(w in status for w in CLOSED_WORDS):
        return CLOSED
    if any(w in status for w in PENDING_WORDS):
        return PENDING
    raise BadValue("status", f"not a refund status this import knows: '{status}' (退款成功, "
                   "退款关闭, 退款中, 等待卖家同意…)")


ACTED_WORDS = {
    "cancelled": N_("{n} cancelled"),
    "split": N_("{n} split off and cancelled"),
    "held": N_("{n} held"),
    "held_partial": N_("{n} held for the desk"),
    "released": N_("{n} released"),
    "unchanged": N_("{n} unchanged"),
    "unknown_order": N_("{n} for no known order"),
    "return_expected": N_("{n} returns expected"),
    "intercept_requested": N_("{n} intercepts asked of the courier"),
    "refunded_after_shipping": N_("{n} refunded after shipping"),
    "case_opened": N_("{n} cases opened"),
}
"""What the refunds did (pickpack.core.aftersales.refunds), in words for the summary line."""


@dataclass
class RefundsResult(ImportResult):
    applied: RefundsApplied | None = None

    def summary(self) -> str:
        """One line in the reader's language: how many refunds, what each kind of them did."""
        acted = self.applied.acted if self.applied else {}
        parts = [_("{n} refunds").format(n=self.inserted)] + [
            _(ACTED_WORDS.get(what, "{n} " + what)).format(n=n)
            for what, n in sorted(acted.items())]
        if self.skipped or self.errors:
            parts.append(_("{n} bad rows skipped").format(n=self.skipped))
        line = _(SUMMARY_WORDS["refunds"]).format(counts=", ".join(parts))
        if self.applied and self.applied.unknown_orders:
            line += _("; no such order: {orders}").format(
                orders=", ".join(self.applied.unknown_orders[:10]))
        return line


def aliased_rows(path: Path, required: dict[str, tuple[str, ...]],
                 optional: dict[str, tuple[str, ...]],
                 errors: list[RowError]) -> Iterator[tuple[str, int, dict[str, str]]]:
    """(file, line, field → cleaned cell) of each readable row, columns found by alias; a
    missing required column refuses the file, an unreadable row goes to ``errors``."""
    with open_table(Path(path)) as (table, rows):
        header_errors: list[RowError] = []
        at = {k: table.col(*names, errors=header_errors) for k, names in required.items()}
        at.update({k: table.col(*names) for k, names in optional.items()})
        if header_errors:
            raise ImportFailed(header_errors)
        for line, row in rows:
            bad = bad_bytes(row, table, line)
            if bad is not None:
                errors.append(bad)
                continue
            yield table.name, line, {k: (cell(row[i]) if i is not None and i < len(row) else "")
                                     for k, i in at.items()}


def read_refunds(path: Path) -> tuple[list[RefundRecord], list[RowError]]:
    """The file's refunds (rows of one refund number merged) and the rows refused."""
    records: dict[str, RefundRecord] = {}
    errors: list[RowError] = []
    for name, line, get in aliased_rows(path, REQUIRED, OPTIONAL, errors):
        try:
            rec = _record(get)
        except BadValue as exc:
            errors.append(RowError(name, line, exc.field, exc.message))
            continue
        known = records.get(rec.refund_no)
        if known is not None:
            rec = RefundRecord(rec.refund_no, rec.order_no, known.amount + rec.amount,
                               rec.status, rec.kind, known.reason or rec.reason,
                               [*known.items, *rec.items],
                               known.return_tracking or rec.return_tracking,
                               known.needs_return or rec.needs_return)
        records[rec.refund_no] = rec
    return list(records.values()), errors


def _record(get: dict[str, str]) -> RefundRecord:
    refund_no = fit(no_formula(get["refund_no"], "refund_no", "refund number"), 40, "refund_no")
    order_no = fit(no_formula(get["order_no"], "order_no", "order number"), 40, "order_no")
    if not refund_no or not order_no:
        raise BadValue("refund_no" if not refund_no else "order_no", "empty")
    qty = get.get("qty", "")
    if qty and not digits(qty):
        raise BadValue("qty", f"not a quantity: '{qty}'")
    sku = no_formula(get.get("sku", ""), "sku", "SKU")
    items = [{"sku": sku, "qty": int(qty) if qty else None}] if sku else []
    tracking = fit(no_formula(get.get("return_tracking", ""), "return_tracking", "tracking no."),
                   40, "return_tracking")
    reason = " ".join(v for v in (get.get("reason", ""), get.get("explain", "")) if v)
    needs = get.get("needs_return", "")
    return RefundRecord(refund_no, order_no, parse_money(get["amount"] or "0", "amount"),
                        fit(get["status"], 40, "status"), status_kind(get["status"]),
                        reason[:500], items, tracking,
                        needs in ("是", "需要", "退货退款", "yes") or bool(tracking))


def import_refunds(engine: Engine, cfg: Config, path: Path, *, skip_bad: bool,
                   operator: str = "import") -> RefundsResult:
    """Read the export, then act on each refund (see pickpack.core.aftersales.refunds)."""
    records, errors = read_refunds(path)
    res = RefundsResult("refunds", errors=errors, skipped=len(errors))
    if errors and not skip_bad:
        raise ImportFailed(errors)
    res.applied = apply_refunds(Floor(engine, cfg), Actor(cfg.station.id, operator, "clerk"),
                                records)
    res.inserted = len(records)
    return res
