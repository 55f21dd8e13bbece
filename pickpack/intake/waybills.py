"""Importing a pool of tracking numbers (``courier,tracking_no``) from couriers' e-waybill accounts.

Unknown courier codes are added to the courier table (with their Chinese names when known).
Tracking numbers already in the store are left alone, so importing a file twice changes nothing.
An optional ``platform`` column (taobao, pdd, jd; empty = the shop's own courier account) puts
the numbers in that platform's e-waybill pool: Pinduoduo and JD orders take only their own.
"""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import Engine, select

from pickpack.i18n import N_
from pickpack.intake.common import BATCH, COURIER, WAYBILL, import_tx, record_rejected
from pickpack.intake.result import ImportFailed, ImportResult, RowError
from pickpack.intake.source import FORMULA, FORMULA_START, bad_bytes, cell, excel_damaged, open_table

COURIER_NAMES = {"SF": "顺丰速运", "ZTO": "中通快递", "YTO": "圆通速递", "YD": "韵达快递",
                 "JD": "京东物流"}
_COURIER = re.compile(r"[A-Z][A-Z0-9_]{0,15}")
PLATFORMS = ("", "taobao", "pdd", "jd")
_TRACKING = re.compile(r"[0-9A-Za-z-]{4,40}")


def import_waybills(engine: Engine, path: Path, *, skip_bad: bool) -> ImportResult:
    """Add the file's tracking numbers to the waybill pool (see the module docstring)."""
    res = ImportResult("waybills")
    pool: dict[str, str] = {}
    platform_of: dict[str, str] = {}
    with open_table(Path(path)) as (table, rows):
        header_errors: list[RowError] = []
        i_courier = table.col("courier", errors=header_errors)
        i_no = table.col("tracking_no", errors=header_errors)
        i_platform = table.col("platform")
        if header_errors:
            raise ImportFailed(header_errors)
        assert i_courier is not None and i_no is not None
        for line, row in rows:
            bad = bad_bytes(row, table, line)
            if bad is not None:
                res.errors.append(bad)
                continue
            courier, no = cell(row[i_courier]).upper(), cell(row[i_no])
            platform = cell(row[i_platform]).lower() if i_platform is not None else ""
            excel_damaged(no, "tracking_no", table.name, line, export=False)
            if platform not in PLATFORMS:
                res.errors.append(RowError.of(table.name, line, "platform", N_(
                    "not a platform: '{value}' (taobao, pdd, jd or empty)"), value=platform))
            elif not _COURIER.fullmatch(courier):
                res.errors.append(RowError.of(table.name, line, "courier", N_(
                    "not a courier code: '{value}'"), value=courier))
            elif no.startswith(FORMULA_START):
                res.errors.append(RowError.of(table.name, line, "tracking_no",
                                              FORMULA["tracking number"], start=repr(no[0]),
                                              value=no[:40]))
            elif not _TRACKING.fullmatch(no):
                res.errors.append(RowError.of(table.name, line, "tracking_no", N_(
                    "not a tracking number: '{value}'"), value=no))
            elif pool.get(no, courier) != courier:
                res.errors.append(RowError.of(table.name, line, "tracking_no", N_(
                    "'{value}' is listed for {courier} too"), value=no, courier=pool[no]))
            else:
                pool[no] = courier
                platform_of[no] = platform
    if res.errors and not skip_bad:
        raise ImportFailed(res.errors)
    with import_tx(engine) as conn:
        couriers = set(conn.execute(select(COURIER.c.code)).scalars())
        missing = sorted(set(pool.values()) - couriers)
        if missing:
            conn.execute(COURIER.insert(), [{"code": c, "name": COURIER_NAMES.get(c, "")}
                                            for c in missing])
        numbers = list(pool)
        for i in range(0, len(numbers), BATCH):
            chunk = numbers[i:i + BATCH]
            have = set(conn.execute(select(WAYBILL.c.tracking_no)
                                    .where(WAYBILL.c.tracking_no.in_(chunk))).scalars())
            rows_ = [{"tracking_no": n, "courier": pool[n], "order_id": None,
                      "assigned_at": None, "platform": platform_of[n]}
                     for n in chunk if n not in have]
            if rows_:
                conn.execute(WAYBILL.insert(), rows_)
            res.inserted += len(rows_)
            res.unchanged += len(chunk) - len(rows_)
        res.skipped = len(res.errors)
        record_rejected(conn, res.errors, station="desk", operator="import")
    return res
