"""Each shift report (productivity, shipped, weights, overrides, couriers, and the older
floor, late, cutoff and errors) for one day on a big store: ``benchmarks/bigstore.py``'s N
picked orders (10 history events each), plus one busy day's trail written on top:
``--day-orders`` orders picked, verified (3 item scans), packed, weighed (2 % out of
tolerance, held and accepted by a supervisor), manifested and handed over by 32 operators who
log in and out (some idle), with lost-parcel cases and out-of-area changes.

    .venv/bin/python benchmarks/bench_reports.py [--orders N] [--day-orders K] [--path P]
                                                 [--pg URL [--keep]]

The store is built once and reused (``P.built`` / ``P.day`` markers). With ``--pg`` it is
copied into a PostgreSQL schema made by the real migrations and timed there. Prints each
report's time beside the limit (issue 19: < 2 s a day); exit 1 when one is over.
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


PG_SCHEMA = "pp_bench_reports"
PG_TABLES = ("sku", "barcode", "courier", "operator", "orders", "basket", "order_line", "event")


def copy_to_pg(path: Path, url: str) -> str:
    """The SQLite store copied into schema ``pp_bench_reports`` of ``url``, made by the real
    migrations; the rows by COPY, each table's secondary indexes dropped during the copy and
    made again after it (as a restore would). Returns the schema's URL."""
    import psycopg
    from sqlalchemy.engine import make_url

    from db.engine import make_engine
    from db.migrate import upgrade

    libpq = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    admin = psycopg.connect(libpq, autocommit=True)
    admin.execute(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE")
    admin.execute(f"CREATE SCHEMA {PG_SCHEMA}")
    admin.close()
    engine = make_engine(schema_url(url))
    upgrade(engine)
    engine.dispose()
    started = time.perf_counter()
    src = sqlite3.connect(path)
    with psycopg.connect(libpq, options=f"-csearch_path={PG_SCHEMA}") as pg:
        pg.execute("SET TIME ZONE 'UTC'")
        pg.execute("SET session_replication_role = replica")  # no FK or NOTIFY triggers
        for table in PG_TABLES:
            indexes = pg.execute(
                "SELECT indexname, indexdef FROM pg_indexes i WHERE schemaname = %s AND "
                "tablename = %s AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE "
                "c.conname = i.indexname)", (PG_SCHEMA, table)).fetchall()
            for name, _sql in indexes:
                pg.execute(f'DROP INDEX "{name}"')
            cols = [r[1] for r in src.execute(f"PRAGMA table_info({table})")]
            names = ", ".join(f'"{c}"' for c in cols)
            with pg.cursor().copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in src.execute(f"SELECT {names} FROM {table}"):
                    copy.write_row(row)
            for _name, sql in indexes:
                pg.execute(sql)
            if "id" in cols and table not in ("sku", "courier"):
                pg.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                           f"(SELECT max(id) FROM {table}))")
            pg.commit()
        pg.execute("SET session_replication_role = origin")
    src.close()
    with psycopg.connect(libpq, autocommit=True, options=f"-csearch_path={PG_SCHEMA}") as pg:
        pg.execute("VACUUM ANALYZE")
    print(f"copied to PostgreSQL schema {PG_SCHEMA} in {time.perf_counter() - started:.0f} s",
          flush=True)
    return schema_url(url)


def schema_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).update_query_dict({"options": f"-csearch_path={PG_SCHEMA}"}) \
        .render_as_string(hide_password=False)


def drop_pg(url: str) -> None:
    import psycopg
    from sqlalchemy.engine import make_url

    libpq = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(libpq, autocommit=True) as admin:
        admin.execute(f"DROP SCHEMA {PG_SCHEMA} CASCADE")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--day-orders", type=int, default=20_000)
    parser.add_argument("--path", type=Path, default=Path("/tmp/pickpack-bench/reports.db"))
    parser.add_argument("--pg", metavar="URL", help="copy the store into PostgreSQL (schema "
                        f"{PG_SCHEMA}, dropped after unless --keep) and time the reports there")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL schema")
    parser.add_argument("--copied", action="store_true",
                        help="with --pg: the schema kept by an earlier --keep run, not copied again")
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
    if args.pg:
        from db.engine import make_engine

        engine = make_engine(schema_url(args.pg) if args.copied else copy_to_pg(args.path, args.pg))
    else:
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
    if args.pg and not args.keep:
        drop_pg(args.pg)
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"store {engine.dialect.name}; load average after: {load}", flush=True)
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
