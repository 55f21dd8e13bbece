"""The shift reports on PostgreSQL: the store counts the day (its hour, JSON and interval
expressions differ from SQLite's) and the figures are SQLite's."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from pickpack.core.report import day_span
from pickpack.core.report.couriers import couriers
from pickpack.core.report.overrides import overrides
from pickpack.core.report.productivity import productivity
from pickpack.core.report.shipped import shipped
from pickpack.core.report.weights import weights
from tests.core.test_report_productivity import DAY, shift
from tests.core.test_report_productivity_edges import (
    check_midnight,
    check_pauses,
    midnight_trail,
    pauses_trail,
)
from tests.core.test_report_shipped_weights import weighing_day
from tests.pg.conftest import PgStore, pg, pg_url  # noqa: F401 - the fixtures


def _figures(engine: Engine, store: PgStore) -> dict[str, list[list[dict[str, Any]]]]:
    with engine.connect() as conn:
        return {name: [t.as_json() for t in report(conn, store.config, day_span(store.config, DAY))]
                for name, report in (("productivity", productivity), ("weights", weights),
                                     ("couriers", couriers))}


def test_productivity_on_postgresql(pg: PgStore) -> None:  # noqa: F811
    shift(pg.engine, pg.config)
    [operators, hours] = _figures(pg.engine, pg)["productivity"]
    rows = {(r["operator"], r["role"]): r for r in operators}
    assert rows[("OP1001", "picker")]["orders"] == 3 and rows[("OP1001", "picker")]["errors"] == 1
    verifier = rows[("OP2001", "verifier")]
    assert (verifier["units"], verifier["idle_gaps"], verifier["idle_logouts"]) == (6, 1, 1)
    assert verifier["idle_min"] >= 20
    assert sum(h["verified"] for h in hours) == 2
    assert hours[0]["hour"].startswith("2026-11-22 09:")


def test_weights_overrides_and_shipped_on_postgresql(pg: PgStore) -> None:  # noqa: F811
    numbers = weighing_day(pg.engine, pg.config)
    [skus, _weighers, suspect] = _figures(pg.engine, pg)["weights"]
    assert skus[0] == {"sku": "MUG-WH", "count": 5, "median_g": 60.0, "p90_g": 60.0}
    assert [(s["sku"], s["proposed_g"]) for s in suspect] == [("MUG-WH", 380)]
    with pg.engine.connect() as conn:
        over, holds = overrides(conn, pg.config, day_span(pg.config, DAY))
        out = shipped(conn, pg.config, day_span(pg.config, DAY))[0]
    assert [o["order_no"] for o in over.rows] == numbers[:4]
    assert len(holds.rows) == 5
    assert sum(r["shipped"] for r in out.rows) == 5


def test_pauses_login_and_idle_logout_on_postgresql(pg: PgStore) -> None:  # noqa: F811
    """The store finds the pauses: PostgreSQL's interval arithmetic against SQLite's text."""
    pauses_trail(pg.engine)
    check_pauses(pg.engine, pg.config)


def test_a_shift_over_midnight_on_postgresql(pg: PgStore) -> None:  # noqa: F811
    midnight_trail(pg.engine)
    check_midnight(pg.engine, pg.config)
