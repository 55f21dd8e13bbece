"""kill -9 of a station mid-scan: no committed scan lost, none counted twice (PostgreSQL and
SQLite). The station prints each scan's event UUID after its commit; we SIGKILL it mid-loop."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

from sqlalchemy import Engine, select

from pickpack.core.tables import EVENTS
from tests.conftest import make_config
from tests.core.floorkit import seed
from tests.pg.conftest import PgStore
from tests.pg.kit import picked_order, scanned

ROOT = Path(__file__).resolve().parents[2]


def _kill_mid_scan(url: str, engine: Engine, after: int) -> None:
    seed(engine, orders=0)
    oid = picked_order(engine, "K9", qty=100_000)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "tests.pg.scan_loop", url, str(oid), "K1"],
                            stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    printed = []
    for line in proc.stdout:
        printed.append(line.strip())
        if len(printed) >= after:
            proc.send_signal(signal.SIGKILL)  # mid-loop: likely inside the next transaction
            break
    proc.wait(timeout=10)
    printed += [line.strip() for line in proc.stdout.read().splitlines() if line.strip()]
    assert proc.returncode == -signal.SIGKILL
    with engine.connect() as conn:
        stored = Counter(conn.execute(select(EVENTS.c.uuid).where(EVENTS.c.station == "K1",
                                                                 EVENTS.c.kind == "item_scanned"))
                         .scalars())
    assert all(stored[u] == 1 for u in printed), "a committed scan was lost or duplicated"
    assert len(stored) - len(printed) in (0, 1)  # at most the one committed but not yet printed
    assert set(stored.values()) == {1}
    assert scanned(engine, oid) == len(stored)  # the count and the trail agree: no half scan


def test_kill_9_mid_scan_postgresql(pg: PgStore) -> None:
    _kill_mid_scan(pg.url, pg.engine, after=40)


def test_kill_9_mid_scan_sqlite(engine: Engine, tmp_path: Path) -> None:
    url = make_config(tmp_path).store.url  # the file the `engine` fixture migrated
    _kill_mid_scan(url, engine, after=40)


