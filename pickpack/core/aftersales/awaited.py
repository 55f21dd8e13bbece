"""Returns awaited and finance's refund queue.

A return registered but not received within ``[aftersales] return_wait_days`` is listed as
late (the buyer may not have sent it, or the courier lost it). Each received return leaves a
refund instruction for finance; exporting the queue marks what it exported (an event).
"""

from __future__ import annotations

import csv
import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, select, update

from db.engine import write_tx
from pickpack.config import Config
from pickpack.core.aftersales.tables import INSTRUCTIONS, RETURNS
from pickpack.core.authority import as_utc
from pickpack.core.events import Actor, append_event, now
from pickpack.core.reports import local_time
from pickpack.core.tables import ORDERS
from pickpack.text import sheet_cell

FINANCE_HEADER = ["退款编号", "订单编号", "退款金额", "退货单", "备注", "登记时间"]


def list_returns(conn: Connection, cfg: Config, *, state: str | None = None,
                 at: datetime | None = None) -> list[dict[str, Any]]:
    """Returns (newest first); ``late`` marks one still awaited past ``return_wait_days``."""
    wait = timedelta(days=cfg.aftersales.return_wait_days)
    query = (select(RETURNS, ORDERS.c.order_no)
             .select_from(RETURNS.outerjoin(ORDERS, ORDERS.c.id == RETURNS.c.order_id))
             .order_by(RETURNS.c.id.desc()))
    if state:
        query = query.where(RETURNS.c.state == state)
    at = at or now()
    out = []
    for r in conn.execute(query):
        registered = as_utc(r.registered_at) or at
        out.append({
            "id": r.id, "state": r.state, "order_no": r.order_no or "",
            "tracking_no": r.tracking_no, "refund_no": r.refund_no, "reason": r.reason,
            "declared": json.loads(r.declared or "[]"), "source": r.source,
            "registered_at": local_time(registered, cfg),
            "received_at": local_time(r.received_at, cfg) if r.received_at else "",
            "case": r.case_id, "late": r.state != "received" and at - registered > wait,
        })
    return out


def late_returns(conn: Connection, cfg: Config, at: datetime | None = None) -> list[dict[str, Any]]:
    """Returns expected but not received within ``[aftersales] return_wait_days``."""
    return [r for r in list_returns(conn, cfg, at=at) if r["late"]]


def finance_queue(conn: Connection, *, pending_only: bool = True) -> list[dict[str, Any]]:
    query = select(INSTRUCTIONS).order_by(INSTRUCTIONS.c.id)
    if pending_only:
        query = query.where(INSTRUCTIONS.c.exported_at.is_(None))
    return [{"id": i.id, "return": i.return_id, "order_no": i.order_no, "refund_no": i.refund_no,
             "amount": i.amount, "note": i.note, "created_at": as_utc(i.created_at)}
            for i in conn.execute(query)]


def export_finance(engine: Engine, cfg: Config, actor: Actor, path: Path) -> int:
    """The pending refund instructions to ``path`` (.xlsx or CSV in GB18030), marked exported."""
    with write_tx(engine) as conn:
        queue = finance_queue(conn)
        rows = [[q["refund_no"], q["order_no"], q["amount"], f"R{q['return']}", q["note"],
                 local_time(q["created_at"], cfg)] for q in queue]
        if path.suffix.lower() == ".xlsx":
            from openpyxl import Workbook

            book = Workbook()
            sheet = book.active
            assert sheet is not None
            sheet.append(FINANCE_HEADER)
            for row in rows:
                sheet.append([sheet_cell(v) for v in row])
            book.save(path)
        else:
            with path.open("w", encoding="gb18030", newline="") as out:
                writer = csv.writer(out, lineterminator="\r\n")
                writer.writerow(FINANCE_HEADER)
                writer.writerows([sheet_cell(v) for v in row] for row in rows)
        ids = [q["id"] for q in queue]
        if ids:
            conn.execute(update(INSTRUCTIONS).where(INSTRUCTIONS.c.id.in_(ids))
                         .values(exported_at=now()))
            append_event(conn, actor, "refunds_exported", None,
                         {"instructions": ids, "file": path.name})
        return len(ids)
