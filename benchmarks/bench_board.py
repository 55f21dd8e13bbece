"""The floor board's refresh after a change, on a 1,000,000-order SQLite store.

    .venv/bin/python benchmarks/bench_board.py [--orders N] [--changes K]

The store is made by the real migrations in a temporary file and filled with raw sqlite3: N
orders over three couriers, of which 1 % are still on the floor today (paid before today's
cut-off, spread over the states) and the rest shipped on earlier days (each with its
``imported`` and ``shipped`` events), a few held; ten stations logged in this morning. The
board is served on 127.0.0.1 as ``pickpack board`` serves it and a client follows its live
channel (Server-Sent Events). Timed, K times: from the commit of a change (an order moved to
``shipped`` with its ``shipped`` event, as the ship station's close does) to the new board
arriving on the channel. Printed as figure beside limit; exit 1 when the limit is missed.
"""

from __future__ import annotations

import argparse
import http.client
import json
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
REFRESH_LIMIT_S = 1.0
COURIERS = ("ZTO", "SF", "YTO")
FLOOR_STATES = ("ready", "picking", "picked", "verified", "packed", "weighed")
TOKEN = "bench-board-token"


def fill(path: Path, n: int, today: datetime) -> list[int]:
    """The rows; returns the ids of the orders still on the floor."""
    db = sqlite3.connect(path)
    db.execute("PRAGMA synchronous=OFF")
    on_floor = max(1, n // 100)
    floor_ids: list[int] = []
    with db:
        db.executemany("INSERT INTO courier(code,name) VALUES (?,?)", [(c, c) for c in COURIERS])
        db.executemany("INSERT INTO operator(code,name,role,roles,active) VALUES (?,?,?,?,1)",
                       [(f"OP{1000 + i}", f"员工{i}", "packer", "packer") for i in range(10)])
        for start in range(0, n, 50_000):
            orders, events = [], []
            for oid in range(start + 1, min(n, start + 50_000) + 1):
                fresh = oid > n - on_floor
                paid = today - timedelta(hours=2) if fresh else today - timedelta(
                    days=2 + oid % 300, seconds=oid)
                state = (("held" if oid % 97 == 0 else FLOOR_STATES[oid % 6]) if fresh
                         else "shipped")
                courier = COURIERS[oid % 3]
                orders.append((oid, f"{3900000000000000000 + oid}", "张三", "13812341234",
                               "浙江省", "杭州市", "长江路1号", paid, paid, courier,
                               f"{courier}{oid:012d}", state, "地址待确认" if state == "held"
                               else ""))
                events.append((uuid.uuid4().hex, oid, "", "", "imported", "{}", paid))
                if fresh:
                    floor_ids.append(oid)
                else:
                    events.append((uuid.uuid4().hex, oid, "S1", "OP1000", "shipped", "{}",
                                   paid + timedelta(hours=20)))
            db.executemany(
                "INSERT INTO orders(id,order_no,platform,shop,buyer,receiver_name,receiver_phone,"
                "province,city,district,street,postcode,buyer_remark,seller_memo,created_at,"
                "paid_at,platform_status,total,courier,tracking_no,state,hold_reason,remark_ack)"
                " VALUES (?,?,'taobao','','tb',?,?,?,?,'滨江区',?,'310000','','',?,?,'',0,?,?,?,?,0)",
                orders)
            db.executemany("INSERT INTO event(uuid,order_id,station,operator,kind,payload,at)"
                           " VALUES (?,?,?,?,?,?,?)", events)
        db.executemany("INSERT INTO event(uuid,order_id,station,operator,kind,payload,at)"
                       " VALUES (?,NULL,?,?,'login',?,?)",
                       [(uuid.uuid4().hex, f"K{i}", f"OP{1000 + i}", json.dumps({"mode": "pack"}),
                         today - timedelta(hours=1)) for i in range(10)])
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return floor_ids


def next_board(live: http.client.HTTPResponse) -> dict[str, object]:
    while True:
        line = live.fp.readline()
        if not line:
            raise SystemExit("bench_board: the live channel closed")
        if line.startswith(b"data: "):
            return dict(json.loads(line[6:]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--changes", type=int, default=10)
    args = parser.parse_args()

    import threading

    from sqlalchemy import update

    from db.engine import write_tx
    from pickpack.board.server import BoardServer
    from pickpack.config import parse_config
    from pickpack.core.events import Actor, append_event, now
    from pickpack.core.tables import ORDERS
    from pickpack.store import open_store

    with tempfile.TemporaryDirectory(prefix="bench-board-") as tmp:
        path = Path(tmp) / "board.db"
        cfg = parse_config({"store": {"url": f"sqlite:///{path}"}}, "bench")
        open_store(cfg, create=True).dispose()
        started = time.perf_counter()
        floor_ids = fill(path, args.orders, now().replace(microsecond=0))
        print(f"store: {args.orders:,} orders ({len(floor_ids):,} on the floor today) "
              f"built in {time.perf_counter() - started:.0f} s")
        engine = open_store(cfg)
        server = BoardServer(engine, cfg, TOKEN, "127.0.0.1", 0)
        first = time.perf_counter()
        server.start()
        print(f"first board: {time.perf_counter() - first:.3f} s")
        threading.Thread(target=server.serve_forever, daemon=True).start()
        conn = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=30)
        conn.request("GET", f"/live?token={TOKEN}")
        live = conn.getresponse()
        board = next_board(live)
        packer = Actor("S1", "OP1000", "packer")
        figures = []
        for oid in floor_ids[: args.changes]:
            with write_tx(engine) as tx:
                tx.execute(update(ORDERS).where(ORDERS.c.id == oid).values(state="shipped"))
                append_event(tx, packer, "shipped", oid, {"manifest": 1})
            committed = time.perf_counter()
            newer = next_board(live)
            figures.append(time.perf_counter() - committed)
            assert newer["shipped_today"] != board["shipped_today"], "the board did not change"
            board = newer
        conn.close()
        server.stop()
        engine.dispose()
    worst, median = max(figures), statistics.median(figures)
    ok = worst < REFRESH_LIMIT_S
    print(f"board refresh after a change: median {median:.3f} s, worst {worst:.3f} s "
          f"(limit {REFRESH_LIMIT_S:.1f} s) {'ok' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
