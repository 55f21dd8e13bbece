"""Many stations at once on one PostgreSQL: no lost counts, no work handed out twice, one winner
when two stations act on the same order — with threads and with spawned processes."""

from __future__ import annotations

import multiprocessing
import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from sqlalchemy import select

from pickpack.core.claim import claim_next
from pickpack.core.events import Actor
from pickpack.core.pick import bind_basket
from pickpack.core.refusal import Refusal
from pickpack.core.release import release
from pickpack.core.tables import EVENTS, ORDERS, WAYBILLS
from tests.core.floorkit import seed
from tests.pg import workers
from tests.pg.conftest import PgStore
from tests.pg.kit import TEE, kinds, picked_order, scanned, state


def _together(n: int, fn: Callable[[int], Any]) -> list[Any]:
    """Run fn(0..n-1) in n threads released at the same instant."""
    gate = threading.Barrier(n)

    def go(i: int) -> Any:
        gate.wait()
        return fn(i)

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(go, range(n)))


def test_threads_counting_one_order_lose_nothing(pg: PgStore, tmp_path: Path) -> None:
    seed(pg.engine, orders=0)
    oid = picked_order(pg.engine, "C1", qty=30)
    results = _together(12, lambda i: workers.count_scans(pg.url, str(tmp_path), f"V{i}", oid, 5, TEE))
    outcome = Counter(code for r in results for code in r)
    assert outcome["ok"] == 30, outcome
    assert set(outcome) <= {"ok", "too_many", "wrong_step"}, outcome
    assert scanned(pg.engine, oid) == 30
    assert kinds(pg.engine, oid).count("item_scanned") == 30
    assert kinds(pg.engine, oid).count("verified") == 1
    assert state(pg.engine, oid) == "verified"


def test_processes_counting_one_order_lose_nothing(pg: PgStore, tmp_path: Path) -> None:
    seed(pg.engine, orders=0)
    oid = picked_order(pg.engine, "C2", qty=40)
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(4) as pool:
        results = pool.starmap(workers.count_scans,
                               [(pg.url, str(tmp_path), f"V{i}", oid, 15, TEE) for i in range(4)])
    outcome = Counter(code for r in results for code in r)
    assert outcome["ok"] == 40 and outcome["ok"] + outcome["too_many"] + outcome["wrong_step"] == 60
    assert scanned(pg.engine, oid) == 40
    assert kinds(pg.engine, oid).count("item_scanned") == 40
    assert state(pg.engine, oid) == "verified"


def _ready_orders(pg: PgStore, n: int) -> set[int]:
    seed(pg.engine, orders=n)
    assert release(pg.engine, pg.config, Actor("D1", "clerk")).ready == n
    with pg.engine.connect() as conn:
        return set(conn.execute(select(ORDERS.c.id).where(ORDERS.c.state == "ready")).scalars())


def test_claims_never_hand_out_the_same_order_threads(pg: PgStore) -> None:
    ready = _ready_orders(pg, 16)
    floor = pg.floor()

    def claim(i: int) -> list[int]:
        got = []
        while (view := claim_next(floor, Actor(f"P{i}", f"OP-P{i}"), "pick")) is not None:
            got.append(view.id)
        return got

    results = _together(6, claim)
    claimed = [oid for r in results for oid in r]
    assert sorted(claimed) == sorted(ready)  # each exactly once
    with pg.engine.connect() as conn:
        pickers = dict(conn.execute(select(ORDERS.c.id, ORDERS.c.picker)).all())
    for i, got in enumerate(results):
        assert all(pickers[oid] == f"OP-P{i}" for oid in got)


def test_claims_never_hand_out_the_same_order_processes(pg: PgStore, tmp_path: Path) -> None:
    ready = _ready_orders(pg, 16)
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(4) as pool:
        results = pool.starmap(workers.claim_all,
                               [(pg.url, str(tmp_path), f"P{i}", "pick") for i in range(4)])
    claimed = [oid for r in results for oid in r]
    assert sorted(claimed) == sorted(ready)


def test_two_stations_take_the_same_order_one_wins(pg: PgStore) -> None:
    ready = _ready_orders(pg, 1)
    floor = pg.floor()
    with pg.engine.connect() as conn:
        order_no = conn.execute(select(ORDERS.c.order_no)).scalar_one()

    def bind(i: int) -> str:
        try:
            bind_basket(floor, Actor(f"P{i}", "OP1001"), f"B{i}", order_no)
            return "ok"
        except Refusal as refusal:
            assert refusal.text()  # an operator-readable reason
            return refusal.code

    outcome = Counter(_together(8, bind))
    assert outcome["ok"] == 1 and set(outcome) <= {"ok", "wrong_step", "conflict"}, outcome
    assert kinds(pg.engine, ready.pop()).count("pick_started") == 1


def test_concurrent_releases_never_overcommit_stock_or_waybills(pg: PgStore) -> None:
    seed(pg.engine, orders=20)  # stock for 18: MUG-WH 40 on hand, safety 3, 2 per order

    def run(i: int) -> int:
        return release(pg.engine, pg.config, Actor(f"D{i}", "clerk")).ready

    assert sum(_together(3, run)) == 18
    with pg.engine.connect() as conn:
        orders = conn.execute(select(ORDERS.c.id, ORDERS.c.state, ORDERS.c.tracking_no)
                              .where(ORDERS.c.state == "ready")).all()
        bills = dict(conn.execute(select(WAYBILLS.c.tracking_no, WAYBILLS.c.order_id)
                                  .where(WAYBILLS.c.order_id.is_not(None))).all())
        released = Counter(conn.execute(select(EVENTS.c.order_id)
                                        .where(EVENTS.c.kind == "released")).scalars())
    assert len(orders) == 18 and len({o.tracking_no for o in orders}) == 18
    assert bills == {o.tracking_no: o.id for o in orders}  # no waybill taken twice or left dangling
    assert set(released.values()) == {1}
