"""Import throughput and memory: the sample Taobao export scaled to 100,000 orders.

    .venv/bin/python benchmarks/bench_import.py [--orders N] [--keep DIR]

Builds GB18030/CRLF exports of the same shape as ../shared/data/taobao (order numbers rewritten
so every copy is a new order), imports them into a fresh SQLite file through ``import_orders``
in a child process, and prints orders/s against the 10,000/s limit and the child's peak RSS
against 300 MB. Exit 1 when a limit is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("PICKPACK_SHARED_DATA", ROOT.parent / "shared" / "data")) / "taobao"
LIMIT_OPS = 10_000.0
LIMIT_MB = 300.0


def _lines(path: Path) -> tuple[str, list[str]]:
    text = path.read_bytes().decode("gb18030")
    header, *rows = text.splitlines(keepends=True)
    return header, [r for r in rows if r.strip()]


def build(out: Path, n_orders: int) -> tuple[Path, Path]:
    """Write ExportOrderList/ExportOrderDetailList with ``n_orders`` orders into ``out``."""
    oh, orders = _lines(DATA / "ExportOrderList.csv")
    dh, details = _lines(DATA / "ExportOrderDetailList.csv")
    number = [r.split('"=""', 1)[1].split('"""', 1)[0] for r in orders]
    by_order: dict[str, list[str]] = {}
    for d in details:
        by_order.setdefault(d.split('"=""', 1)[1].split('"""', 1)[0], []).append(d)
    o_path, d_path = out / "ExportOrderList.csv", out / "ExportOrderDetailList.csv"
    with open(o_path, "w", encoding="gb18030", newline="") as fo, \
            open(d_path, "w", encoding="gb18030", newline="") as fd:
        fo.write(oh)
        fd.write(dh)
        done, copy = 0, 0
        while done < n_orders:
            for i, row in enumerate(orders):
                if done == n_orders:
                    break
                old = number[i]
                new = f"{copy:05d}{i:04d}{old[9:]}"
                fo.write(row.replace(old, new, 1))
                fd.writelines(d.replace(old, new, 1) for d in by_order.get(old, []))
                done += 1
            copy += 1
    return o_path, d_path


def child(db: Path, files: list[Path]) -> None:
    sys.path.insert(0, str(ROOT))
    from db.engine import make_engine
    from db.models import metadata
    from pickpack.intake import import_orders

    engine = make_engine(f"sqlite:///{db}")
    metadata.create_all(engine)
    t0, c0 = time.perf_counter(), time.process_time()
    res = import_orders(engine, files, skip_bad=False)
    dt, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(json.dumps({"orders": res.inserted, "lines": res.lines, "seconds": dt, "cpu": cpu}))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--orders", type=int, default=100_000)
    ap.add_argument("--keep", type=Path, help="build the files here and keep them")
    ap.add_argument("--child", nargs="+", type=Path, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        child(a.child[0], a.child[1:])
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        out = a.keep or Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        o_path, d_path = build(out, a.orders)
        mb = (o_path.stat().st_size + d_path.stat().st_size) / 1e6
        db = Path(tmp) / "bench.db"
        proc = subprocess.run([sys.executable, __file__, "--child", str(db), str(d_path),
                               str(o_path)], capture_output=True, text=True, check=False)
        if proc.returncode:
            print(proc.stderr, file=sys.stderr)
            return 1
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    ops = r["orders"] / r["seconds"]
    print(f"import orders: {r['orders']} orders, {r['lines']} lines, {mb:.1f} MB of CSV "
          f"in {r['seconds']:.2f} s wall, {r['cpu']:.2f} s CPU "
          f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    print(f"throughput: {ops:,.0f} orders/s = {ops / LIMIT_OPS:.2f} x the 10,000/s limit")
    print(f"peak memory (child RSS): {peak_mb:.0f} MB = {peak_mb / LIMIT_MB:.2f} x the 300 MB limit")
    return 0 if ops >= LIMIT_OPS and peak_mb < LIMIT_MB else 1


if __name__ == "__main__":
    sys.exit(main())
