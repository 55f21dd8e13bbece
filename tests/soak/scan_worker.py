"""A verify station's scan loop for the kill -9 drill, run as its own process.

    python -m tests.soak.scan_worker STORE

Scans the next unfinished picked order's items through ``VerifyFlow.handle`` and prints one
line per scan the station confirmed (``ok ORDER_ID LINE_SKU``) only after ``handle`` returned:
what it printed is what an operator was told. The drill kills it with SIGKILL at random.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

from benchmarks.bigstore import ean13, store_config
from pickpack.core.context import Floor
from pickpack.core.flows.modes import VerifyFlow
from pickpack.scan import Scan
from pickpack.store import open_store


def next_order(path: Path) -> tuple[int, list[str]] | None:
    """An order still to verify and the item barcodes still to scan, one per unit."""
    db = sqlite3.connect(path)
    try:
        row = db.execute("SELECT id FROM orders WHERE state = 'picked' ORDER BY id LIMIT 1").fetchone()
        if row is None:
            return None
        oid = row[0]
        lines = db.execute("SELECT sku, qty - scanned FROM order_line WHERE order_id = ? ORDER BY id",
                           (oid,)).fetchall()
    finally:
        db.close()
    return oid, [ean13(int(sku[1:])) for sku, left in lines for _ in range(left)]


def main(path: Path) -> int:
    cfg = store_config(path)
    flow = VerifyFlow(Floor(open_store(cfg), cfg), "V1")
    if not flow.handle(Scan("OP2001")).ok:
        print("login refused", flush=True)
        return 1
    print("ready", flush=True)
    while (todo := next_order(path)) is not None:
        oid, codes = todo
        opened = flow.handle(Scan(f"7{oid:013d}"))
        if not opened.ok:
            print(f"refused {oid} {opened.message}", flush=True)
            return 1
        for code in codes:
            out = flow.handle(Scan(code))
            if not out.ok:
                print(f"refused {oid} {out.message}", flush=True)
                return 1
            print(f"ok {oid} S{int(code[2:12]):05d}", flush=True)
    print("done", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
