"""The station's WAL checkpoints run in their own thread, and the WAL stays bounded."""

from __future__ import annotations

import os
import time

from sqlalchemy import Engine, text

from db.checkpoint import WalCheckpointer
from db.engine import write_tx


def test_wal_is_checkpointed_off_the_write_path(engine: Engine) -> None:
    cp = WalCheckpointer(engine, interval_s=0.05, wal_bytes=64 << 10).start()
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 0
        for i in range(300):
            with write_tx(engine) as conn:
                conn.execute(text("INSERT INTO courier(code, name) VALUES (:c, :n)"),
                             {"c": f"C{i}", "n": "x" * 500})
        deadline = time.monotonic() + 5
        while cp.checkpoints == 0 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert cp.checkpoints > 0 and cp.error == ""
    finally:
        cp.stop()
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM courier").scalar() == 300
        assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 1000
    assert not cp._thread.is_alive()
    assert os.path.exists(str(engine.url.database))
