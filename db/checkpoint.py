"""WAL checkpoints off the scan path, for a SQLite station.

With SQLite's automatic checkpoint, the commit that crosses the WAL limit copies the WAL back
into the database file and fsyncs it — a ~100 ms stall on one scan in a few hundred. A station
turns that off on its own connections and lets this thread checkpoint (PASSIVE: never blocks a
writer or reader) whenever the WAL has grown past ``wal_bytes``. Durability is unchanged: a
committed scan is in the fsynced WAL either way.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.pool import ConnectionPoolEntry

from db.engine import BUSY_TIMEOUT_MS, is_sqlite


class WalCheckpointer:
    """A named thread that checkpoints the store's WAL; ``stop()`` ends it within a tick."""

    def __init__(self, engine: Engine, *, interval_s: float = 0.5, wal_bytes: int = 4 << 20) -> None:
        if not is_sqlite(engine) or not engine.url.database:
            raise ValueError("WAL checkpointing is for a SQLite file store")
        self.engine = engine
        self.path = engine.url.database
        self.interval_s = interval_s
        self.wal_bytes = wal_bytes
        self.checkpoints = 0
        self.error = ""
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="wal-checkpoint", daemon=True)

    def start(self) -> WalCheckpointer:
        event.listen(self.engine, "connect", _no_autocheckpoint)
        self.engine.dispose()  # pooled connections come back with the new setting
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(5)
        event.remove(self.engine, "connect", _no_autocheckpoint)
        self.engine.dispose()  # back to SQLite's own checkpoints for whoever uses it next
        self.checkpoint()  # leave a short WAL behind

    def checkpoint(self) -> None:
        db = sqlite3.connect(self.path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            self.checkpoints += 1
        finally:
            db.close()

    def _run(self) -> None:
        wal = f"{self.path}-wal"
        while not self._stop.wait(self.interval_s):
            try:
                if os.path.exists(wal) and os.path.getsize(wal) >= self.wal_bytes:
                    self.checkpoint()
                self.error = ""
            except (OSError, sqlite3.Error) as exc:  # shown by the station, tried again next tick
                self.error = f"WAL checkpoint failed: {exc}"


def _no_autocheckpoint(dbapi_conn: Any, _record: ConnectionPoolEntry) -> None:
    dbapi_conn.execute("PRAGMA wal_autocheckpoint=0")
