"""The day's after-sales register as shops keep it (售后登记表), for the desk, CSV and xlsx.

A day is the warehouse's local day (``[floor] timezone``); the register lists the cases opened
that day and every case still open from an earlier day (overdue: no solution by the end of its
day), so that a case is followed until it is closed.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import Connection

from pickpack.config import Config
from pickpack.core.aftersales.cases import KINDS, STEPS, CaseView, list_cases, overdue_cases
from pickpack.core.aftersales.words import in_words
from pickpack.core.events import now
from pickpack.core.reports import floor_tz, local_time
from pickpack.i18n import N_, _
from pickpack.text import sheet_cell

HEADER = ["登记日期", "单号", "订单编号", "买家", "问题类型", "商品", "买家描述", "核查结论",
          "处理方式", "处理人", "责任人", "责任环节", "确认主管", "状态", "解决时间", "逾期"]
"""The register's columns, in the layout shops keep (Chinese, as the sheet is printed)."""
KIND_ZH = {
    "short": "少货", "wrong_item": "错货", "damaged": "运输破损", "lost": "丢件",
    "exchange": "换货", "quality": "质量问题", "invoice": "发票", "address": "发货后改地址",
    "return_mismatch": "退货不符", "unregistered_return": "无登记退货", "ship_short": "缺货发出",
    "tracking": "物流异常", "intercept": "快递拦截", "refund_in_parcel": "合并包裹部分退款",
    "other": "其他",
}
STEP_NAMES = {"pick": N_("pick"), "verify": N_("verify"), "pack": N_("pack"),
              "weigh": N_("weigh"), "ship": N_("hand-over"), "courier": N_("courier"),
              "buyer": N_("buyer"), "supplier": N_("supplier")}
"""A responsible step in the reader's language (the register's sheet: STEP_ZH)."""
STEP_ZH = {"pick": "拣货", "verify": "复核", "pack": "打包", "weigh": "称重", "ship": "交接",
           "courier": "快递", "buyer": "买家", "supplier": "供应商"}
STATE_ZH = {"open": "处理中", "solved": "已解决", "closed": "已结案"}
assert set(KIND_ZH) == set(KINDS) and set(STEP_ZH) == set(STEPS)


@dataclass(frozen=True, slots=True)
class Register:
    day: date
    cases: list[CaseView]
    overdue: list[int]
    """Ids of the listed cases that had no solution by the end of their day."""


def parse_day(text: str | None, cfg: Config) -> date:
    """``YYYY-MM-DD`` (today in the warehouse's time zone when None); ValueError naming it."""
    if not text:
        return now().astimezone(floor_tz(cfg)).date()
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(_("--day {day!r}: a date such as 2026-11-20").format(day=text)) from None


def day_bounds(day: date, cfg: Config) -> tuple[datetime, datetime]:
    tz = floor_tz(cfg)
    start = datetime.combine(day, time(0, 0), tz).astimezone(UTC)
    return start, start + timedelta(days=1)


def day_register(conn: Connection, cfg: Config, day: date) -> Register:
    start, end = day_bounds(day, cfg)
    today = list_cases(conn, since=start, until=end)
    late = overdue_cases(conn, start)
    at = now()
    stale = [c for c in today if c.state == "open" and end <= at]
    return Register(day, [*late, *today], [c.id for c in (*late, *stale)])


def items_text(case: CaseView) -> str:
    return "、".join(f"{i.get('sku', '?')}×{i.get('qty', 1)}" for i in case.items)


def rows(register: Register, cfg: Config) -> list[list[str]]:
    """The register's lines as text cells (times local)."""
    out = []
    for c in register.cases:
        out.append([
            local_time(c.opened_at, cfg), f"C{c.id}", c.order_no, c.buyer,
            KIND_ZH.get(c.kind, c.kind), items_text(c), in_words(c.claim), c.verdict,
            in_words(c.solution), c.handler, c.responsible,
            STEP_ZH.get(c.responsible_step, c.responsible_step), c.confirmed_by,
            STATE_ZH.get(c.state, c.state), local_time(c.solved_at, cfg) if c.solved_at else "",
            "是" if c.id in register.overdue else "",
        ])
    return out


def write_csv(register: Register, cfg: Config, path: Path) -> None:
    """GB18030, as the shop's spreadsheet opens it; a cell that a spreadsheet would take for a
    formula is kept as text."""
    with path.open("w", encoding="gb18030", newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(HEADER)
        for line in rows(register, cfg):
            writer.writerow([sheet_cell(v) for v in line])


def write_xlsx(register: Register, cfg: Config, path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = f"售后登记 {register.day.isoformat()}"
    sheet.append(HEADER)
    for line in rows(register, cfg):
        sheet.append([sheet_cell(v) for v in line])
    for column, width in zip("ABCDEFGHIJKLMNOP", (17, 6, 22, 12, 10, 20, 30, 40, 30, 10, 10,
                                                  8, 10, 8, 17, 5), strict=True):
        sheet.column_dimensions[column].width = width
    book.save(path)
