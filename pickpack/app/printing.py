"""Print-on-verify: a verified order's slips go to the store-backed print queue.

The queue (``pickpack.printing.queue.PrintQueue``) keeps jobs in the store and retries them; this
module only connects it to the station. Both calls block (store, printer) and run in a thread.
"""

from __future__ import annotations

import importlib
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
    """Enqueues slips and prints pending jobs; ``state`` is what the header shows."""

    def __init__(self, engine: Engine, cfg: Config) -> None:
        self.engine, self.cfg = engine, cfg
        self.queue: Queue | None = None
        self.state = _("starting")
        self.installed = True

    def connect(self) -> str:
        """Load the print queue (it imports the ESC/POS stack: slow, so call it in a thread)."""
        if self.queue is not None or not self.installed:
            return self.state
        try:
            module = importlib.import_module("pickpack.printing.queue")
        except ModuleNotFoundError as exc:
            if exc.name not in ("pickpack.printing", "pickpack.printing.queue"):
                raise
            self.installed, self.state = False, _("no print queue")
            return self.state
        self.queue = module.PrintQueue(self.engine, self.cfg)
        self.state = self.queue.status
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
        self.queue.run_once()
        pending = self.queue.state.pending
        self.state = self.queue.status + (_(" ({n} waiting)").format(n=pending) if pending else "")
        return self.state
