"""Each shift report (productivity, shipped, weights, overrides, couriers, and the older
floor, late, cutoff and errors) for one day on a big store: ``benchmarks/bigstore.py``'s N picked orders (10 history events each), plus one busy day's
trail written on top: ``--day-orders`` orders picked, verified (3 item scans), packed, weighed
(2 % out of tolerance, held and accepted by a supervisor), manifested and handed over by 32
operators who log in and out (some idle), with lost-parcel cases and out-of-area changes.

    .venv/bin/python benchmarks/bench_reports.py [--orders N] [--day-orders K] [--path P]

The store is built once and reused (``P.built`` / ``P.day`` markers). Prints each report's
time beside the limit (issue 19: < 2 s a day); exit 1 when one is over.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
import time
import uuid
from collections.abc import Callable, Sized
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import Connection

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import bigstore  # noqa: E402

from pickpack.cli.reports_more import REPORTS  # noqa: E402
from pickpack.core.report import day_span  # noqa: E402
from pickpack.core.reports import (  # noqa: E402
    errors_by_person,
    floor_counts,
    late_orders,
    missed_cutoff,
)
from pickpack.store import open_store  # noqa: E402

LIMIT_S = 2.0
DAY = date(2026, 11, 3)
DAY_START = datetime(2026, 11, 3, 0, 0, tzinfo=UTC)  # 08:00 in China
ROLES = (("P", "picked"), ("V", "verified"), ("K", "packed"), ("S", "shipped"))


def _at(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")  # as the store keeps it


def _ev(oid: int | None, station: str, op: str, kind: str, payload: dict[str, object],
        at: datetime) -> tuple[object, ...]:
    return (uuid.uuid4().hex, oid, station, op, kind, json.dumps(payload, ensure_ascii=False),
            _at(at))


def add_day(path: Path, day_orders: int) -> None:
    """One day's trail on orders 1..K (once per store and K)."""
    marker = path.with_suffix(".day")
    if marker.exists() and marker.read_text() == str(day_orders):
        return
    db = sqlite3.connect(path)
    span = timedelta(hours=12)
    rows: list[tuple[object, ...]] = []
    for r, (prefix, _kind) in enumerate(ROLES):
        for w in range(8):
            op, st = f"OP{r + 1}{w:03d}", f"{prefix}{w}"
            mode = ("pick", "verify", "pack", "ship")[r]
            rows.append(_ev(None, st, op, "login", {"name": op, "mode": mode}, DAY_START))
            if w == 0:  # one of each idle for a while, logged out and back
                rows.append(_ev(None, st, op, "logout", {"reason": "idle"},
                                DAY_START + timedelta(hours=4)))
                rows.append(_ev(None, st, op, "login", {"name": op, "mode": mode},
                                DAY_START + timedelta(hours=4, minutes=30)))
            rows.append(_ev(None, st, op, "logout", {}, DAY_START + span + timedelta(minutes=5)))
    for oid in range(1, day_orders + 1):
        w = oid % 8
        t = DAY_START + span * (oid / day_orders)
        p, v, k, s = (f"OP{r}{w:03d}" for r in (1, 2, 3, 4))
        expected = 40.0 + 3 * (100 + oid % 500)
        rows += [_ev(oid, f"P{w}", p, "picked", {"from": "picking", "to": "picked"}, t),
                 _ev(oid, f"V{w}", v, "verify_opened", {"raw": f"B{oid:06d}"}, t)]
        rows += [_ev(oid, f"V{w}", v, "item_scanned", {"sku": f"S{(oid * 7 + j * 13) % 2000:05d}",
                                                       "units": 1 + j % 2}, t) for j in range(3)]
        rows += [_ev(oid, f"V{w}", v, "verified", {"from": "picked", "to": "verified"}, t),
                 _ev(oid, f"K{w}", k, "packed", {"from": "verified", "to": "packed"}, t)]
        weight = {"weight_g": expected + (oid % 41) - 20, "expected_g": expected,
                  "tolerance_g": 30.0}
        if oid % 50 == 0:
            weight["weight_g"] = expected + 80
            rows += [_ev(oid, f"K{w}", k, "weight_exception", {"from": "packed", "to": "held",
                                                                 **weight}, t),
                     _ev(oid, f"K{w}", k, "override", {
                         "from": "held", "to": "weighed", "override": "accept_weight",
                         "supervisor": "OP9001", "reason": "R1", "reason_text": "称重误差"},
                         t + timedelta(minutes=3))]
        else:
            rows.append(_ev(oid, f"K{w}", k, "weighed", {"from": "packed", "to": "weighed",
                                                          **weight}, t))
        rows += [_ev(oid, f"S{w}", s, "manifested", {"manifest": 1 + w}, t),
                 _ev(oid, f"S{w}", s, "shipped", {"from": "weighed", "to": "shipped",
                                                  "manifest": 1 + w}, t)]
        if oid % 200 == 0:
            rows.append(_ev(oid, "D1", "OP9001", "case_opened", {"case": oid, "kind": "lost"}, t))
        if oid % 500 == 0:
            rows.append(_ev(oid, "D1", "OP9001", "address_changed", {"code": "AREA"}, t))
    with db:
        db.executemany("INSERT INTO event(uuid,order_id,station,operator,kind,payload,at)"
                       " VALUES (?,?,?,?,?,?,?)", rows)
        db.execute("UPDATE orders SET state='shipped' WHERE id <= ?", (day_orders,))
    db.close()
    marker.write_text(str(day_orders))
    print(f"  day's trail: {len(rows):,} events on {day_orders:,} orders", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--day-orders", type=int, default=20_000)
    parser.add_argument("--path", type=Path, default=Path("/tmp/pickpack-bench/reports.db"))
    args = parser.parse_args()
    args.path.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    built = args.path.with_suffix(".built")
    if not (built.exists() and built.read_text() == str(args.orders)):
        args.path.with_suffix(".day").unlink(missing_ok=True)
    bigstore.build_store(args.path, args.orders)
    add_day(args.path, min(args.day_orders, args.orders))
    print(f"store ready in {time.perf_counter() - started:.0f} s: {args.orders:,} orders; load "
          f"average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs", flush=True)
    cfg = bigstore.store_config(args.path)
    engine = open_store(cfg)
    span = day_span(cfg, DAY)
    over = 0
    at = span.end - timedelta(seconds=1)  # the day's last second, as `shipped` takes it
    older: dict[str, Callable[[Connection], Sized]] = {  # `pickpack report floor|late|…`
        "floor": floor_counts, "late": lambda c: late_orders(c, cfg, at),
        "cutoff": lambda c: missed_cutoff(c, cfg, at),
        "errors": lambda c: errors_by_person(c, span.start)}
    with engine.connect() as conn:
        for name, report in REPORTS.items():
            t0, c0 = time.perf_counter(), time.process_time()
            tables = report(conn, cfg, span)
            took, cpu = time.perf_counter() - t0, time.process_time() - c0
            over += took >= LIMIT_S
            sizes = ", ".join(f"{t.name} {len(t.rows):,}" for t in tables)
            print(f"report {name:<12} {DAY.isoformat()}: {took:6.2f} s (limit {LIMIT_S:.0f} s),"
                  f" {cpu:5.2f} s CPU  [{sizes}]", flush=True)
        for name, older_report in older.items():
            t0, c0 = time.perf_counter(), time.process_time()
            rows = older_report(conn)
            took, cpu = time.perf_counter() - t0, time.process_time() - c0
            over += took >= LIMIT_S
            print(f"report {name:<12} {DAY.isoformat()}: {took:6.2f} s (limit {LIMIT_S:.0f} s),"
                  f" {cpu:5.2f} s CPU  [{len(rows):,} rows]", flush=True)
    engine.dispose()
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
