"""An order's waybill after the desk changed what it depends on (address, asked courier, lines).

Before the express slip printed, the number was never on paper: it goes back to the pool and
the order is audited again (courier chosen again, a new number taken). After printing, the
printed number is voided for good (``void_waybill``; it stays assigned in ``waybill``, so it
never returns to the pool), a new one is taken — its courier by the rules release follows
(province and city, out of area, weight limits, the remark's courier) — and its express slip
queued at the desk's printer; a station that scans the old slip refuses it as a void slip
(:func:`pickpack.core.orders.require_order_id`).
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, Row, insert, select, update

from pickpack.config import Config
from pickpack.core.context import move
from pickpack.core.couriers.rules import PICKUP
from pickpack.core.desk.rows import DESK_ORDERS, VOID_WAYBILLS
from pickpack.core.events import Actor, append_event, now
from pickpack.core.lifecycle import HELD, NEW, READY
from pickpack.core.refusal import Refusal
from pickpack.core.release import (
    AUDIT_REASONS,
    REMARK_HOLD,
    release_one,
    take_waybill,
    usable_couriers,
)
from pickpack.core.ship import express_printed
from pickpack.core.tables import ORDERS, PRINT_JOBS, WAYBILLS


def slip_out(conn: Connection, order_id: int) -> bool:
    """The express slip printed, or is queued to print (its number may reach paper any moment:
    it must never go back to the pool)."""
    return express_printed(conn, order_id) or conn.execute(
        select(PRINT_JOBS.c.id).where(PRINT_JOBS.c.order_id == order_id,
                                      PRINT_JOBS.c.kind == "express",
                                      PRINT_JOBS.c.state.in_(("queued", "sending")))
        .limit(1)).first() is not None


def give_back(conn: Connection, row: Row[Any]) -> None:
    """An unprinted waybill back to the pool (nobody holds a slip with it)."""
    if row.tracking_no:
        conn.execute(update(WAYBILLS).where(WAYBILLS.c.tracking_no == row.tracking_no)
                     .values(order_id=None, assigned_at=None))


def audit_again(conn: Connection, cfg: Config, actor: Actor, row: Row[Any], why: str) -> str:
    """An order not yet printed, after a change: its waybill back to the pool, back to ``new``
    and audited at once (``ready`` with the courier chosen again, or held by the audit). The
    problem is returned ('' when it is ready). An order still ``new`` waits for its audit
    round; one the audit held is audited again now."""
    if row.state == READY:
        give_back(conn, row)
        move(conn, actor, row, NEW, "reaudit", {"why": why, "waybill_back": row.tracking_no},
             courier=None, tracking_no=None)
        return release_one(conn, cfg, actor, row.id)
    if row.state == NEW:
        return ""
    if row.state == HELD and row.held_from == NEW and _audit_hold(row):
        move(conn, actor, row, NEW, "hold_cleared", {"reason": row.hold_reason, "by": why},
             hold_reason="", held_from=None)
        return release_one(conn, cfg, actor, row.id)
    if row.state == HELD:
        return str(row.hold_reason)
    if row.tracking_no:  # on the floor, slip still to print (print at verify): a new number
        give_back(conn, row)
        conn.execute(update(ORDERS).where(ORDERS.c.id == row.id).values(tracking_no=None))
        tracking, courier = _take(conn, cfg, row)
        conn.execute(update(ORDERS).where(ORDERS.c.id == row.id)
                     .values(tracking_no=tracking, courier=courier, updated_at=now()))
        append_event(conn, actor, "courier_chosen", row.id,
                     {"why": why, "waybill_back": row.tracking_no, "courier": courier,
                      "tracking_no": tracking})
    return ""


def _audit_hold(row: Row[Any]) -> bool:
    return str(row.hold_reason).startswith(AUDIT_REASONS) and not str(row.hold_reason).startswith(
        REMARK_HOLD)


def _take(conn: Connection, cfg: Config, row: Row[Any]) -> tuple[str, str]:
    """A new number for the order by the rules release follows (the address's province and
    city rule, the couriers out of area there, the weight limits, the asked and refused
    couriers): from the first usable courier's pool that has one. Refused (nothing changes)
    when no courier may take the parcel, when it is now local pickup (its slip printed: it
    ships as a parcel), or when no usable pool has a number."""
    desk = conn.execute(select(DESK_ORDERS).where(DESK_ORDERS.c.order_id == row.id)).first()
    tried, problem = usable_couriers(conn, cfg, row, desk)
    if problem:
        raise Refusal("no_courier", "No courier for order {order_no}: {problem}",
                      order_no=row.order_no, problem=problem, order_id=row.id)
    if tried == [PICKUP]:
        raise Refusal("pickup_too_late", "The express slip of {order_no} is printed already: "
                      "it ships as a parcel", order_no=row.order_no, order_id=row.id)
    for courier in tried:
        tracking = take_waybill(conn, courier, row.id, row.platform)
        if tracking is not None:
            return tracking, courier
    raise Refusal("no_waybill", "No waybill left for {courier}: import waybills, then change "
                  "order {order_no} again", courier=", ".join(tried), order_no=row.order_no,
                  order_id=row.id)


def reissue(conn: Connection, cfg: Config, actor: Actor, row: Row[Any], why: str) -> str:
    """The printed waybill voided, a new one taken (courier chosen again) and its express slip
    queued here; returns the new tracking number. Refused (nothing changes) when no pool has a
    number for the order."""
    old = row.tracking_no
    conn.execute(update(ORDERS).where(ORDERS.c.id == row.id).values(tracking_no=None))
    new, courier = _take(conn, cfg, row)
    withdrawn = conn.execute(  # an old slip still waiting in the queue never prints
        update(PRINT_JOBS).where(PRINT_JOBS.c.order_id == row.id, PRINT_JOBS.c.kind == "express",
                                 PRINT_JOBS.c.state == "queued")
        .values(state="void", last_error=f"waybill {old} voided")).rowcount
    conn.execute(insert(VOID_WAYBILLS).values(
        tracking_no=old, order_id=row.id, courier=row.courier or "", replaced_by=new,
        reason=why[:200], voided_at=now()))
    conn.execute(update(ORDERS).where(ORDERS.c.id == row.id)
                 .values(tracking_no=new, courier=courier, updated_at=now()))
    append_event(conn, actor, "waybill_voided", row.id,
                 {"void": old, "courier_was": row.courier, "tracking_no": new, "courier": courier,
                  "why": why, "jobs_withdrawn": withdrawn})
    queue_express(conn, cfg, actor, row.id)
    return new


def queue_express(conn: Connection, cfg: Config, actor: Actor, order_id: int) -> int:
    """The order's express slip as a print job at this station, in the caller's transaction."""
    from pickpack.printing.slips import express_slip, to_json

    layout = express_slip(conn, order_id, cfg)
    job = conn.execute(insert(PRINT_JOBS).values(
        kind="express", order_id=order_id, station=cfg.station.id, printer="express",
        payload=json.dumps(to_json("express", layout), ensure_ascii=False), state="queued",
        attempts=0, created_at=now())).inserted_primary_key[0]  # type: ignore[index]
    append_event(conn, actor, "reprint_queued", order_id,
                 {"job": int(job), "kind": "express", "why": "new waybill"})
    return int(job)


def after_change(conn: Connection, cfg: Config, actor: Actor, order_id: int, why: str) -> str:
    """What an order's waybill needs after ``why`` (an address or the asked courier changed):
    audited again before printing, reissued after; returns a note for the screen."""
    row = conn.execute(select(ORDERS).where(ORDERS.c.id == order_id)).one()
    if row.tracking_no and slip_out(conn, order_id):
        return f"void {row.tracking_no} → new waybill {reissue(conn, cfg, actor, row, why)}"
    problem = audit_again(conn, cfg, actor, row, why)
    fresh = conn.execute(select(ORDERS.c.state, ORDERS.c.courier, ORDERS.c.tracking_no)
                         .where(ORDERS.c.id == order_id)).one()
    if problem:
        return f"held: {problem}"
    return f"{fresh.state} {fresh.courier or '-'} {fresh.tracking_no or '-'}"
