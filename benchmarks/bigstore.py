"""Build a large SQLite store for benchmarks: N orders, 3 lines each, ~10 events each.

Usage: python benchmarks/bigstore.py PATH [--orders N]. The schema comes from the real
migrations (``open_store``); the rows are written with raw sqlite3 for speed. Orders are
released and picked (state ``picked``, a basket each) so verify stations can work on them.
A store already built with the same N is reused.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pickpack.config import parse_config
from pickpack.store import open_store

SKUS = 2000
LINES_PER_ORDER = 3
EVENTS_PER_ORDER = 10
T0 = datetime(2026, 11, 1, tzinfo=UTC)
STORED = "%Y-%m-%d %H:%M:%S.%f"
"""A UTC time as the store writes it on SQLite (text that sorts as the time does; an offset
such as ``+00:00`` would sort before the fractions at the same second)."""


def ean13(n: int) -> str:
    body = f"69{n:010d}"
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def store_config(path: Path):  # noqa: ANN201
    return parse_config({"store": {"url": f"sqlite:///{path}"}}, "bench")


def build_store(path: Path, orders: int) -> None:
    """Fill (or reuse) a store of ``orders`` picked orders."""
    marker = path.with_suffix(".built")
    if path.exists() and marker.exists() and marker.read_text() == str(orders):
        return
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), marker):
        p.unlink(missing_ok=True)
    open_store(store_config(path), create=True).dispose()  # a new store, as db upgrade makes it
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=OFF")  # building only; the benchmark uses FULL
    started = time.perf_counter()
    with db:
        db.executemany("INSERT INTO sku(sku,name,attributes,weight_g,bin,price,on_hand) "
                       "VALUES (?,?,?,?,?,?,?)",
                       [(f"S{i:05d}", f"商品{i}", "", 100 + i % 500, f"A-{i % 90:02d}-{i % 30:02d}",
                         10.0, 10**9) for i in range(SKUS)])
        db.executemany("INSERT INTO barcode(code,sku,units) VALUES (?,?,1)",
                       [(ean13(i), f"S{i:05d}") for i in range(SKUS)])
        db.execute("INSERT INTO courier(code,name) VALUES ('ZTO','中通快递')")
        db.execute("INSERT INTO operator(code,name,role,roles,active) "
                   "VALUES ('OP2001','王校验','verifier','verifier',1)")
    batch = 20000
    for start in range(0, orders, batch):
        o_rows, l_rows, e_rows, b_rows = [], [], [], []
        for oid in range(start + 1, min(orders, start + batch) + 1):
            paid = (T0 + timedelta(seconds=oid)).strftime(STORED)
            o_rows.append((oid, f"{3900000000000000000 + oid}", "taobao", "", "tb", "张三",
                           "13812341234", "浙江省", "杭州市", "滨江区", "长江路1号", "310000", "", "",
                           paid, paid, "买家已付款，等待卖家发货", 0.0, "ZTO", f"7{oid:013d}",
                           "picked", "", f"B{oid:06d}", "OP1001", 0))
            b_rows.append((f"B{oid:06d}", oid, "OP1001", paid))
            for k in range(LINES_PER_ORDER):
                s = (oid * 7 + k * 13) % SKUS
                l_rows.append((oid, f"S{s:05d}", f"商品{s}", "", 1 + k % 2, 10.0, 0))
            for k in range(EVENTS_PER_ORDER):
                e_rows.append((uuid.uuid4().hex, oid, "P1", "OP1001", "history",
                               json.dumps({"n": k}), paid))
        with db:
            db.executemany(
                "INSERT INTO orders(id,order_no,platform,shop,buyer,receiver_name,receiver_phone,"
                "province,city,district,street,postcode,buyer_remark,seller_memo,created_at,paid_at,"
                "platform_status,total,courier,tracking_no,state,hold_reason,basket,picker,remark_ack)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", o_rows)
            db.executemany("INSERT INTO basket(code,order_id,picker,bound_at) VALUES (?,?,?,?)",
                           b_rows)
            db.executemany("INSERT INTO order_line(order_id,sku,name,variant,qty,price,scanned)"
                           " VALUES (?,?,?,?,?,?,?)", l_rows)
            db.executemany("INSERT INTO event(uuid,order_id,station,operator,kind,payload,at)"
                           " VALUES (?,?,?,?,?,?,?)", e_rows)
        done = min(orders, start + batch)
        if done % 200000 == 0 or done == orders:
            print(f"  built {done:,} orders in {time.perf_counter() - started:.0f} s", flush=True)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    marker.write_text(str(orders))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path", type=Path)
    parser.add_argument("--orders", type=int, default=1_000_000)
    args = parser.parse_args()
    build_store(args.path, args.orders)


if __name__ == "__main__":
    main()
