"""The floor board's refresh after a change, on a 1,000,000-order SQLite or PostgreSQL store.

    .venv/bin/python benchmarks/bench_board.py [--orders N] [--changes K] [--pg URL]

The store is made by the real migrations in a temporary file and filled with raw sqlite3: N
orders over three couriers, of which 1 % are still on the floor today (paid before today's
cut-off, spread over the states) and the rest shipped on earlier days (each with its
``imported`` and ``shipped`` events), a few held; ten stations logged in this morning. The
board is served on 127.0.0.1 as ``pickpack board`` serves it and a client follows its live
channel (Server-Sent Events). Timed, K times: from the commit of a change (an order moved to
``shipped`` with its ``shipped`` event, as the ship station's close does) to the new board
arriving on the channel. Printed as figure beside limit; exit 1 when the limit is missed.

With ``--pg URL`` the same store is made in schema ``pp_bench_board`` of that server by the real
migrations and filled there by ``generate_series`` (the board is live by NOTIFY there); the
schema is dropped after (kept with ``--keep``).
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


PG_SCHEMA = "pp_bench_board"


def fill_pg(url: str, n: int, today: datetime) -> tuple[str, list[int]]:
    """The same rows in schema ``pp_bench_board`` of ``url`` (made by the real migrations),
    written by the server itself; returns the schema's URL and the ids still on the floor."""
    import psycopg
    from sqlalchemy.engine import make_url

    from db.engine import make_engine
    from db.migrate import upgrade

    libpq = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(libpq, autocommit=True) as admin:
        admin.execute(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE")
        admin.execute(f"CREATE SCHEMA {PG_SCHEMA}")
    schema_url = make_url(url).update_query_dict({"options": f"-csearch_path={PG_SCHEMA}"}) \
        .render_as_string(hide_password=False)
    engine = make_engine(schema_url)
    upgrade(engine)
    engine.dispose()
    on_floor = max(1, n // 100)
    fresh = f"(oid > {n - on_floor})"
    paid = (f"CASE WHEN {fresh} THEN %(today)s - interval '2 hours' ELSE %(today)s - "
            "make_interval(days => 2 + oid % 300, secs => oid) END")
    states = ", ".join(f"'{s}'" for s in FLOOR_STATES)
    couriers = ", ".join(f"'{c}'" for c in COURIERS)
    with psycopg.connect(libpq, options=f"-csearch_path={PG_SCHEMA}") as pg:
        pg.execute("SET session_replication_role = replica")  # no NOTIFY per row while filling
        pg.execute("INSERT INTO courier(code, name) SELECT c, c FROM unnest(%s::text[]) c",
                   (list(COURIERS),))
        pg.execute("INSERT INTO operator(code, name, role, roles, active) SELECT 'OP' || "
                   "(1000 + i), '员工' || i, 'packer', 'packer', true FROM generate_series(0, 9) i")
        pg.execute(
            "INSERT INTO orders(id, order_no, platform, shop, buyer, receiver_name, "
            "receiver_phone, province, city, district, street, postcode, buyer_remark, "
            "seller_memo, created_at, paid_at, platform_status, total, courier, tracking_no, "
            "state, hold_reason, remark_ack) "
            f"SELECT oid, (3900000000000000000 + oid)::text, 'taobao', '', 'tb', '张三', "
            f"'13812341234', '浙江省', '杭州市', '滨江区', '长江路1号', '310000', '', '', {paid}, "
            f"{paid}, '', 0, (ARRAY[{couriers}])[oid % 3 + 1], (ARRAY[{couriers}])[oid % 3 + 1] "
            f"|| lpad(oid::text, 12, '0'), CASE WHEN NOT {fresh} THEN 'shipped' WHEN oid % 97 "
            f"= 0 THEN 'held' ELSE (ARRAY[{states}])[oid % 6 + 1] END, CASE WHEN {fresh} AND "
            f"oid % 97 = 0 THEN '地址待确认' ELSE '' END, false "
            "FROM generate_series(1, %(n)s) oid".replace(" % ", " %% "),  # modulo, not a parameter
            {"today": today, "n": n})
        pg.execute("INSERT INTO event(uuid, order_id, station, operator, kind, payload, at) "
                   "SELECT gen_random_uuid()::text, id, '', '', 'imported', '{}', paid_at "
                   "FROM orders")
        pg.execute("INSERT INTO event(uuid, order_id, station, operator, kind, payload, at) "
                   "SELECT gen_random_uuid()::text, id, 'S1', 'OP1000', 'shipped', '{}', "
                   "paid_at + interval '20 hours' FROM orders WHERE state = 'shipped'")
        pg.execute("INSERT INTO event(uuid, order_id, station, operator, kind, payload, at) "
                   "SELECT gen_random_uuid()::text, NULL, 'K' || i, 'OP' || (1000 + i), 'login', "
                   "%(mode)s, %(at)s FROM generate_series(0, 9) i",
                   {"mode": json.dumps({"mode": "pack"}), "at": today - timedelta(hours=1)})
        for table in ("orders", "event"):
            pg.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                       f"(SELECT max(id) FROM {table}))")
        pg.execute("SET session_replication_role = origin")
        floor_ids = [r[0] for r in pg.execute(
            f"SELECT id FROM orders WHERE id > {n - on_floor} ORDER BY id")]
        pg.commit()
    with psycopg.connect(libpq, autocommit=True, options=f"-csearch_path={PG_SCHEMA}") as pg:
        pg.execute("VACUUM ANALYZE")
    return schema_url, floor_ids


def drop_pg(url: str) -> None:
    import psycopg
    from sqlalchemy.engine import make_url

    libpq = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(libpq, autocommit=True) as admin:
        admin.execute(f"DROP SCHEMA {PG_SCHEMA} CASCADE")


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
    parser.add_argument("--pg", metavar="URL", help="fill and serve a PostgreSQL store (schema "
                        f"{PG_SCHEMA}, dropped after unless --keep) instead of a SQLite file")
    parser.add_argument("--keep", action="store_true", help="with --pg: keep the schema")
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
        started = time.perf_counter()
        if args.pg:
            url, floor_ids = fill_pg(args.pg, args.orders, now().replace(microsecond=0))
            cfg = parse_config({"store": {"url": url}}, "bench")
        else:
            cfg = parse_config({"store": {"url": f"sqlite:///{path}"}}, "bench")
            open_store(cfg, create=True).dispose()
            floor_ids = fill(path, args.orders, now().replace(microsecond=0))
        print(f"store ({'PostgreSQL' if args.pg else 'SQLite'}): {args.orders:,} orders "
              f"({len(floor_ids):,} on the floor today) built in "
              f"{time.perf_counter() - started:.0f} s")
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
        if args.pg and not args.keep:
            drop_pg(args.pg)
    worst, median = max(figures), statistics.median(figures)
    ok = worst < REFRESH_LIMIT_S
    print(f"board refresh after a change: median {median:.3f} s, worst {worst:.3f} s "
          f"(limit {REFRESH_LIMIT_S:.1f} s) {'ok' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
