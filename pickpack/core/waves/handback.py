"""A wave a picker holds is handed back by a supervisor (the picker went home, fell ill): the
wave waits for the next picker, who carries on from the units already in their slots (the
``wave_unit_picked`` events stay); its orders go back to ``printed`` (or ``ready``, when
their express slip never printed) until the next picker takes the wave."""

from __future__ import annotations

from sqlalchemy import Connection, select, update

from pickpack.core.context import Floor, OrderAt, move
from pickpack.core.events import Actor, append_event
from pickpack.core.lifecycle import PICKING, PRINTED, READY
from pickpack.core.operators import OperatorInfo
from pickpack.core.refusal import Refusal
from pickpack.core.ship import express_printed
from pickpack.core.tables import EVENTS, ORDERS
from pickpack.core.waves.tables import OPEN, WAVE_ORDERS, WAVES, wave_code
from pickpack.core.waves.tables import PICKING as WAVE_PICKING
from pickpack.core.waves.tables import PRINTED as WAVE_PRINTED
from pickpack.core.waves.views import WaveView, show_wave, wave_row


def hand_back(floor: Floor, actor: Actor, supervisor: OperatorInfo, key: str | int,
              reason: str) -> WaveView:
    """Take a wave out of its picker's hands, with the supervisor and the reason recorded."""
    reason = reason.strip()
    if not reason or len(reason) > 200 or not reason.isprintable():
        raise Refusal("bad_reason", "Say why the wave is handed back (1 to 200 characters)")

    def tx(conn: Connection) -> WaveView:
        row = wave_row(conn, key, lock=True)
        code = wave_code(row.id)
        if row.state != WAVE_PICKING:
            raise Refusal("wave_not_held", "Wave {wave} is {state}: no picker holds it",
                          wave=code, state=row.state)
        printed = conn.execute(select(EVENTS.c.id).where(
            EVENTS.c.kind == "wave_printed", EVENTS.c.order_id.is_(None),
            EVENTS.c.payload.like(f'%"wave": "{code}"%')).limit(1)).first() is not None
        back = WAVE_PRINTED if printed else OPEN
        for order in conn.execute(
                select(ORDERS.c.id, ORDERS.c.state, ORDERS.c.order_no)
                .join(WAVE_ORDERS, WAVE_ORDERS.c.order_id == ORDERS.c.id)
                .where(WAVE_ORDERS.c.wave_id == row.id, ORDERS.c.state == PICKING)).all():
            to = PRINTED if express_printed(conn, order.id) else READY
            move(conn, actor, OrderAt(order.id, order.state, order.order_no), to,
                 "pick_handed_back", {"wave": code, "picker": row.picker}, picker=None)
        conn.execute(update(WAVES).where(WAVES.c.id == row.id)
                     .values(state=back, picker=None, claimed_at=None))
        append_event(conn, actor, "wave_handed_back", None, {
            "wave": code, "from": row.state, "to": back, "picker": row.picker,
            "supervisor": supervisor.code, "reason": reason})
        return show_wave(conn, row.id)

    return floor.run(actor, tx)
