"""SQLite with many station processes: a write lock held past the busy timeout is waited out
(the whole transaction runs again with a bounded backoff), never shown to the operator."""

from __future__ import annotations

import multiprocessing
import sqlite3
import threading
from pathlib import Path

from sqlalchemy import Engine, insert, select

from db.engine import BUSY_TIMEOUT_MS, write_tx
from pickpack.config import Config
from pickpack.core.claim import claim_next
from pickpack.core.context import Floor
from pickpack.core.events import Actor
from pickpack.core.tables import EVENTS, LINES, ORDERS
from tests.core.floorkit import PAID, seed
from tests.pg import workers


def _ready(engine: Engine, n: int) -> set[int]:
    """``n`` orders already at pick (inserted ready: the seed's stock covers only 18)."""
    seed(engine, orders=0)
    ids = set()
    with write_tx(engine) as conn:
        for i in range(n):
            oid = conn.execute(insert(ORDERS).values(
                order_no=f"3910{i:06d}", buyer="tb", receiver_name="张三",
                receiver_phone="13812341234", province="浙江省", city="杭州市", district="滨江区",
                street="长江路1号", postcode="310000", paid_at=PAID, state="ready",
                platform_status="买家已付款，等待卖家发货")).inserted_primary_key[0]
            conn.execute(insert(LINES).values(order_id=oid, sku="TEE-BK-XL", name="T恤", qty=1))
            ids.add(oid)
    return ids


def test_a_lock_held_past_the_busy_timeout_is_waited_out(engine: Engine, config: Config) -> None:
    ready = _ready(engine, 1)
    path = engine.url.database
    assert path
    holding, done = threading.Event(), threading.Event()

    def hold_the_write_lock() -> None:
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        holding.set()
        done.wait((BUSY_TIMEOUT_MS + 700) / 1000)  # longer than the busy timeout
        other.execute("COMMIT")
        other.close()

    holder = threading.Thread(target=hold_the_write_lock)
    holder.start()
    assert holding.wait(5)
    try:
        view = claim_next(Floor(engine, config), Actor("P1", "OP1001"), "pick")
    finally:
        done.set()
        holder.join()
    assert view is not None and {view.id} == ready
    with engine.connect() as conn:
        assert conn.execute(select(EVENTS.c.kind).where(EVENTS.c.order_id == view.id)
                            ).scalars().all() == ["claimed"]


def test_twenty_processes_claim_each_order_once(engine: Engine, tmp_path: Path) -> None:
    ready = _ready(engine, 200)
    url = str(engine.url)
    ctx = multiprocessing.get_context("fork")  # spawn would take seconds per child here
    with ctx.Pool(20) as pool:
        results = pool.starmap(workers.claim_all,
                               [(url, str(tmp_path), f"P{i}", "pick") for i in range(20)])
    claimed = [oid for r in results for oid in r]
    assert sorted(claimed) == sorted(ready)  # each exactly once, no process saw an error
    with engine.connect() as conn:
        kinds = conn.execute(select(EVENTS.c.kind).where(EVENTS.c.kind == "claimed")).scalars()
        assert len(list(kinds)) == 200
