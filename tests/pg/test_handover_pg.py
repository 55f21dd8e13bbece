"""Handover counts on PostgreSQL (issue 17, 7): the same count, refusal and supervisor close as
on SQLite (tests/core/test_handover_counts.py), on the central store's SQL."""

from __future__ import annotations

import json

from sqlalchemy import select

from pickpack.core.flows import make_flow
from pickpack.core.tables import EVENTS
from pickpack.scan import Scan
from tests.core.floorkit import SUPERVISOR_PIN
from tests.core.test_handover_counts import SF, five_parcels, states
from tests.pg.conftest import PgStore


def test_a_difference_is_refused_then_closed_by_a_supervisor_on_postgresql(pg: PgStore) -> None:
    floor = five_parcels(pg.engine, pg.config)
    flow = make_flow(floor, "ship", "S1")
    assert flow.handle(Scan("OP3001")).ok
    for tracking in SF[:2]:
        assert flow.handle(Scan(tracking)).ok
    out = flow.handle(Scan("CMD:CLOSE"))
    assert out.code == "handover_difference" and SF[2] in out.message
    assert flow.handle(Scan("CMD:OK")).ok
    assert flow.handle(Scan("OP9001")).ok and flow.enter_pin(SUPERVISOR_PIN).ok
    assert flow.handle(Scan("CMD:DIFF:D2")).ok
    assert states(pg.engine, SF) == ["shipped", "shipped", "weighed"]
    with pg.engine.connect() as conn:
        (payload,) = conn.execute(select(EVENTS.c.payload).where(
            EVENTS.c.kind == "manifest_closed")).scalars()
    closed = json.loads(payload)
    assert closed["handover"]["missing"] == [SF[2]] and closed["reason"] == "D2"

    flow.handle(Scan(SF[2]))  # the last one, on the next manifest: printed before the close
    out = flow.handle(Scan("CMD:CLOSE"))
    assert out.ok and not out.alert, out.message
