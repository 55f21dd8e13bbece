"""Waves: building them for 100,000 ready orders (with their events) on SQLite and on
PostgreSQL, and rendering one 100-order wave's slip pairs and pick list.

    .venv/bin/python benchmarks/bench_waves.py [--orders N] [--url PG_URL] [--no-pg]

The store is made by the real migrations (a temporary SQLite file; a scratch schema on the
PostgreSQL at --url, default $PICKPACK_TEST_PG_URL), filled with N ready orders of 1 to 4 lines
over three couriers and 2,000 SKUs, four events each and an acknowledged urgency on 1 % of
them. Timed: ``build_waves`` (one transaction: candidates, priority, waves, slots, events),
then for the first 100-order wave the pick list and the 100 express + packing slips, built
from the store as ``wave print`` builds them (the wave's orders read together:
``pickpack.printing.wave_slips``) and rendered to ESC/POS bytes. Printed as figure beside limit; exit 1 when a
limit is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BUILD_LIMIT_S = 2.0
RENDER_LIMIT_S = 0.5
DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
SKUS = 2000
COURIERS = ("ZTO", "SF", "YTO")
T0 = datetime(2026, 11, 20, tzinfo=UTC)


def rows(n: int) -> tuple[list[tuple], list[tuple], list[tuple], list[tuple]]:  # type: ignore[type-arg]
    """(skus, orders, lines, events) rows: orders are 40 % one unit of one SKU (a few SKUs
    each, so single-item waves form), 30 % two or three units, 30 % more."""
    skus = [(f"S{i:05d}", f"商品{i}", f"{'ABCD'[i % 4]}-{i % 40:02d}-{i % 7:02d}", 150.0)
            for i in range(SKUS)]
    orders, lines, events = [], [], []
    for oid in range(1, n + 1):
        paid = T0 + timedelta(seconds=oid)
        courier = COURIERS[oid % 3]
        orders.append((oid, f"{3900000000000000000 + oid}", "张三", "13812341234", "浙江省",
                       "杭州市", "长江路1号", paid, courier, f"{courier}{oid:012d}"))
        kind = oid % 10
        if kind < 4:
            lines.append((oid, f"S{oid % 50:05d}", 1))
        else:
            for k in range(1 if kind < 7 else 3):
                lines.append((oid, f"S{(oid * 7 + k * 13) % SKUS:05d}", 1 + (kind + k) % 3))
        for k, what in enumerate(("imported", "released", "audited", "waybill")):
            events.append((uuid.uuid4().hex, oid, what, json.dumps({"n": k}), paid))
        if oid % 100 == 0:
            events.append((uuid.uuid4().hex, oid, "remark_acked", json.dumps(
                {"actions": [{"kind": "urgent", "value": "加急", "negated": False}]}), paid))
    return skus, orders, lines, events


def fill(engine, data) -> None:  # noqa: ANN001
    """Write the rows with plain executemany (SQLAlchemy batches them on both stores)."""
    from sqlalchemy import insert

    from db.engine import write_tx
    from pickpack.core.tables import COURIERS as COURIER_T
    from pickpack.core.tables import EVENTS, LINES, ORDERS
    from pickpack.core.tables import SKUS as SKU_T

    skus, orders, lines, events = data
    with write_tx(engine) as conn:
        conn.execute(insert(COURIER_T), [{"code": c, "name": c} for c in COURIERS])
        conn.execute(insert(SKU_T), [{"sku": s, "name": nm, "bin": b, "weight_g": w,
                                      "attributes": "", "price": 10.0, "on_hand": 10**6}
                                     for s, nm, b, w in skus])
        conn.execute(insert(ORDERS), [
            {"id": o, "order_no": no, "platform": "taobao", "shop": "", "buyer": "tb",
             "receiver_name": nm, "receiver_phone": ph, "province": pv, "city": ct,
             "district": "", "street": st, "postcode": "", "buyer_remark": "",
             "seller_memo": "", "paid_at": paid, "platform_status": "", "total": 0.0,
             "courier": cr, "tracking_no": tn, "state": "ready", "hold_reason": "",
             "remark_ack": False}
            for o, no, nm, ph, pv, ct, st, paid, cr, tn in orders])
        conn.execute(insert(LINES), [{"order_id": o, "sku": s, "name": s, "variant": "",
                                      "qty": q, "price": 10.0, "scanned": 0}
                                     for o, s, q in lines])
        conn.execute(insert(EVENTS), [{"uuid": u, "order_id": o, "station": "D1",
                                       "operator": "bench", "kind": k, "payload": p, "at": at}
                                      for u, o, k, p, at in events])


def measure(name: str, engine, cfg, orders: int) -> bool:  # noqa: ANN001
    from sqlalchemy import select

    from pickpack.core.context import Floor
    from pickpack.core.events import Actor
    from pickpack.core.waves.build import build_waves
    from pickpack.core.waves.tables import WAVES
    from pickpack.printing.batch import pick_list
    from pickpack.printing.wave_slips import wave_slips
    from printers import PrinterSetup, make_job

    floor = Floor(engine, cfg)
    started, cpu = time.perf_counter(), time.process_time()
    built = build_waves(floor, Actor("D1", "bench"))
    took, cpu = time.perf_counter() - started, time.process_time() - cpu
    waved = sum(b.orders for b in built)
    ok = took < BUILD_LIMIT_S and waved == orders
    print(f"{name:<10} build  {took:6.3f} s  limit {BUILD_LIMIT_S:.1f} s  "
          f"({waved} orders into {len(built)} waves; this process's CPU {cpu:.3f} s)  "
          f"{'ok' if ok else 'MISSED'}")
    with engine.connect() as conn:
        wave = conn.execute(select(WAVES).where(WAVES.c.orders == 100).order_by(WAVES.c.id)
                            .limit(1)).one()
        setup = PrinterSetup()
        started, cpu = time.perf_counter(), time.process_time()
        layouts = [pick_list(conn, wave.id, wave.kind)]  # what `wave print` queues, in order
        layouts.extend(slip.layout for slip in wave_slips(conn, wave.id, cfg))
        built_s = time.perf_counter() - started
        size = sum(len(make_job(layout, setup).data) for layout in layouts)
        render, cpu = time.perf_counter() - started, time.process_time() - cpu
    fine = render < RENDER_LIMIT_S
    print(f"{name:<10} render {render:6.3f} s  limit {RENDER_LIMIT_S:.1f} s  "
          f"({len(layouts)} slips of wave {wave.kind}: layouts from the store {built_s:.3f} s, "
          f"{size // 1024} KiB of ESC/POS; CPU {cpu:.3f} s)  {'ok' if fine else 'MISSED'}")
    return ok and fine


def sqlite_run(orders: int, data) -> bool:  # noqa: ANN001
    from db.engine import make_engine
    from db.migrate import upgrade
    from pickpack.config import parse_config

    with tempfile.TemporaryDirectory() as tmp:
        cfg = parse_config({"store": {"url": f"sqlite:///{Path(tmp) / 'waves.db'}"}}, "bench")
        engine = make_engine(cfg.store.url)
        upgrade(engine)
        fill(engine, data)
        try:
            return measure("sqlite", engine, cfg, orders)
        finally:
            engine.dispose()


def pg_run(orders: int, data, url: str) -> bool:  # noqa: ANN001
    import psycopg
    from sqlalchemy.engine import make_url

    from db.engine import make_engine
    from db.migrate import upgrade
    from pickpack.config import parse_config

    schema = f"pp_bench_{uuid.uuid4().hex[:8]}"
    libpq = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(libpq, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
        try:
            scoped = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
            scoped_url = scoped.render_as_string(hide_password=False)
            engine = make_engine(scoped_url)
            upgrade(engine)
            fill(engine, data)
            with engine.begin() as conn:
                conn.exec_driver_sql("ANALYZE")
            cfg = parse_config({"store": {"url": scoped_url}}, "bench")
            try:
                return measure("postgresql", engine, cfg, orders)
            finally:
                engine.dispose()
        finally:
            admin.execute(f"DROP SCHEMA {schema} CASCADE")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--orders", type=int, default=100_000)
    ap.add_argument("--url", default=os.environ.get("PICKPACK_TEST_PG_URL", DEFAULT_URL))
    ap.add_argument("--no-pg", action="store_true", help="SQLite only")
    args = ap.parse_args()
    data = rows(args.orders)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs at the start")
    ok = sqlite_run(args.orders, data)
    if not args.no_pg:
        ok = pg_run(args.orders, data, args.url) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
