"""The desk's batch of slips (``[workflow] print_at = "desk"``): every ready order's express and
packing slips, printed through the print queue before picking (``pickpack print slips``), or
one wave's pick list and slip pairs in slot order (``pickpack wave print``).

Each order is queued once (an order whose express slip was queued before is skipped), so running
the batch again prints only what is new; an order is ``printed`` once its express slip came out.
Blocking (store and printers).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, and_, case, exists, func, or_, select, update

from db.engine import write_tx
from pickpack.config import Config
from pickpack.core.couriers.rules import PICKUP
from pickpack.core.events import Actor, append_event
from pickpack.core.lifecycle import READY
from pickpack.core.refusal import Refusal
from pickpack.core.tables import EVENTS, ORDERS, PRINT_JOBS
from pickpack.core.waves.picklist import wave_order_count, wave_stops
from pickpack.core.waves.tables import CLOSED, OPEN, PRINTED, WAVE_ORDERS, WAVES, wave_code
from pickpack.core.waves.views import wave_row
from pickpack.printing.queue import PrintQueue
from pickpack.printing.wave_slips import wave_slips
from printers import PickLine, PickList


@dataclass(frozen=True, slots=True)
class Batch:
    orders: int
    """Orders whose slips were queued by this batch."""
    printed: int
    """Slips the printers took (this batch's and any left waiting from before)."""
    pending: int
    error: str
    """The printer's last error ('' when every slip printed)."""


def print_ready_slips(engine: Engine, cfg: Config, actor: Actor, limit: int | None = None) -> Batch:
    """Queue and print the slip pair of every ready order with a waybill not queued before,
    and the packing slip of every local-pickup order (自提, no waybill), oldest payment first
    (``limit``: at most that many orders). An order in a wave is left to its wave's batch
    (its slips print in the order of the wave's slots)."""
    pickup = and_(ORDERS.c.courier == PICKUP, ORDERS.c.tracking_no.is_(None))
    first = case((pickup, "packing"), else_="express")  # the slip that makes it printed
    queued = exists().where(PRINT_JOBS.c.order_id == ORDERS.c.id, PRINT_JOBS.c.kind == first)
    waved = (select(WAVE_ORDERS.c.order_id).join(WAVES, WAVES.c.id == WAVE_ORDERS.c.wave_id)
             .where(WAVES.c.state != CLOSED))
    query = (select(ORDERS.c.id)
             .where(ORDERS.c.state == READY, or_(ORDERS.c.tracking_no.is_not(None), pickup),
                    ~queued, ORDERS.c.id.not_in(waved))
             .order_by(ORDERS.c.paid_at, ORDERS.c.id))
    if limit is not None:
        query = query.limit(limit)
    with engine.connect() as conn:
        ids = [int(i) for i in conn.execute(query).scalars()]
    queue = PrintQueue(engine, cfg, actor)
    orders = sum(1 for order_id in ids if queue.enqueue_slips(order_id, once=True))
    printed = drain(queue)
    return Batch(orders, printed, queue.state.pending, queue.last_error)


def pick_list(conn: Connection, wave_id: int, kind: str) -> PickList:
    """The printed pick list: its barcode is the wave code a picker scans to take the wave.
    A single-item wave goes into one tote; the others say the slots after each SKU."""
    lines = []
    for stop in wave_stops(conn, wave_id):
        where = "→ 周转箱" if kind == "single" else f"→ 格 {stop.slot_text()}"
        lines.append(PickLine(stop.bin or "-", stop.sku, stop.name,
                              f"{stop.variant} {where}".strip(), stop.total))
    return PickList(wave_code(wave_id), lines, order_count=wave_order_count(conn, wave_id))


@dataclass(frozen=True, slots=True)
class WaveBatch:
    wave: str
    jobs: list[int]
    """Every slip this print queued: the pick list first, then express + packing per slot."""
    printed: int
    pending: int
    error: str


def queue_wave(engine: Engine, cfg: Config, actor: Actor, key: str | int, *,
               reprint: bool = False) -> tuple[str, list[int]]:
    """Queue a wave's pick list and its slip pairs in slot order (a local-pickup order: its
    packing slip alone), in one transaction with the wave's ``wave_printed`` event (open →
    printed). A wave printed before is refused unless
    ``reprint`` (then each slip is recorded as a reprint), or unless some of its slips still
    wait for the printer: then those are the batch (nothing is queued twice). A cancelled
    order gets no slips."""
    queue = PrintQueue(engine, cfg, actor)
    with write_tx(engine) as conn:
        row = wave_row(conn, key, lock=True)
        code = wave_code(row.id)
        if row.state == CLOSED:
            raise Refusal("wave_closed", "Wave {wave} is closed already", wave=code)
        if row.state != OPEN and not reprint:
            waiting = waiting_jobs(conn, code)
            if waiting:  # the printer was off: the rest of the batch, not a second one
                return code, waiting
            raise Refusal("wave_printed", "Wave {wave} was printed already: reprint it "
                          "(--reprint)", wave=code)
        jobs = [queue.add_job(conn, "picklist", None, pick_list(conn, row.id, row.kind),
                              reprint=reprint, meta={"wave": code})]
        for slip in wave_slips(conn, row.id, cfg):
            slot = slip.slot
            again = reprint or slot.state != READY  # its slips came out before (another wave)
            meta: dict[str, object] = {"wave": code, "slot": slot.slot,
                                       "tracking_no": slot.tracking_no}
            if slip.pickup:
                meta["pickup"] = True
            jobs.append(queue.add_job(conn, slip.kind, slot.order_id, slip.layout,
                                      reprint=again, meta=meta))
        if row.state == OPEN:
            conn.execute(update(WAVES).where(WAVES.c.id == row.id).values(state=PRINTED))
        append_event(conn, actor, "wave_reprinted" if reprint else "wave_printed", None,
                     {"wave": code, "from": row.state,
                      "to": PRINTED if row.state == OPEN else row.state, "jobs": jobs})
    return code, jobs


def waiting_jobs(conn: Connection, code: str) -> list[int]:
    """The wave's slips still queued (its printer was off mid-batch), from its print events."""
    jobs: list[int] = []
    for payload in conn.execute(select(EVENTS.c.payload).where(
            EVENTS.c.kind.in_(("wave_printed", "wave_reprinted")), EVENTS.c.order_id.is_(None))
            .order_by(EVENTS.c.id)).scalars():
        data = json.loads(payload)
        if data.get("wave") == code:
            jobs.extend(int(j) for j in data.get("jobs", []))
    if not jobs:
        return []
    return [int(i) for i in conn.execute(select(PRINT_JOBS.c.id).where(
        PRINT_JOBS.c.id.in_(jobs), PRINT_JOBS.c.state.in_(("queued", "sending")))
        .order_by(PRINT_JOBS.c.id)).scalars()]


def print_wave(engine: Engine, cfg: Config, actor: Actor, key: str | int, *,
               reprint: bool = False, progress: Callable[[int], None] | None = None
               ) -> WaveBatch:
    """Queue a wave's slips (:func:`queue_wave`) and send them; a printer that goes off keeps
    the rest queued for the station's print loop (or the next ``wave print``), each slip once."""
    code, jobs = queue_wave(engine, cfg, actor, key, reprint=reprint)
    queue = PrintQueue(engine, cfg, actor)
    mine, printed = set(jobs), 0

    def sent(job_id: int) -> None:  # the queue may send the station's older slips too
        nonlocal printed
        if job_id in mine:
            printed += 1
        if progress is not None:
            progress(job_id)

    drain(queue, sent)
    pending = 0
    if printed < len(jobs):  # the wave's own slips still waiting (the printer went off)
        with engine.connect() as conn:
            pending = int(conn.execute(select(func.count()).select_from(PRINT_JOBS).where(
                PRINT_JOBS.c.id.in_(jobs), PRINT_JOBS.c.state.in_(("queued", "sending"))))
                .scalar_one())
    return WaveBatch(code, jobs, printed, pending, queue.last_error)


def drain(queue: PrintQueue, progress: Callable[[int], None] | None = None) -> int:
    """Run the queue until it is empty or a printer fails; returns the slips printed."""
    printed = 0
    while True:
        sent = queue.run_once(progress=progress)
        printed += sent
        if not sent or queue.last_error:
            return printed
