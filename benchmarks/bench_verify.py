"""Verify-scan latency through the core on a large store, beside raw sqlite3 doing the same writes.

    .venv/bin/python benchmarks/bench_verify.py [--orders 1000000] [--scans 2000] [--store PATH]

Each scan goes through ``VerifyFlow.handle`` (classification, the order's lock, barcode
look-up, the count, the event, completion) in one BEGIN IMMEDIATE transaction with
``synchronous=FULL``. The limit is raw sqlite3 with the same pragmas doing the same
reads and writes (select order, barcode, line; update line; insert event; what is left; on
the order's last item its state, its event and its basket; commit).
Budget: p50 ≤ 3× raw p50, p99 ≤ 2× raw p99.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bigstore import build_store, ean13, store_config  # noqa: E402

from db.checkpoint import WalCheckpointer  # noqa: E402
from pickpack.core.context import Floor  # noqa: E402
from pickpack.core.flows.modes import VerifyFlow  # noqa: E402
from pickpack.scan import Scan  # noqa: E402
from pickpack.store import open_store  # noqa: E402


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def fresh_orders(path: Path, n: int) -> list[int]:
    """``n`` picked orders nothing has been scanned for yet, from a random place in the store."""
    db = sqlite3.connect(path)
    top = db.execute("SELECT max(id) FROM orders").fetchone()[0]
    start = random.randint(1, max(1, top - 50 * n))
    ids = [r[0] for r in db.execute(
        "SELECT id FROM orders o WHERE id >= ? AND state = 'picked' AND NOT EXISTS "
        "(SELECT 1 FROM order_line l WHERE l.order_id = o.id AND l.scanned > 0) LIMIT ?",
        (start, n))]
    db.close()
    if len(ids) < n:
        raise SystemExit(f"only {len(ids)} fresh orders left in {path}: rebuild it (delete it)")
    return ids


EXPIRY = (date.today() + timedelta(days=400)).strftime("%y%m%d")
"""A lot well inside its shelf life: the GS1 scans are counted, after their shelf-life check."""


def spelling(ean: str, rng: random.Random, gs1: float) -> Scan:
    """One scan of the item whose EAN-13 is ``ean``: with probability ``gs1`` a GS1 form (half
    an AI string (01)+(17)+(10) from a GS1-128 or DataMatrix label, three tenths a GS1 Digital
    Link QR with lot and expiry, a fifth an ITF-14 case-code spelling with indicator 0),
    otherwise the EAN-13 as most retail goods carry it."""
    pick = rng.random()
    if pick >= gs1:
        return Scan(ean, symbology="]E0")
    lot = f"L{rng.randint(1, 99999):05d}"
    pick /= gs1
    if pick < 0.5:
        return Scan(f"010{ean}17{EXPIRY}10{lot}", symbology="]C1")
    if pick < 0.8:
        return Scan(f"https://id.gs1.org/01/0{ean}/10/{lot}?17={EXPIRY}", symbology="]Q1")
    return Scan(f"0{ean}", symbology="]I0")


def plan_of(db: sqlite3.Connection, oid: int, rng: random.Random, gs1: float) -> list[Scan]:
    """The item scans for an order, one per unit."""
    rows = db.execute("SELECT sku, qty FROM order_line WHERE order_id=? ORDER BY id", (oid,))
    return [spelling(ean13(int(sku[1:])), rng, gs1) for sku, qty in rows for _ in range(qty)]


class Core:
    """Scans through the product: ``VerifyFlow.handle`` on the store's real engine."""

    def __init__(self, path: Path, auto_checkpoint: bool) -> None:
        cfg = store_config(path)
        self.engine = open_store(cfg)
        if not auto_checkpoint:  # as a station runs: WAL checkpoints in their own thread
            WalCheckpointer(self.engine).start()
        self.flow = VerifyFlow(Floor(self.engine, cfg), "V1")
        self.flow.handle(Scan("OP2001"))

    def order(self, oid: int, scans: list[Scan], times: list[float],
              gs1_times: list[float]) -> None:
        out = self.flow.handle(Scan(f"7{oid:013d}"))  # the express slip opens the order
        assert out.ok, out.message
        for scan in scans:
            t = time.perf_counter()
            out = self.flow.handle(scan)
            took = time.perf_counter() - t
            times.append(took)
            if scan.symbology != "]E0":
                gs1_times.append(took)
            assert out.ok, (scan.code, out.message)


def ean13_of(code: str) -> str:
    """The EAN-13 inside a GS1 spelling of :func:`spelling` (the raw side knows the answer; its
    look-up stays one indexed read, the core's classification and spellings are what is measured)."""
    start = code.find("/01/") + 5 if code.startswith("https") else (3 if code.startswith("01") else 1)
    return code[start : start + 13]


class Raw:
    """The limit: plain sqlite3, same pragmas, the same reads and writes per scan."""

    def __init__(self, path: Path, auto_checkpoint: bool) -> None:
        self.db = sqlite3.connect(path, isolation_level=None)
        for pragma in ("journal_mode=WAL", "synchronous=FULL", "busy_timeout=5000",
                       "foreign_keys=ON"):
            self.db.execute(f"PRAGMA {pragma}")
        if not auto_checkpoint:  # the same arrangement as the core: the thread checkpoints
            self.db.execute("PRAGMA wal_autocheckpoint=0")

    def event(self, oid: int, kind: str, payload: dict[str, str]) -> None:
        self.db.execute("INSERT INTO event(uuid,order_id,station,operator,kind,payload,at) "
                        "VALUES (?,?,?,?,?,?,?)",
                        (uuid.uuid4().hex, oid, "V1", "OP2001", kind, json.dumps(payload),
                         datetime.now(UTC).isoformat()))

    def order(self, oid: int, scans: list[Scan], times: list[float]) -> None:
        db = self.db
        for scan in scans:
            t = time.perf_counter()
            db.execute("BEGIN IMMEDIATE")
            db.execute("SELECT state FROM orders WHERE id=?", (oid,)).fetchone()
            code = scan.code if scan.symbology == "]E0" else ean13_of(scan.code)
            found = db.execute("SELECT sku, units FROM barcode WHERE code=?", (code,)).fetchone()
            line = db.execute("SELECT id FROM order_line WHERE order_id=? AND sku=?",
                              (oid, found[0])).fetchone()
            db.execute("UPDATE order_line SET scanned=scanned+1 WHERE id=? AND scanned+1<=qty",
                       (line[0],))
            self.event(oid, "item_scanned", {"sku": found[0]})
            left = db.execute("SELECT sum(qty - scanned) FROM order_line WHERE order_id=?",
                              (oid,)).fetchone()[0]
            if left == 0:  # the order is complete: its state, its event, its basket freed
                db.execute("UPDATE orders SET state='verified', verifier=?, updated_at=? "
                           "WHERE id=? AND state='picked'",
                           ("OP2001", datetime.now(UTC).isoformat(), oid))
                self.event(oid, "verified", {"from": "picked", "to": "verified"})
                db.execute("UPDATE basket SET order_id=NULL WHERE order_id=?", (oid,))
            db.execute("COMMIT")
            times.append(time.perf_counter() - t)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--scans", type=int, default=2000, help="about this many item scans each")
    parser.add_argument("--store", type=Path, default=Path("/tmp/pickpack-bench/big.db"))
    parser.add_argument("--auto-checkpoint", action="store_true",
                        help="core on SQLite's own WAL checkpoints instead of the station's thread")
    parser.add_argument("--gs1", type=float, default=0.3,
                        help="share of item scans in a GS1 form (default 0.3; 0 for EAN-13 only)")
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()
    args.store.parent.mkdir(parents=True, exist_ok=True)
    build_store(args.store, args.orders)
    n = max(1, args.scans // 5)
    fresh = fresh_orders(args.store, 2 * n)
    core_runner, raw_runner = Core(args.store, args.auto_checkpoint), Raw(args.store, args.auto_checkpoint)
    rng = random.Random(args.seed)
    plans = {oid: plan_of(raw_runner.db, oid, rng, args.gs1) for oid in fresh}
    core: list[float] = []
    core_gs1: list[float] = []
    raw: list[float] = []
    # interleaved, order by order, so both see the same machine (cache, load, WAL size)
    for a, b in zip(fresh[:n], fresh[n:], strict=True):
        raw_runner.order(a, plans[a], raw)
        core_runner.order(b, plans[b], core, core_gs1)
    rp50, rp99 = statistics.median(raw), pct(raw, 0.99)
    cp50, cp99 = statistics.median(core), pct(core, 0.99)
    how = "SQLite auto" if args.auto_checkpoint else "station thread"
    print(f"store: {args.orders:,} orders ({args.store}); {len(core)} core scans, {len(raw)} raw;"
          f" core WAL checkpoints: {how}")
    print(f"raw sqlite3   p50 {rp50 * 1000:7.2f} ms   p99 {rp99 * 1000:7.2f} ms")
    print(f"core (flow)   p50 {cp50 * 1000:7.2f} ms   p99 {cp99 * 1000:7.2f} ms")
    if core_gs1:
        print(f"  of which GS1 ({len(core_gs1)} scans, {args.gs1:.0%} asked)   p50 "
              f"{statistics.median(core_gs1) * 1000:7.2f} ms   p99 {pct(core_gs1, 0.99) * 1000:7.2f} ms")
    print(f"p50 ratio {cp50 / rp50:5.2f}× (limit 3.00×)   {'OK' if cp50 <= 3 * rp50 else 'OVER'}")
    print(f"p99 ratio {cp99 / rp99:5.2f}× (limit 2.00×)   {'OK' if cp99 <= 2 * rp99 else 'OVER'}")


if __name__ == "__main__":
    main()
