"""Waves as the desk and the CLI see them, and closing a wave."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import Connection, Row, delete, select, update

from pickpack.core.context import Floor, is_sqlite_conn
from pickpack.core.events import Actor, append_event, now
from pickpack.core.lifecycle import PRINTED, READY
from pickpack.core.refusal import Refusal
from pickpack.core.tables import ORDERS
from pickpack.core.waves.tables import (
    CLOSED,
    PICKING,
    WAVE_ORDERS,
    WAVES,
    parse_wave,
    wave_code,
)


@dataclass(frozen=True, slots=True)
class SlotView:
    slot: int
    order_id: int
    order_no: str
    state: str
    tracking_no: str | None


@dataclass(frozen=True, slots=True)
class WaveView:
    id: int
    code: str
    kind: str
    courier: str
    sku: str | None
    state: str
    rank: int
    orders: int
    units: int
    picker: str | None
    created_at: str
    slots: list[SlotView] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _view(row: Row[Any], slots: list[SlotView] | None = None) -> WaveView:
    return WaveView(row.id, wave_code(row.id), row.kind, row.courier, row.sku, row.state,
                    row.rank, row.orders, row.units, row.picker, row.created_at.isoformat(),
                    slots or [])


def list_waves(conn: Connection, state: str | None = None) -> list[WaveView]:
    """Waves in the order pickers take them (closed ones last unless asked for)."""
    query = select(WAVES).order_by(WAVES.c.state == CLOSED, WAVES.c.rank, WAVES.c.due_at,
                                   WAVES.c.id)
    if state:
        query = query.where(WAVES.c.state == state)
    return [_view(r) for r in conn.execute(query)]


def wave_row(conn: Connection, key: str | int, *, lock: bool = False) -> Row[Any]:
    wave_id = key if isinstance(key, int) else parse_wave(key)
    query = select(WAVES).where(WAVES.c.id == wave_id)
    if lock and not is_sqlite_conn(conn):
        query = query.with_for_update()
    row = conn.execute(query).first()
    if row is None:
        raise Refusal("unknown_wave", "No wave {wave}", wave=wave_code(wave_id))
    return row


def wave_slots(conn: Connection, wave_id: int) -> list[SlotView]:
    return [SlotView(r.slot, r.order_id, r.order_no, r.state, r.tracking_no)
            for r in conn.execute(
                select(WAVE_ORDERS.c.slot, WAVE_ORDERS.c.order_id, ORDERS.c.order_no,
                       ORDERS.c.state, ORDERS.c.tracking_no)
                .join(ORDERS, ORDERS.c.id == WAVE_ORDERS.c.order_id)
                .where(WAVE_ORDERS.c.wave_id == wave_id).order_by(WAVE_ORDERS.c.slot))]


def wave_of(conn: Connection, order_id: int) -> str | None:
    """The code of the wave (not closed) that holds the order, if one does."""
    wave_id = conn.execute(select(WAVE_ORDERS.c.wave_id).join(
        WAVES, WAVES.c.id == WAVE_ORDERS.c.wave_id).where(
        WAVE_ORDERS.c.order_id == order_id, WAVES.c.state != CLOSED).limit(1)).scalar()
    return None if wave_id is None else wave_code(int(wave_id))


def show_wave(conn: Connection, key: str | int) -> WaveView:
    row = wave_row(conn, key)
    return _view(row, wave_slots(conn, row.id))


def close_wave(floor: Floor, actor: Actor, key: str | int) -> WaveView:
    """Close a wave: picked, or never taken (a wave a picker holds is refused). Its orders that
    never left ready/printed are freed for the next build; the event lists them."""

    def tx(conn: Connection) -> WaveView:
        row = wave_row(conn, key, lock=True)
        code = wave_code(row.id)
        if row.state == CLOSED:
            raise Refusal("wave_closed", "Wave {wave} is closed already", wave=code)
        if row.state == PICKING:
            raise Refusal("wave_in_pick", "Wave {wave} is being picked by {picker}: it closes "
                          "once picked", wave=code, picker=row.picker or "-")
        slots = wave_slots(conn, row.id)
        freed = [s.order_id for s in slots if s.state in (READY, PRINTED)]
        if freed:
            conn.execute(delete(WAVE_ORDERS).where(WAVE_ORDERS.c.wave_id == row.id,
                                                   WAVE_ORDERS.c.order_id.in_(freed)))
        conn.execute(update(WAVES).where(WAVES.c.id == row.id)
                     .values(state=CLOSED, closed_at=now()))
        append_event(conn, actor, "wave_closed", None,
                     {"wave": code, "from": row.state, "to": CLOSED, "freed": freed})
        return show_wave(conn, row.id)

    return floor.run(actor, tx)
