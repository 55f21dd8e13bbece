"""Search at the desk by any key (issue 16 item 1): order no., tracking no., basket, buyer,
receiver, phone and its last four digits; every query answered from an index."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, insert, text, update

from db.engine import write_tx
from pickpack.config import Config
from pickpack.core.desk.search import _conditions, _query, mask_phone, search_orders
from pickpack.core.events import Actor
from pickpack.core.release import release
from pickpack.core.tables import BASKETS, ORDERS
from tests.core.floorkit import PAID, seed

AT = PAID + timedelta(days=1)


@pytest.fixture
def floor(engine: Engine, config: Config) -> Engine:
    seed(engine, orders=3)
    release(engine, config, Actor("D1", "OP5001", "clerk"))
    with write_tx(engine) as conn:
        conn.execute(update(ORDERS).where(ORDERS.c.id == 2).values(
            buyer="小明的店", receiver_name="王五", receiver_phone="021-5555 6789"))
        conn.execute(insert(BASKETS).values(code="B042", order_id=3))
        conn.execute(insert(ORDERS).values(
            order_no="OLD-1", buyer="tb1", receiver_name="张三", receiver_phone="13812341234",
            state="shipped", paid_at=PAID - timedelta(days=4)))
    return engine


def _found(engine: Engine, key: str) -> list[tuple[str, str]]:
    with engine.connect() as conn:
        return [(h.order_no, h.matched) for h in search_orders(conn, key, at=AT)]


def test_by_order_tracking_and_basket(floor: Engine) -> None:
    assert _found(floor, "3900000000000000001") == [("3900000000000000001", "key")]
    assert _found(floor, " 70000000000000 ") == [("3900000000000000000", "key")]
    assert _found(floor, "B042") == [("3900000000000000002", "key")]
    assert _found(floor, "OLD-1") == [("OLD-1", "key")]  # an old shipped order by its number


def test_by_buyer_receiver_and_phone(floor: Engine) -> None:
    assert _found(floor, "小明的店") == [("3900000000000000001", "buyer")]
    assert _found(floor, "王五") == [("3900000000000000001", "receiver")]
    assert _found(floor, "6789") == [("3900000000000000001", "phone4")]
    assert [no for no, _m in _found(floor, "1234")] == ["3900000000000000000",
                                                        "3900000000000000002"]
    assert _found(floor, "138 1234 1234") == [("3900000000000000000", "phone"),
                                              ("3900000000000000002", "phone")]
    # the shipped order 4 days back is not found by buyer or phone: not in the desk's scope
    assert [no for no, _m in _found(floor, "tb1")] == ["3900000000000000000",
                                                       "3900000000000000002"]
    assert _found(floor, "nobody") == [] and _found(floor, "  ") == []


def test_wildcards_in_a_key_are_plain_characters(floor: Engine) -> None:
    assert _found(floor, "%") == [] and _found(floor, "_234") == []


def test_the_phone_is_masked() -> None:
    assert mask_phone("13812341234") == "*******1234"
    assert mask_phone("123") == "123"


def test_every_query_uses_an_index(floor: Engine) -> None:
    """SQLite's plan for each scoped query searches by an index, never scans ``orders``."""
    from sqlalchemy.dialects import sqlite

    from pickpack.core.desk.search import OPEN_STATES
    from pickpack.core.events import now

    with floor.connect() as conn:
        for _matched, where in _conditions("1234"):
            for scope, sort in ((ORDERS.c.state == OPEN_STATES[0], False),
                                (ORDERS.c.paid_at >= now(), True)):
                sql = str(_query(where & scope, 50, sort=sort).compile(
                    dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))
                plan = " ".join(str(r[-1]) for r in conn.execute(text("EXPLAIN QUERY PLAN " + sql)))
                assert "SEARCH orders USING INDEX" in plan and "SCAN" not in plan, plan
