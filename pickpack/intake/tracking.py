"""Importing courier tracking status files: CSV / .xlsx from courier portals, or JSON from
tracking aggregators.

A table has one update per row (tracking no., time, status, place; columns by header alias). A
JSON file is either a list of such records, or one parcel or a list of parcels each with its
number and a list of updates (``{"nu": …, "data": [{"time": …, "context": …}]}``, the shape
aggregators answer with). Times without a zone are China time. What the updates mean for the
floor is :mod:`pickpack.core.aftersales.tracking`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from db.engine import write_tx
from pickpack.core.aftersales.tracking import Update, store_updates
from pickpack.core.events import Actor
from pickpack.intake.refunds import aliased_rows
from pickpack.intake.result import ImportFailed, ImportResult, RowError
from pickpack.intake.source import BadValue, fit, no_formula
from pickpack.intake.taobao import parse_time

ALIASES: dict[str, tuple[str, ...]] = {
    "tracking_no": ("运单号", "快递单号", "物流单号", "运单编号", "tracking_no", "mailNo", "nu",
                    "number"),
    "time": ("时间", "扫描时间", "更新时间", "操作时间", "time", "ftime", "acceptTime"),
    "status": ("状态", "物流状态", "轨迹", "物流信息", "描述", "status", "context",
               "acceptStation"),
    "place": ("地点", "所在城市", "城市", "网点", "place", "location", "areaName"),
}
UPDATE_LISTS = ("data", "traces", "updates", "list")


def _update(get: dict[str, str]) -> Update:
    no = fit(no_formula(get.get("tracking_no", ""), "tracking_no", "tracking no."), 40,
             "tracking_no")
    if not no:
        raise BadValue("tracking_no", "empty")
    status = no_formula(get.get("status", ""), "status", "status")
    if not status:
        raise BadValue("status", "empty")
    return Update(no, parse_time(get.get("time", ""), "time"), fit(status, 200, "status"),
                  fit(get.get("place", ""), 100, "place"))


def _pick(record: dict[str, Any], field: str) -> str:
    for name in ALIASES[field]:
        if name in record and record[name] is not None:
            return str(record[name]).strip()
    return ""


def read_json(path: Path) -> tuple[list[Update], list[RowError]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise ImportFailed([RowError(path.name, 0, "", f"not a JSON file: {exc}")]) from None
    parcels = data if isinstance(data, list) else [data]
    updates: list[Update] = []
    errors: list[RowError] = []
    for n, parcel in enumerate(parcels, 1):
        if not isinstance(parcel, dict):
            errors.append(RowError(path.name, n, "", "not an object"))
            continue
        nested = next((parcel[k] for k in UPDATE_LISTS if isinstance(parcel.get(k), list)), None)
        records = nested if nested is not None else [parcel]
        for record in records:
            if not isinstance(record, dict):
                errors.append(RowError(path.name, n, "", "an update is not an object"))
                continue
            get = {f: _pick(record, f) for f in ALIASES}
            get["tracking_no"] = get["tracking_no"] or _pick(parcel, "tracking_no")
            try:
                updates.append(_update(get))
            except BadValue as exc:
                errors.append(RowError(path.name, n, exc.field, exc.message))
    return updates, errors


def read_table(path: Path) -> tuple[list[Update], list[RowError]]:
    updates: list[Update] = []
    errors: list[RowError] = []
    required = {f: names for f, names in ALIASES.items() if f != "place"}
    for name, line, get in aliased_rows(path, required, {"place": ALIASES["place"]}, errors):
        try:
            updates.append(_update(get))
        except BadValue as exc:
            errors.append(RowError(name, line, exc.field, exc.message))
    return updates, errors


def import_tracking(engine: Engine, path: Path, *, skip_bad: bool, station: str = "import",
                    operator: str = "import") -> ImportResult:
    """Store the file's updates (each once); all or nothing unless ``skip_bad``."""
    path = Path(path)
    reader = read_json if path.suffix.lower() == ".json" else read_table
    updates, errors = reader(path)
    if errors and not skip_bad:
        raise ImportFailed(errors)
    res = ImportResult("tracking", errors=errors, skipped=len(errors))
    with write_tx(engine) as conn:
        res.inserted, res.unchanged = store_updates(conn, Actor(station, operator, "clerk"),
                                                    updates)
    return res
