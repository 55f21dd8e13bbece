"""The sync's conflicts, as the desk reads them: what a station did offline that the central
store refused, because another commit came first (first commit wins).

Each conflict is a ``sync_conflict`` event on the central store (pickpack.offline.sync): its
station and operator are those of the refused event; its payload names that event, why it was
refused and when the station did it. This module only reads them: ``pickpack sync conflicts``
prints them, the desk screen lists them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, select

from pickpack.core.tables import EVENTS, ORDERS


@dataclass(frozen=True, slots=True)
class ConflictView:
    """One journal event the central store refused at sync."""

    order_no: str
    """'' when the order is not on the central store at all."""
    order_id: int | None
    station: str
    operator: str
    refused: str
    """The kind of the refused event (``item_scanned``, ``verified``, ``packed``…)."""
    detail: str
    """What it carried, in short: the SKU and units counted, or the state it moved to."""
    reason: str
    """Why the central store refused it (the order was cancelled there, counted already…)."""
    central_state: str
    done_at: datetime | None
    """When the station did it, offline (UTC)."""
    found_at: datetime
    """When the sync found the conflict (UTC)."""
    event_uuid: str


def _utc(at: datetime) -> datetime:
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def _detail(kind: str, payload: dict[str, Any]) -> str:
    if "sku" in payload:
        return f"{payload['sku']} ×{payload.get('units', 1)}"
    if "from" in payload and "to" in payload:
        return f"{payload['from']} → {payload['to']}"
    return str(payload.get("raw") or payload.get("key") or "")


def _when(text: object) -> datetime | None:
    if not isinstance(text, str):
        return None
    try:
        return _utc(datetime.fromisoformat(text))
    except ValueError:
        return None


def sync_conflicts(conn: Connection, *, limit: int | None = None) -> list[ConflictView]:
    """Every sync conflict on the central store, newest first (``limit``: the newest only)."""
    query = (select(EVENTS.c.uuid, EVENTS.c.order_id, EVENTS.c.station, EVENTS.c.operator,
                    EVENTS.c.payload, EVENTS.c.at, ORDERS.c.order_no)
             .outerjoin(ORDERS, ORDERS.c.id == EVENTS.c.order_id)
             .where(EVENTS.c.kind == "sync_conflict")
             .order_by(EVENTS.c.at.desc(), EVENTS.c.id.desc()))
    if limit is not None:
        query = query.limit(limit)
    out: list[ConflictView] = []
    for row in conn.execute(query):
        p = json.loads(row.payload)
        refused = str(p.get("event_kind", ""))
        inner = p.get("event_payload")
        out.append(ConflictView(
            order_no=row.order_no or "", order_id=row.order_id, station=row.station,
            operator=row.operator, refused=refused,
            detail=_detail(refused, inner if isinstance(inner, dict) else {}),
            reason=str(p.get("reason", "")), central_state=str(p.get("central_state", "")),
            done_at=_when(p.get("event_at")), found_at=_utc(row.at),
            event_uuid=str(p.get("event_uuid", ""))))
    return out
