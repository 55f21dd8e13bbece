"""The print queue: a job is a row in the store until the printer has taken it.

A printer that is off, unplugged or out of paper keeps its jobs; they are retried and the
queue's state says what is wrong. A job carries the station that queued it, and a station sends
only its own (on a shared PostgreSQL store, a slip comes out of the printer where it was asked
for). Jobs are claimed (queued → sending) with a compare-and-set, so two loops never send the
same job; a job is marked printed as soon as the printer took its bytes. A job left ``sending``
by a crash is queued again ``STALE_S`` after it was claimed — at most one duplicate slip, never a
lost one. Blocking: call ``run_once`` from a worker thread.

The express slip's ``slip_printed`` event is what makes an order printed (ship refuses a parcel
without it; a local-pickup order has no express slip: its packing slip does); an order still
``ready`` (slips printed at the desk before picking) moves to ``printed`` in the same
transaction.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, and_, or_, select, update

from db.engine import write_tx
from pickpack.config import Config
from pickpack.core.couriers.rules import PICKUP
from pickpack.core.events import Actor, append_event, now
from pickpack.core.lifecycle import PRINTED, READY
from pickpack.core.tables import EVENTS, ORDERS, PRINT_JOBS
from pickpack.i18n import _
from pickpack.printing import STALE_S
from pickpack.printing.slips import express_slip, from_json, packing_slip, to_json
from printers import PrinterError, PrinterOffline, connect, make_job
from printers.compose import Layout

if TYPE_CHECKING:
    from printers import PrinterSetup


@dataclass(frozen=True)
class QueueState:
    pending: int
    printer_ok: bool
    detail: str


class PrintQueue:
    def __init__(self, engine: Engine, cfg: Config, actor: Actor | None = None, *,
                 journal: bool = False) -> None:
        self.engine = engine
        self.cfg = cfg
        self.actor = actor or Actor(cfg.station.id, "printer")
        self.last_error = ""
        self.journal = journal
        """A station's offline journal: its job ids are its own, and its events say so."""

    @property
    def setup(self) -> PrinterSetup:
        from printers import PrinterSetup  # the ESC/POS renderer: loaded when a slip prints

        p = self.cfg.printers
        return PrinterSetup(paper_mm=p.paper_mm, profile=p.profile, chinese=p.chinese,
                            drawn_glyphs=p.drawn_glyphs)

    def url_for(self, printer: str) -> str:
        return self.cfg.printers.express if printer == "express" else self.cfg.printers.packing

    def enqueue_slips(self, order_id: int, kinds: tuple[str, ...] = ("express", "packing"),
                      *, reprint: bool = False, once: bool = False) -> list[int]:
        """Queue an order's slips (express and packing by default) in one transaction; a
        local-pickup order (自提, no waybill) has no express slip: its packing slip alone.
        ``once``: nothing when the order's first slip (express, or a pickup order's packing
        slip) was queued before (a station that prints when it opens an order, opened twice)."""
        with write_tx(self.engine) as conn:
            courier, tracking = conn.execute(select(ORDERS.c.courier, ORDERS.c.tracking_no)
                                             .where(ORDERS.c.id == order_id)).one()
            pickup = courier == PICKUP and not tracking
            if pickup:
                kinds = tuple(k for k in kinds if k != "express")
            first = "packing" if pickup else "express"
            if once and conn.execute(select(PRINT_JOBS.c.id).where(
                    PRINT_JOBS.c.order_id == order_id, PRINT_JOBS.c.kind == first)
                    .limit(1)).first() is not None:
                return []
            return [self.add_job(conn, kind, order_id,
                                 (express_slip if kind == "express" else packing_slip)(
                                     conn, order_id, self.cfg), reprint=reprint,
                                 meta={"pickup": True} if pickup else None)
                    for kind in kinds]

    def add_job(self, conn: Any, kind: str, order_id: int | None, layout: Layout, *,
                reprint: bool = False, meta: dict[str, object] | None = None) -> int:
        """Queue one slip in the caller's transaction (a wave queues its whole batch in one):
        the job row and its ``print_queued`` (or ``reprint_queued``) event. ``meta`` rides in
        the job (a wave's code and slot, the tracking number) into the ``slip_printed`` event."""
        tracking = getattr(layout, "tracking_no", None) or (meta or {}).get("tracking_no")
        if tracking is None and order_id is not None and "tracking_no" not in (meta or {}):
            tracking = conn.execute(select(ORDERS.c.tracking_no)
                                    .where(ORDERS.c.id == order_id)).scalar()
        job_meta = {"reprint": reprint, "tracking_no": tracking, **(meta or {})}
        result = conn.execute(PRINT_JOBS.insert().values(
            kind=kind, order_id=order_id, station=self.station,
            printer="express" if kind == "express" else "packing",
            payload=json.dumps({**to_json(kind, layout), "meta": job_meta}, ensure_ascii=False),
            state="queued", attempts=0, created_at=now()))
        job_id = int(result.inserted_primary_key[0])  # type: ignore[index]
        append_event(conn, self.actor, "reprint_queued" if reprint else "print_queued",
                     order_id, self._where({"job": job_id, "kind": kind, **(meta or {})}))
        return job_id

    def reprint(self, order_id: int) -> list[int]:
        """Reprint an order's slips (CMD:REPRINT, or from the desk)."""
        return self.enqueue_slips(order_id, reprint=True)

    def last_order_printed(self) -> int | None:
        with self.engine.connect() as conn:
            return conn.execute(
                select(PRINT_JOBS.c.order_id)
                .where(self._mine(), PRINT_JOBS.c.state == "printed")
                .order_by(PRINT_JOBS.c.printed_at.desc()).limit(1)
            ).scalar()

    @property
    def station(self) -> str:
        return self.cfg.station.id

    def _mine(self) -> Any:
        """This station's jobs (and jobs from before jobs carried a station)."""
        return PRINT_JOBS.c.station.in_((self.station, ""))

    def _requeue_stale(self) -> None:
        """Jobs left ``sending`` by a crash: claimed STALE_S ago and never marked printed."""
        stale = now() - timedelta(seconds=STALE_S)
        with write_tx(self.engine) as conn:
            conn.execute(update(PRINT_JOBS).where(
                self._mine(), PRINT_JOBS.c.state == "sending",
                or_(PRINT_JOBS.c.claimed_at < stale,
                    and_(PRINT_JOBS.c.claimed_at.is_(None), PRINT_JOBS.c.created_at < stale)),
            ).values(state="queued"))

    def run_once(self, limit: int = 50, progress: Callable[[int], None] | None = None) -> int:
        """Send queued jobs; returns how many the printers took. Stops at a printer that fails.
        ``progress`` is told each job id the printer took (a batch shows how far it got)."""
        self._requeue_stale()
        with self.engine.connect() as conn:
            jobs = conn.execute(select(PRINT_JOBS.c.id, PRINT_JOBS.c.printer, PRINT_JOBS.c.payload,
                                       PRINT_JOBS.c.order_id, PRINT_JOBS.c.kind)
                                .where(self._mine(), PRINT_JOBS.c.state == "queued")
                                .order_by(PRINT_JOBS.c.id).limit(limit)).all()
        printed, failed_printers = 0, set()
        for job in jobs:
            if job.printer in failed_printers:
                continue
            with write_tx(self.engine) as conn:
                claimed = conn.execute(update(PRINT_JOBS).where(
                    PRINT_JOBS.c.id == job.id, PRINT_JOBS.c.state == "queued",
                ).values(state="sending", attempts=PRINT_JOBS.c.attempts + 1,
                         claimed_at=now())).rowcount
            if not claimed:
                continue
            url, data = self.url_for(job.printer), json.loads(job.payload)
            try:
                with connect(url) as printer:
                    printer.send(make_job(from_json(data), self.setup))
            except PrinterError as exc:
                failed_printers.add(job.printer)
                self.last_error = printer_words(exc)  # said; the job keeps the English
                with write_tx(self.engine) as conn:  # unless a sync moved it meanwhile
                    conn.execute(update(PRINT_JOBS).where(PRINT_JOBS.c.id == job.id,
                                                          PRINT_JOBS.c.state == "sending")
                                 .values(state="queued", last_error=str(exc)[:300]))
                continue
            with write_tx(self.engine) as conn:
                conn.execute(update(PRINT_JOBS).where(PRINT_JOBS.c.id == job.id)
                             .values(state="printed", printed_at=now(), last_error=""))
                append_event(conn, self.actor, "slip_printed", job.order_id,
                             self._where(slip_payload(job.id, job.kind, url, self.station,
                                                      data)))
                if job.order_id is not None and makes_printed(job.kind, data):
                    self._printed(conn, job.order_id, job.id)
            printed += 1
            if progress is not None:
                progress(job.id)
        if not failed_printers:
            self.last_error = ""
        return printed

    def _printed(self, conn: Any, order_id: int, job_id: int) -> None:
        mark_printed(conn, self.actor, order_id, self._where({"job": job_id}))

    def _where(self, payload: dict[str, object]) -> dict[str, object]:
        """An event's payload; from the journal it says so (the central store has other jobs
        under the same ids once the sync has carried these events there)."""
        return {**payload, "journal": True} if self.journal else payload

    @property
    def status(self) -> str:
        """One line for a station header: 'ok' or 'offline: reason'."""
        return "ok" if not self.last_error else f"offline: {self.last_error}"

    @property
    def state(self) -> QueueState:
        with self.engine.connect() as conn:
            pending = len(conn.execute(select(PRINT_JOBS.c.id).where(
                self._mine(), PRINT_JOBS.c.state.in_(("queued", "sending")))).all())
        return QueueState(pending, not self.last_error, self.last_error or "ok")


def slip_payload(job_id: int, kind: str, url: str, station: str,
                 payload: dict[str, Any]) -> dict[str, object]:
    """What ``slip_printed`` says: which slip (kind, tracking number, a wave's code and slot),
    where it came out (printer, station) and whether it was a reprint."""
    meta = payload.get("meta") or {}
    tracking = meta.get("tracking_no") or payload.get("fields", {}).get("tracking_no")
    return {"job": job_id, "kind": kind, "printer": url, "station": station,
            "tracking_no": tracking, "reprint": bool(meta.get("reprint")),
            **{k: v for k, v in meta.items() if k in ("wave", "slot")}}


def makes_printed(kind: str, payload: dict[str, Any]) -> bool:
    """The slip whose printing makes its order printed: the express slip, or the packing slip
    of a local-pickup order (自提: no waybill, no express slip)."""
    return kind == "express" or (kind == "packing" and bool((payload.get("meta") or {})
                                                           .get("pickup")))


def mark_printed(conn: Any, actor: Actor, order_id: int, payload: dict[str, object]) -> None:
    """An order still ``ready`` whose express slip printed (at the desk) is ``printed``, in the
    transaction that records the slip's ``slip_printed``."""
    if conn.execute(update(ORDERS).where(ORDERS.c.id == order_id, ORDERS.c.state == READY)
                    .values(state=PRINTED, updated_at=now())).rowcount:
        append_event(conn, actor, "printed", order_id, {"from": READY, "to": PRINTED, **payload})


def record_printed(engine: Engine, actor: Actor, order_id: int, kind: str, url: str) -> None:
    """A slip printed outside the queue (``pickpack print express KEY``) is in the trail like
    one the queue printed: an express slip makes the order printed."""
    with write_tx(engine) as conn:
        tracking = conn.execute(select(ORDERS.c.tracking_no)
                                .where(ORDERS.c.id == order_id)).scalar()
        before = conn.execute(select(EVENTS.c.payload).where(
            EVENTS.c.order_id == order_id, EVENTS.c.kind == "slip_printed")).scalars()
        again = any(json.loads(p).get("kind") == kind for p in before)
        append_event(conn, actor, "slip_printed", order_id,
                     {"kind": kind, "printer": url, "station": actor.station,
                      "tracking_no": tracking, "reprint": again, "direct": True})
        if kind == "express":
            mark_printed(conn, actor, order_id, {"direct": True})


def printer_words(exc: PrinterError) -> str:
    """A printer's failure in the station's language (printers/ imports nothing of ours)."""
    if isinstance(exc, PrinterOffline):
        return _("printer {url} is offline: {reason}").format(url=exc.url, reason=exc.reason)
    return str(exc)
