"""Reports from states and events: late orders, missed cut-off, errors per person, export."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from pickpack.config import Config
from pickpack.core.context import Floor
from pickpack.core.events import Actor
from pickpack.core.flows import make_flow
from pickpack.core.release import release
from pickpack.core.reports import (
    errors_by_person,
    export_shipped,
    floor_counts,
    late_orders,
    missed_cutoff,
)
from pickpack.core.tables import ORDERS
from pickpack.scan import Scan
from tests.core.floorkit import PAID, seed


def test_late_and_cutoff(engine: Engine, config: Config) -> None:
    seed(engine, orders=2)
    release(engine, config, Actor("D1", "clerk"))
    with engine.connect() as conn:
        assert floor_counts(conn) == {"ready": 2}
        assert late_orders(conn, config, PAID + timedelta(hours=10)) == []
        late = late_orders(conn, config, PAID + timedelta(hours=73))
        assert [o["late"] for o in late] == [True, True]
        warn = late_orders(conn, config, PAID + timedelta(hours=50))
        assert [o["late"] for o in warn] == [False, False]
        # paid 09:00 UTC = 17:00 in China: after the 16:00 cut-off of that day, before the next
        assert missed_cutoff(conn, config, datetime(2026, 11, 20, 10, tzinfo=UTC)) == []
        assert len(missed_cutoff(conn, config, datetime(2026, 11, 21, 10, tzinfo=UTC))) == 2


def test_errors_count_against_verifier_and_picker_and_export(engine: Engine, config: Config) -> None:
    seed(engine, orders=1)
    release(engine, config, Actor("D1", "clerk"))
    floor = Floor(engine, config)
    pick = make_flow(floor, "pick", "P1")
    for code in ("OP1001", "B001", "3900000000000000000", "CMD:DONE"):
        pick.handle(Scan(code))
    verify = make_flow(floor, "verify", "V1")
    for code in ("OP2001", "B001", "6917777412155"):
        verify.handle(Scan(code))
    with engine.connect() as conn:
        rows = errors_by_person(conn, PAID - timedelta(days=365))
    assert {"operator": "OP2001", "code": "wrong_item", "role": "caught", "count": 1} in rows
    assert {"operator": "OP1001", "code": "wrong_item", "role": "picked", "count": 1} in rows
    with engine.begin() as conn:
        conn.execute(ORDERS.update().values(state="shipped"))
    first = export_shipped(engine, Actor("D1", "clerk"))
    assert [r["order_no"] for r in first] == ["3900000000000000000"]
    assert export_shipped(engine, Actor("D1", "clerk")) == []  # batches: never twice
    assert len(export_shipped(engine, Actor("D1", "clerk"), again=True)) == 1


def test_the_oldest_few_late_are_the_head_of_the_whole_list(engine: Engine,
                                                            config: Config) -> None:
    """The board asks for the oldest few (``limit``): each state's oldest are merged, so the
    few are the whole list's head whatever the states; shipped orders are never among them."""
    from db.engine import write_tx

    seed(engine, orders=6)
    release(engine, config, Actor("D1", "clerk"))
    states = ("held", "ready", "shipped", "picked", "ready", "held")
    with write_tx(engine) as conn:
        ids = sorted(conn.execute(ORDERS.select().with_only_columns(ORDERS.c.id)).scalars())
        for i, (oid, state) in enumerate(zip(ids, states, strict=True)):
            conn.execute(ORDERS.update().where(ORDERS.c.id == oid).values(
                state=state, paid_at=PAID - timedelta(hours=6 - i)))  # the first is the oldest
    at = PAID + timedelta(hours=80)
    with engine.connect() as conn:
        every = late_orders(conn, config, at)
        assert [o["state"] for o in every] == ["held", "ready", "picked", "ready", "held"]
        for n in (1, 2, 3, 5, 9):
            assert late_orders(conn, config, at, limit=n) == every[:n], n
