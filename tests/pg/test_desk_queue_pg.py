"""The desk's queue, search and audit round on PostgreSQL (issue 16 item 1): the same answers as
on SQLite, the round under the release lock."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import insert, update

from db.engine import write_tx
from pickpack.core.desk.queue import audit_queue, audit_round, run_round
from pickpack.core.desk.search import search_orders
from pickpack.core.desk.view import desk_order
from pickpack.core.events import Actor
from pickpack.core.release import release
from pickpack.core.tables import LINES, ORDERS
from tests.core.floorkit import PAID, seed
from tests.pg.conftest import PgStore

CLERK = Actor("D1", "OP5001", "clerk")


def test_queue_search_and_round_on_postgresql(pg: PgStore) -> None:
    engine, floor = pg.engine, pg.floor()
    seed(engine, orders=3)
    with write_tx(engine) as conn:
        conn.execute(update(LINES).where(LINES.c.order_id == 2, LINES.c.sku == "MUG-WH")
                     .values(sku="NOPE"))
        conn.execute(update(ORDERS).where(ORDERS.c.id == 3).values(receiver_phone="021-5555 6789"))
    release(engine, floor.config, CLERK)
    with write_tx(engine) as conn:
        for no, minutes in (("EARLY", -1), ("LATE", 10)):
            oid = conn.execute(insert(ORDERS).values(
                order_no=no, buyer="b9", receiver_name="李四", receiver_phone="13900001111",
                province="浙江省", city="杭州市", street="文三路2号",
                paid_at=PAID + timedelta(minutes=minutes), state="new")).inserted_primary_key[0]
            conn.execute(insert(LINES).values(order_id=oid, sku="TEE-BK-XL", name="T恤", qty=1))
    with engine.connect() as conn:
        groups = {g.key: g.count for g in audit_queue(conn)}
        assert groups == {"unaudited": 2, "unknown_sku": 1}
        at = PAID + timedelta(days=1)
        assert [h.order_no for h in search_orders(conn, "1111", at=at)] == ["EARLY", "LATE"]
        assert [h.matched for h in search_orders(conn, "021-5555 6789", at=at)] == ["phone"]
        assert [h.order_no for h in search_orders(conn, "b9", at=at)] == ["EARLY", "LATE"]
        assert search_orders(conn, "70000000000000", at=at)[0].matched == "key"
        assert [t.kind for t in desk_order(conn, floor.config, 2).trail] == ["held"]
        plan = audit_round(conn, floor.config, PAID + timedelta(minutes=47))
    assert [e.order_no for e in plan.due] == ["EARLY"]
    assert [m.order_nos for m in plan.merges] == [("EARLY", "LATE")]
    result = run_round(floor, CLERK, plan)
    assert (result.ready, result.held, result.cleared) == (1, 0, 0)
    with engine.connect() as conn:
        assert {g.key: g.count for g in audit_queue(conn)} == {"unaudited": 1, "unknown_sku": 1}
