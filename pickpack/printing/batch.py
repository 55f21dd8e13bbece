"""The desk's batch of slips (``[workflow] print_at = "desk"``): every ready order's express and
packing slips, printed through the print queue before picking (``pickpack print slips``).

Each order is queued once (an order whose express slip was queued before is skipped), so running
the batch again prints only what is new; an order is ``printed`` once its express slip came out.
Blocking (store and printers).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, select

from pickpack.config import Config
from pickpack.core.events import Actor
from pickpack.core.lifecycle import READY
from pickpack.core.tables import ORDERS, PRINT_JOBS
from pickpack.printing.queue import PrintQueue


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
    oldest payment first (``limit``: at most that many orders)."""
    queued = select(PRINT_JOBS.c.order_id).where(PRINT_JOBS.c.kind == "express",
                                                 PRINT_JOBS.c.order_id.is_not(None))
    query = (select(ORDERS.c.id)
             .where(ORDERS.c.state == READY, ORDERS.c.tracking_no.is_not(None),
                    ORDERS.c.id.not_in(queued))
             .order_by(ORDERS.c.paid_at, ORDERS.c.id))
    if limit is not None:
        query = query.limit(limit)
    with engine.connect() as conn:
        ids = [int(i) for i in conn.execute(query).scalars()]
    queue = PrintQueue(engine, cfg, actor)
    orders = sum(1 for order_id in ids if queue.enqueue_slips(order_id, once=True))
    printed = 0
    while True:
        sent = queue.run_once()
        printed += sent
        if not sent or queue.last_error:
            break
    return Batch(orders, printed, queue.state.pending, queue.last_error)
