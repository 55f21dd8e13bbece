"""A floor board served on a free port of 127.0.0.1 over a real SQLite store (floorkit)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine

from pickpack.board.server import BoardServer
from pickpack.config import Config
from pickpack.core.events import Actor
from pickpack.core.operators import login
from pickpack.core.release import release
from tests.core.floorkit import seed

TOKEN = "board-test-token-7Qx"


def floor_with_orders(engine: Engine, config: Config, orders: int = 3) -> list[str]:
    """Floorkit's orders, released; OP1001 logged in at pick P1, OP2001 at verify V1."""
    numbers = seed(engine, orders=orders)
    release(engine, config, Actor("D1", "clerk"))
    login(engine, "P1", "OP1001", "pick")
    login(engine, "V1", "OP2001", "verify")
    return numbers


@contextmanager
def serving(engine: Engine, config: Config, token: str = TOKEN) -> Iterator[BoardServer]:
    server = BoardServer(engine, config, token, "127.0.0.1", 0)
    server.start()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.stop()
        thread.join(timeout=5)
