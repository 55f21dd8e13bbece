"""The append-only event trail: who, where, when, what."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, bindparam, text

from db.models import Event

EVENT = Event.__table__  # type: ignore[attr-defined]
# Built once: the event insert is on every scan's path.
_INSERT = text(
    "INSERT INTO event (uuid, order_id, station, operator, kind, payload, at)"
    " VALUES (:uuid, :order_id, :station, :operator, :kind, :payload, :at)"
).bindparams(bindparam("at", type_=EVENT.c.at.type))


@dataclass(frozen=True, slots=True)
class Actor:
    """The station and the operator behind an action."""

    station: str
    operator: str
    role: str = ""


def now() -> datetime:
    return datetime.now(UTC)


def new_uuid() -> str:
    return uuid.uuid4().hex


def append_event(
    conn: Connection,
    actor: Actor,
    kind: str,
    order_id: int | None = None,
    payload: dict[str, Any] | None = None,
    *,
    event_uuid: str | None = None,
    at: datetime | None = None,
) -> str:
    """Append one event inside the caller's transaction; returns its UUID."""
    params = event_row(actor, kind, order_id, payload)
    params.update({k: v for k, v in (("uuid", event_uuid), ("at", at)) if v is not None})
    conn.execute(_INSERT, params)
    return str(params["uuid"])


def event_row(actor: Actor, kind: str, order_id: int | None,
              payload: dict[str, Any] | None) -> dict[str, Any]:
    """The bound parameters of a new event row, for statements that insert it themselves."""
    return {
        "uuid": new_uuid(), "order_id": order_id, "station": actor.station,
        "operator": actor.operator, "kind": kind,
        "payload": json.dumps(payload or {}, ensure_ascii=False), "at": now(),
    }
