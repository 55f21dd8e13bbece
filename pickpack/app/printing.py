"""Print-on-verify: a verified order's slips go to the store-backed print queue.

The queue (``pickpack.printing.queue.PrintQueue``) keeps jobs in the store and retries them; this
module only connects it to the station. Both calls block (store, printer) and run in a thread.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any, Protocol

from sqlalchemy import Engine

from pickpack.config import Config
from pickpack.i18n import _


class Queue(Protocol):
    status: str
    state: Any

    def enqueue_slips(self, order_id: int) -> Any: ...

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
        self.state = _("starting")
        self.installed = True

    def connect(self) -> str:
        """Load the print queue (it imports the ESC/POS stack: slow, so call it in a thread)."""
        if self._module is None and self.installed:
            try:
                self._module = importlib.import_module("pickpack.printing.queue")
            except ModuleNotFoundError as exc:
                if exc.name not in ("pickpack.printing", "pickpack.printing.queue"):
                    raise
                self.installed, self.state = False, _("no print queue")
                return self.state
        if self._module is None:
            return self.state
        engine = self.engine_now()
        kept = self._queues.get(id(engine))
        if kept is None:
            queue = self._module.PrintQueue(engine, self.cfg, journal=engine is not self.engine)
            kept = self._queues[id(engine)] = (engine, queue)
        if self.queue is None:
            self.state = kept[1].status
        self.queue = kept[1]
        return self.state

    @property
    def available(self) -> bool:
        return self.installed

    def print_order(self, order_id: int) -> str:
        """Enqueue the order's slips and print what is pending; returns the printer state."""
        self.connect()
        if self.queue is None:
            return self.state
        self.queue.enqueue_slips(order_id)
        return self._run()

    def print_pending(self) -> str:
        """Print what waits in the queue of the store in use; returns the printer state."""
        self.connect()
        if self.queue is None:
            return self.state
        return self._run()

    def _run(self) -> str:
        assert self.queue is not None
        self.queue.run_once()
        pending = self.queue.state.pending
        self.state = self.queue.status + (_(" ({n} waiting)").format(n=pending) if pending else "")
        if self.engine_now() is not self.engine:
            self.state += _(" (journal)")
        return self.state
