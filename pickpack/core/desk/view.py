"""One order as the desk sees it: lines, remarks, trail and slips, as plain data for a screen.

Times are the warehouse's local times (``[floor] timezone``); the trail says each event in a
few words (from → to, the reason, who overrode) so the clerk reads it without opening JSON.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from pickpack.config import Config
from pickpack.core.authority import as_utc
from pickpack.core.desk.ack import acknowledged, suggested
from pickpack.core.desk.remarks import RemarkAction
from pickpack.core.holdwords import hold_words
from pickpack.core.lifecycle import state_name
from pickpack.core.orders import OrderView, load_order
from pickpack.core.refusal import shown
from pickpack.core.reports import floor_tz
from pickpack.core.tables import EVENTS, ORDERS, PRINT_JOBS
from pickpack.i18n import N_, _

TRAIL_ROWS = 200
"""The latest events shown of an order's trail (a busy order's scans run to hundreds)."""
_DETAIL_KEYS = {"reason": N_("reason"), "courier": N_("courier"), "tracking_no": N_("tracking_no"),
                "supervisor": N_("supervisor"), "carton": N_("carton"), "weight_g": N_("weight_g"),
                "sku": N_("sku"), "code": N_("code"), "raw": N_("raw")}
"""The payload's fields a trail line shows, each with its words (in English the field's name)."""


@dataclass(frozen=True, slots=True)
class TrailEntry:
    at: str
    """Local ``MM-DD HH:MM``."""
    kind: str
    station: str
    operator: str
    detail: str


@dataclass(frozen=True, slots=True)
class SlipView:
    kind: str
    state: str
    printer: str
    station: str
    queued: str
    printed: str
    attempts: int
    last_error: str


@dataclass(frozen=True, slots=True)
class RemarksView:
    buyer_remark: str
    seller_memo: str
    """Internal: shown at the desk, never on anything the buyer sees."""
    acknowledged: bool
    suggested: tuple[str, ...] = ()
    """What the remark reader (pickpack.core.desk.remarks) reads in them: ``gift GIFT-TOWEL``,
    ``no invoice``…"""
    acked_by: str = ""


@dataclass(frozen=True, slots=True)
class DeskOrder:
    order: OrderView
    buyer: str
    remarks: RemarksView
    trail: tuple[TrailEntry, ...]
    slips: tuple[SlipView, ...]


def clock(at: datetime | None, cfg: Config) -> str:
    """A stored time as ``MM-DD HH:MM`` in the warehouse's time zone ('' for none)."""
    when = as_utc(at)
    return when.astimezone(floor_tz(cfg)).strftime("%m-%d %H:%M") if when else ""


def detail(payload: dict[str, Any]) -> str:
    """An event's payload in a few words: ``held → new  reason: unknown SKU: X``."""
    parts = []
    payload = {**payload, "reason": _reason_words(payload)} if "reason" in payload else payload
    if "from" in payload and "to" in payload:
        parts.append(f"{state_name(str(payload['from']))}→{state_name(str(payload['to']))}")
    parts += [_("{what}: {detail}").format(what=_(word), detail=payload[k])
              for k, word in _DETAIL_KEYS.items() if payload.get(k) not in (None, "")]
    return "  ".join(parts)


def _reason_words(payload: dict[str, Any]) -> object:
    """A refusal's reason is its template (``Order {order_no} is held``): filled in from the
    payload and translated; a template the payload cannot fill is shown as it is."""
    reason = payload["reason"]
    if not isinstance(reason, str) or "{" not in reason:
        return hold_words(reason) if isinstance(reason, str) else reason
    try:
        return _(reason).format(**shown(payload))
    except (KeyError, IndexError, ValueError):
        return reason


def desk_order(conn: Connection, cfg: Config, order_id: int) -> DeskOrder:
    """The whole picture of one order (its latest ``TRAIL_ROWS`` events, oldest first)."""
    order = load_order(conn, order_id)
    row = conn.execute(select(ORDERS.c.buyer, ORDERS.c.remark_ack)
                       .where(ORDERS.c.id == order_id)).one()
    events = conn.execute(
        select(EVENTS.c.at, EVENTS.c.kind, EVENTS.c.station, EVENTS.c.operator, EVENTS.c.payload)
        .where(EVENTS.c.order_id == order_id).order_by(EVENTS.c.id.desc()).limit(TRAIL_ROWS)
    ).all()
    trail = tuple(TrailEntry(clock(e.at, cfg), e.kind, e.station, e.operator,
                             detail(_payload(e.payload)))
                  for e in reversed(events))
    slips = tuple(
        SlipView(j.kind, j.state, j.printer, j.station, clock(j.created_at, cfg),
                 clock(j.printed_at, cfg), int(j.attempts or 0), j.last_error or "")
        for j in conn.execute(select(PRINT_JOBS).where(PRINT_JOBS.c.order_id == order_id)
                              .order_by(PRINT_JOBS.c.id)))
    acked = acknowledged(conn, order_id)
    remarks = RemarksView(order.buyer_remark, order.seller_memo, bool(row.remark_ack),
                          tuple(action_words(a) for a in suggested(conn, order_id, cfg)),
                          str(acked["acked_by"] or "") if acked else "")
    return DeskOrder(order, row.buyer or "", remarks, trail, slips)


REMARK_ACTIONS = {
    "gift": N_("gift"), "invoice": N_("invoice"), "no_price": N_("no price list"),
    "courier": N_("courier"), "address": N_("address change"), "urgent": N_("urgent"),
    "merge": N_("merge"),
}
"""What each kind of remark action (pickpack.core.desk.remarks.KINDS) is called on screen."""


def action_words(action: RemarkAction) -> str:
    """A suggested action in a few words, in the station's language: ``gift GIFT-TOWEL*1``,
    ``not: invoice``."""
    words = _(REMARK_ACTIONS.get(action.kind, action.kind))
    if action.negated:
        words = _("not: {action}").format(action=words)
    return f"{words} {action.value}".strip()


def _payload(raw: str | None) -> dict[str, Any]:
    try:
        data = json.loads(raw or "{}")
    except ValueError:
        return {"raw": raw}
    return data if isinstance(data, dict) else {"raw": raw}
