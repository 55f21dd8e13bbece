"""A station's slip pair goes to the store-backed print queue where ``[workflow] print_at`` says
(:mod:`pickpack.printing.where`: the last good verify scan by default).

The queue (``pickpack.printing.queue.PrintQueue``) keeps jobs in the store and retries them; this
module only connects it to the station. Both calls block (store, printer) and run in a thread.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable
from typing import Any, Protocol

from sqlalchemy import Engine

from pickpack.config import Config
from pickpack.i18n import _


class Queue(Protocol):
    status: str
    last_error: str
    state: Any

    def enqueue_slips(self, order_id: int, *, once: bool = False) -> Any: ...

    def run_once(self) -> int: ...


class SlipPrinter:
    """Enqueues slips and prints pending jobs; ``state`` is what the header shows.

    ``engine_now`` names the store in use at each call (a PostgreSQL station's switch: the
    central store, or its journal while the store is away). Offline, slips are queued and printed
    from the journal like any other job (the printer is the station's own); the sync moves the
    ones still unprinted to the central queue when the store is back."""

    def __init__(self, engine: Engine, cfg: Config,
                 engine_now: Callable[[], Engine] | None = None) -> None:
        self.engine, self.cfg = engine, cfg
        self.engine_now = engine_now or (lambda: engine)
        self.queue: Queue | None = None
        self._queues: dict[int, tuple[Engine, Queue]] = {}
        self._module: Any = None
        self._lock = threading.Lock()
        self.state = _("starting")
        self.installed = True

    def connect(self) -> str:
        """Load the print queue (call it in a thread; the ESC/POS renderer loads only when a
        slip is first sent)."""
        self._queue()
        return self.state

    def _queue(self) -> Queue | None:
        """The queue of the store in use now (made once per store)."""
        if self._module is None and self.installed:
            try:
                self._module = importlib.import_module("pickpack.printing.queue")
            except ModuleNotFoundError as exc:
                if exc.name not in ("pickpack.printing", "pickpack.printing.queue"):
                    raise
                self.installed, self.state = False, _("no print queue")
                return None
        if self._module is None:
            return None
        engine = self.engine_now()
        with self._lock:
            kept = self._queues.get(id(engine))
            if kept is None:
                queue = self._module.PrintQueue(engine, self.cfg,
                                                journal=engine is not self.engine)
                kept = self._queues[id(engine)] = (engine, queue)
                if self.queue is None:
                    self.state = _queue_words(queue)
            self.queue = kept[1]
        return kept[1]

    @property
    def available(self) -> bool:
        return self.installed

    @property
    def offline(self) -> bool:
        """The queue in use could not reach its printer the last time it tried."""
        return self.queue is not None and bool(self.queue.last_error)

    def enqueue(self, order_id: int) -> None:
        """Queue the order's slips in the store in use (one transaction: all or nothing), once
        per order: an order opened again is not printed again (``CMD:REPRINT`` is for that)."""
        queue = self._queue()
        if queue is not None:
            queue.enqueue_slips(order_id, once=True)

    def print_order(self, order_id: int) -> str:
        """Enqueue the order's slips and print what is pending; returns the printer state."""
        self.enqueue(order_id)
        return self.print_pending()

    def print_pending(self) -> str:
        """Print what waits in the queue of the store in use; returns the printer state."""
        queue = self._queue()
        if queue is None:
            return self.state
        queue.run_once()
        pending = queue.state.pending
        state = _queue_words(queue) + (_(" ({n} waiting)").format(n=pending) if pending else "")
        if getattr(queue, "journal", False):
            state += _(" (journal)")
        self.state = state
        return state


def _queue_words(queue: Queue) -> str:
    """The queue's state as the header shows it, in the station's language."""
    if not queue.last_error:
        return _("ok")
    return _("offline: {reason}").format(reason=queue.last_error)
