"""Drill: kill -9 a verify station in the middle of its scans, again and again.

Every scan the station confirmed (printed after ``handle`` returned) must be in the store after
the kill; no scan is counted twice (each line's count equals its item_scanned events); the
SQLite file passes ``PRAGMA integrity_check`` after every kill. CI runs a short version;
``make soak`` runs ``PICKPACK_SOAK_KILL_LOOPS`` (default there: 200) loops.
"""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from benchmarks.bigstore import build_store

ROOT = Path(__file__).resolve().parents[2]
LOOPS = int(os.environ.get("PICKPACK_SOAK_KILL_LOOPS", "6"))


def _run_until_killed(store: Path, confirmed: Counter[tuple[int, str]], rng: random.Random) -> str:
    proc = subprocess.Popen([sys.executable, "-m", "tests.soak.scan_worker", str(store)],
                            cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    budget = rng.randint(1, 40)  # confirmed scans before the kill
    last = ""
    while budget > 0:
        line = proc.stdout.readline()
        if not line:
            break
        last = line.strip()
        if last.startswith("ok "):
            _, oid, sku = last.split()
            confirmed[(int(oid), sku)] += 1
            budget -= 1
        elif last in ("done",) or last.startswith("refused"):
            break
    time.sleep(rng.random() * 0.01)  # land the kill anywhere in the next scan
    proc.kill()
    tail, _ = proc.communicate()
    for line in tail.splitlines():  # printed before the kill landed: confirmed too
        if line.startswith("ok "):
            _, oid, sku = line.split()
            confirmed[(int(oid), sku)] += 1
        last = line or last
    return last


def _check(store: Path, confirmed: Counter[tuple[int, str]]) -> None:
    db = sqlite3.connect(store)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        counted = Counter({(oid, sku): n for oid, sku, n in db.execute(
            "SELECT order_id, sku, sum(scanned) FROM order_line GROUP BY order_id, sku")})
        events = Counter()
        for oid, sku, units in db.execute(
                "SELECT order_id, json_extract(payload, '$.sku'), "
                "coalesce(json_extract(payload, '$.units'), 1) FROM event WHERE kind = 'item_scanned'"):
            events[(oid, sku)] += units
        lost = {k: n for k, n in confirmed.items() if counted[k] < n}
        assert not lost, f"confirmed scans missing after kill -9: {lost}"
        twice = {k: (counted[k], n) for k, n in events.items() if counted[k] != n}
        assert not twice, f"line counts differ from their item_scanned events: {twice}"
    finally:
        db.close()


def test_kill_9_during_verify_scans_loses_no_confirmed_scan(tmp_path: Path) -> None:
    store = tmp_path / "kill9.db"
    build_store(store, max(40, LOOPS * 8))
    rng = random.Random(int(os.environ.get("PICKPACK_SOAK_SEED", "914")))
    confirmed: Counter[tuple[int, str]] = Counter()
    for _ in range(LOOPS):
        last = _run_until_killed(store, confirmed, rng)
        assert not last.startswith("refused"), last
        _check(store, confirmed)
    assert sum(confirmed.values()) >= LOOPS
    print(f"kill -9 drill: {LOOPS} loops, {sum(confirmed.values())} confirmed scans, 0 lost")
