"""A picker takes a wave (its code from the pick list, or the next one) and picks it.

No two pickers hold one wave: the claim is the wave's ``picker`` set under the wave's row lock;
the next wave is found with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so pickers taking the
next at once each get another (SQLite's BEGIN IMMEDIATE takes them in turn). Taking a wave
moves its orders to ``picking``; a cancelled or held order is left out (its slot stays empty).
Each unit scanned is a ``wave_unit_picked`` event saying which slot it went to (a single-item
wave goes into one tote); the progress is read back from those events, so a picker who comes
back to the wave carries on where they were. The last step, ``finish_wave``, moves every
order to ``picked``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Row, select, update

from pickpack.core.context import Floor, OrderAt, is_sqlite_conn, move
from pickpack.core.events import Actor, append_event, now
from pickpack.core.lifecycle import CANCELLED, HELD, PICKED, PICKING, PRINTED, READY
from pickpack.core.refusal import Refusal
from pickpack.core.tables import EVENTS, ORDERS
from pickpack.core.verify import lookup_barcode
from pickpack.core.waves.picklist import Stop, wave_stops
from pickpack.core.waves.tables import OPEN, WAVE_ORDERS, WAVES, wave_code
from pickpack.core.waves.tables import PICKED as WAVE_PICKED
from pickpack.core.waves.tables import PICKING as WAVE_PICKING
from pickpack.core.waves.tables import PRINTED as WAVE_PRINTED
from pickpack.core.waves.views import wave_row

UNIT = "wave_unit_picked"


@dataclass(frozen=True, slots=True)
class StopProgress:
    bin: str
    sku: str
    name: str
    total: int
    picked: int
    slots: list[tuple[int, int, int]]
    """(slot, units, picked so far)."""

    @property
    def done(self) -> bool:
        return self.picked >= self.total


@dataclass(frozen=True, slots=True)
class WavePick:
    """A wave in a picker's hands: the walk, what is picked, the slots left empty."""

    id: int
    code: str
    kind: str
    courier: str
    picker: str | None
    state: str
    stops: list[StopProgress]
    skipped: list[tuple[int, str, str]] = field(default_factory=list)
    """(slot, order no., state) of orders left out: cancelled or held."""

    @property
    def left(self) -> int:
        return sum(s.total - s.picked for s in self.stops)

    @property
    def next_stop(self) -> StopProgress | None:
        return next((s for s in self.stops if not s.done), None)


def _orders(conn: Connection, wave_id: int) -> list[Row[Any]]:
    return list(conn.execute(
        select(WAVE_ORDERS.c.slot, ORDERS.c.id, ORDERS.c.order_no, ORDERS.c.state)
        .join(ORDERS, ORDERS.c.id == WAVE_ORDERS.c.order_id)
        .where(WAVE_ORDERS.c.wave_id == wave_id).order_by(WAVE_ORDERS.c.slot)))


def _picked(conn: Connection, wave_id: int) -> dict[tuple[str, int], int]:
    """Units picked so far per (sku, slot), from the wave's ``wave_unit_picked`` events."""
    code = wave_code(wave_id)
    ids = select(WAVE_ORDERS.c.order_id).where(WAVE_ORDERS.c.wave_id == wave_id)
    done: dict[tuple[str, int], int] = {}
    for payload in conn.execute(select(EVENTS.c.payload).where(
            EVENTS.c.kind == UNIT, EVENTS.c.order_id.in_(ids))).scalars():
        data = json.loads(payload)
        if data.get("wave") == code:
            key = (str(data["sku"]), int(data["slot"]))
            done[key] = done.get(key, 0) + int(data["units"])
    return done


def load_pick(conn: Connection, wave_id: int) -> WavePick:
    row = wave_row(conn, wave_id)
    orders = _orders(conn, wave_id)
    out = {r.id for r in orders if r.state in (CANCELLED, HELD)}
    done = _picked(conn, wave_id)
    stops = [_progress(stop, done) for stop in wave_stops(conn, wave_id, skip=out)]
    skipped = [(r.slot, r.order_no, r.state) for r in orders if r.id in out]
    return WavePick(row.id, wave_code(row.id), row.kind, row.courier, row.picker, row.state,
                    stops, skipped)


def _progress(stop: Stop, done: dict[tuple[str, int], int]) -> StopProgress:
    slots = [(slot, n, done.get((stop.sku, slot), 0)) for slot, n in stop.slots]
    return StopProgress(stop.bin, stop.sku, stop.name, stop.total,
                        sum(p for _s, _n, p in slots), slots)


def _take(conn: Connection, floor: Floor, actor: Actor, row: Row[Any]) -> WavePick:
    code = wave_code(row.id)
    if row.picker is not None:
        if row.picker != actor.operator:
            raise Refusal("wave_taken", "Wave {wave} is being picked by {picker}",
                          wave=code, picker=row.picker)
        return load_pick(conn, row.id)  # the same picker, back at the wave
    if row.state not in (OPEN, WAVE_PRINTED):
        raise Refusal("wave_not_open", "Wave {wave} is {state}: nothing to pick",
                      wave=code, state=row.state)
    if "pick" not in floor.route:
        raise Refusal("no_pick_step", "The route has no pick step: waves are not picked here")
    if floor.config.workflow.print_at == "desk" and row.state == OPEN:
        raise Refusal("wave_not_printed", "Wave {wave} is not printed yet: print it at the desk "
                      "first (its slips go with the goods)", wave=code)
    conn.execute(update(WAVES).where(WAVES.c.id == row.id)
                 .values(picker=actor.operator, state=WAVE_PICKING, claimed_at=now()))
    append_event(conn, actor, "wave_claimed", None,
                 {"wave": code, "from": row.state, "to": WAVE_PICKING})
    for order in _orders(conn, row.id):
        if order.state in (READY, PRINTED):
            move(conn, actor, OrderAt(order.id, order.state, order.order_no), PICKING,
                 "pick_started", {"wave": code, "slot": order.slot}, picker=actor.operator)
    return load_pick(conn, row.id)


def claim_wave(floor: Floor, actor: Actor, key: str | int) -> WavePick:
    """Take the wave a picker scanned (or come back to the one they hold)."""
    return floor.run(actor, lambda conn: _take(conn, floor, actor, wave_row(conn, key, lock=True)))


def claim_next_wave(floor: Floor, actor: Actor) -> WavePick | None:
    """Take the first wave no picker holds (priority, then due time); None when none waits."""

    def tx(conn: Connection) -> WavePick | None:
        held = conn.execute(select(WAVES.c.id).where(
            WAVES.c.picker == actor.operator, WAVES.c.state == WAVE_PICKING).limit(1)).scalar()
        if held is not None:  # one wave at a time: the one already in hand
            return load_pick(conn, int(held))
        states = (OPEN, WAVE_PRINTED) if floor.config.workflow.print_at != "desk" else (
            WAVE_PRINTED,)
        query = (select(WAVES).where(WAVES.c.state.in_(states), WAVES.c.picker.is_(None))
                 .order_by(WAVES.c.rank, WAVES.c.due_at, WAVES.c.id).limit(1))
        if not is_sqlite_conn(conn):
            query = query.with_for_update(skip_locked=True)
        row = conn.execute(query).first()
        return None if row is None else _take(conn, floor, actor, row)

    return floor.run(actor, tx)


def _holder(conn: Connection, actor: Actor, wave_id: int) -> Row[Any]:
    row = wave_row(conn, wave_id, lock=True)
    if row.state != WAVE_PICKING or row.picker != actor.operator:
        raise Refusal("wave_not_yours", "Wave {wave} is not in your hands: scan it first",
                      wave=wave_code(wave_id))
    return row


@dataclass(frozen=True, slots=True)
class UnitPicked:
    wave: WavePick
    sku: str
    slots: list[tuple[int, int]]
    """Where the units go: (slot, units)."""


def pick_unit(floor: Floor, actor: Actor, wave_id: int, code: str) -> UnitPicked:
    """One item scanned on the walk: which slot it goes to (the first slot of that SKU still
    short), recorded as ``wave_unit_picked`` for that slot's order. A case barcode counts as
    its units, spread over the slots in order."""

    def tx(conn: Connection) -> UnitPicked:
        _holder(conn, actor, wave_id)
        found = next((hit for alias in item_aliases(code)
                      if (hit := lookup_barcode(conn, alias)) is not None), None)
        if found is None:
            raise Refusal("unknown_item", "Unknown item {code}", code=code)
        sku, units = found
        view = load_pick(conn, wave_id)
        stop = next((s for s in view.stops if s.sku == sku), None)
        if stop is None:
            raise Refusal("not_in_wave", "{sku} is not in wave {wave}: put it back",
                          sku=sku, wave=view.code)
        if stop.picked + units > stop.total:
            raise Refusal("too_many", "{sku}: all {n} picked already", sku=sku, n=stop.total)
        orders = {int(r.slot): int(r.id) for r in _orders(conn, wave_id)}
        placed, left = [], units
        for slot, n, picked in stop.slots:
            take = min(left, n - picked)
            if take > 0:
                placed.append((slot, take))
                append_event(conn, actor, UNIT, orders[slot],
                             {"wave": view.code, "sku": sku, "slot": slot, "units": take,
                              "code": code})
                left -= take
            if not left:
                break
        return UnitPicked(load_pick(conn, wave_id), sku, placed)

    return floor.run(actor, tx)


def item_aliases(code: str) -> list[str]:
    """The code as scanned, then the same GTIN as the catalog may hold it: a GTIN-14 with a
    leading 0 is the EAN-13, an EAN-13 is the GTIN-14 with a 0 in front."""
    aliases = [code]
    if len(code) == 14 and code.startswith("0") and code.isdigit():
        aliases.append(code[1:])
    elif len(code) == 13 and code.isdigit():
        aliases.append("0" + code)
    return aliases


def finish_wave(floor: Floor, actor: Actor, wave_id: int) -> WavePick:
    """Every unit is in its slot: the wave's orders are ``picked``, the wave too."""

    def tx(conn: Connection) -> WavePick:
        row = _holder(conn, actor, wave_id)
        view = load_pick(conn, wave_id)
        if view.left:
            stop = view.next_stop
            assert stop is not None
            raise Refusal("wave_not_picked", "{n} units still to pick: next {bin} {sku}",
                          n=view.left, bin=stop.bin or "-", sku=stop.sku)
        for order in _orders(conn, wave_id):
            if order.state == PICKING:
                move(conn, actor, OrderAt(order.id, order.state, order.order_no), PICKED,
                     "picked", {"wave": view.code, "slot": order.slot})
        conn.execute(update(WAVES).where(WAVES.c.id == wave_id).values(state=WAVE_PICKED))
        append_event(conn, actor, "wave_picked", None,
                     {"wave": view.code, "from": row.state, "to": WAVE_PICKED})
        return load_pick(conn, wave_id)

    return floor.run(actor, tx)
