"""Twenty station processes binding the same new basket codes at once (SQLite and PostgreSQL):
every attempt ends bound or refused as "basket in use", never a raw database error."""

from __future__ import annotations

import multiprocessing
import traceback
from collections import Counter
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, insert, select

from db.engine import make_engine, write_tx
from pickpack.core.context import Floor
from pickpack.core.events import Actor
from pickpack.core.pick import bind_basket
from pickpack.core.refusal import Refusal
from pickpack.core.tables import BASKETS, EVENTS, LINES, ORDERS
from tests.conftest import make_config
from tests.core.floorkit import PAID, seed

PROCESSES = 20
BASKETS_RACED = 5


def ready_orders(engine: Engine, n: int) -> list[str]:
    """``n`` orders at pick, inserted ready (the seed's stock covers only 18); their order nos."""
    seed(engine, orders=0)
    numbers = []
    with write_tx(engine) as conn:
        for i in range(n):
            order_no = f"3920{i:06d}"
            oid = conn.execute(insert(ORDERS).values(
                order_no=order_no, buyer="tb", receiver_name="张三", receiver_phone="13812341234",
                province="浙江省", city="杭州市", district="滨江区", street="长江路1号",
                postcode="310000", paid_at=PAID, state="ready",
                platform_status="买家已付款，等待卖家发货")).inserted_primary_key[0]
            conn.execute(insert(LINES).values(order_id=oid, sku="TEE-BK-XL", name="T恤", qty=1))
            numbers.append(order_no)
    return numbers


def _bind_all(url: str, tmp: str, station: int, orders: list[str], gate: Any, out: Any) -> None:
    floor = Floor(make_engine(url, pool_size=2), make_config(Path(tmp), store={"url": url}))
    results = []
    for j, order_no in enumerate(orders):
        gate.wait()  # every process binds basket j at the same instant
        try:
            bind_basket(floor, Actor(f"P{station}", "OP1001"), f"B{j:03d}", order_no)
            results.append("ok")
        except Refusal as refusal:
            results.append(refusal.code)
        except Exception:  # noqa: BLE001 - the test reports it as the failure it is
            results.append("error: " + traceback.format_exc(limit=2).splitlines()[-1])
    floor.engine.dispose()
    out.put(results)


def race(engine: Engine, url: str, tmp_path: Path) -> Counter[str]:
    """Each of PROCESSES processes binds baskets B000..B004 (new codes) to orders of its own."""
    numbers = ready_orders(engine, PROCESSES * BASKETS_RACED)
    engine.dispose()  # the children (forked) must not share the parent's connections
    ctx = multiprocessing.get_context("fork")
    gate, out = ctx.Barrier(PROCESSES, timeout=60), ctx.Queue()
    procs = [ctx.Process(target=_bind_all, args=(
        url, str(tmp_path), i, numbers[i * BASKETS_RACED:(i + 1) * BASKETS_RACED], gate, out))
        for i in range(PROCESSES)]
    for p in procs:
        p.start()
    results = [out.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(30)
        assert p.exitcode == 0
    outcome = Counter(code for r in results for code in r)
    assert outcome == {"ok": BASKETS_RACED, "basket_in_use": BASKETS_RACED * (PROCESSES - 1)}, outcome
    with engine.connect() as conn:
        bound = dict(conn.execute(select(BASKETS.c.code, BASKETS.c.order_id)).all())
        started = conn.execute(select(EVENTS.c.payload).where(EVENTS.c.kind == "pick_started")
                               ).scalars().all()
    assert sorted(bound) == [f"B{j:03d}" for j in range(BASKETS_RACED)]
    assert len(started) == BASKETS_RACED and None not in bound.values()
    return outcome
