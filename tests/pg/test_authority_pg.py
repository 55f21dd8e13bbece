"""Supervisor PINs on PostgreSQL: the migration's columns, wrong PINs counted and locking."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from pickpack.core.authority import MAX_TRIES, prove_supervisor
from pickpack.core.events import Actor
from pickpack.core.operators import add_operator, find_operator
from pickpack.core.refusal import Refusal
from pickpack.core.tables import EVENTS
from tests.pg.conftest import PgStore

ACTOR = Actor("V1", "OP2001", "verifier")


def test_wrong_pins_lock_a_supervisor_on_postgresql(pg: PgStore) -> None:
    add_operator(pg.engine, "OP9001", "陈主管", "supervisor,picker", pin="4321")
    floor = pg.floor()
    assert prove_supervisor(floor, ACTOR, "OP9001", "4321").roles == ("supervisor", "picker")
    for _ in range(MAX_TRIES):
        with pytest.raises(Refusal):
            prove_supervisor(floor, ACTOR, "OP9001", "1111")
    with pytest.raises(Refusal) as refused:
        prove_supervisor(floor, ACTOR, "OP9001", "4321")
    assert refused.value.code == "supervisor_locked"
    with pg.engine.connect() as conn:
        kinds = list(conn.execute(select(EVENTS.c.kind)).scalars())
        assert find_operator(conn, "OP9001").holds("picker")
    assert kinds.count("pin_refused") == MAX_TRIES - 1 and kinds.count("supervisor_locked") == 1
