"""Each report for one day reads through an index, never through a whole table (issue 19 §5:
< 2 s a day on the 1,000,000-order store): SQLite's own query plan of every statement a report
runs, asked of the real store the report ran on."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from sqlalchemy import Connection, Engine, event

from pickpack.cli.reports_more import REPORTS
from pickpack.config import Config
from pickpack.core.report import day_span
from pickpack.core.reports import errors_by_person, late_orders, missed_cutoff
from tests.core.test_report_shipped_weights import DAY, weighing_day

WHOLE_TABLES = ("event", "orders", "order_line")


@contextmanager
def plans(conn: Connection) -> Iterator[list[tuple[str, str]]]:
    """``(statement, plan line)`` of every statement run on ``conn`` meanwhile."""
    seen: list[tuple[str, Any]] = []

    def keep(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any,
             _many: bool) -> None:
        seen.append((statement, parameters))

    event.listen(conn, "before_cursor_execute", keep)
    out: list[tuple[str, str]] = []
    try:
        yield out
    finally:
        event.remove(conn, "before_cursor_execute", keep)
    raw = conn.connection.driver_connection
    assert raw is not None
    for statement, parameters in seen:
        for row in raw.execute(f"EXPLAIN QUERY PLAN {statement}", parameters):
            out.append((statement, str(row[3])))


def _whole_table_reads(lines: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(s, p) for s, p in lines
            if any(p.startswith(f"SCAN {t}") for t in WHOLE_TABLES)]


def test_every_report_of_a_day_reads_by_index(engine: Engine, config: Config) -> None:
    weighing_day(engine, config)  # picked, verified, weighed, held, overridden, shipped
    span = day_span(config, DAY)
    with engine.connect() as conn:
        for name, report in REPORTS.items():
            with plans(conn) as lines:
                report(conn, config, span)
            assert lines, name
            assert _whole_table_reads(lines) == [], name
        with plans(conn) as lines:
            errors_by_person(conn, span.start)
        assert _whole_table_reads(lines) == []


def test_late_and_cutoff_lists_read_one_range_of_payment_times(
        engine: Engine, config: Config) -> None:
    """Revision 0023's ``(state, paid_at)`` index: with ``state`` alone SQLite walked every
    order of the unshipped states (1.07 s for 37,599 late of 1,000,000 orders)."""
    weighing_day(engine, config)
    at = day_span(config, DAY).end - timedelta(seconds=1)
    with engine.connect() as conn:
        for listing in (late_orders, missed_cutoff):
            with plans(conn) as lines:
                listing(conn, config, at)
            assert [p for _s, p in lines if "orders" in p] == [
                "SEARCH orders USING INDEX ix_orders_state_paid (state=? AND paid_at<?)"], listing


def test_the_boards_oldest_few_late_read_each_states_range(engine: Engine,
                                                          config: Config) -> None:
    """With a limit (the board's 12 oldest), the merged path reads one ``(state, paid_at)``
    range per state, here in SQLite's plan. The one ``ORDER BY paid_at LIMIT 12`` it replaced
    was fine on SQLite; PostgreSQL answered it by walking ``paid_at`` through the 990,000
    shipped orders (3.9 s a board, BENCHMARKS.md), which no small store reproduces."""
    weighing_day(engine, config)
    at = day_span(config, DAY).end - timedelta(seconds=1)
    with engine.connect() as conn, plans(conn) as lines:
        late_orders(conn, config, at, limit=12)
    reads = [p for _s, p in lines if "orders" in p]
    assert reads and all(
        p == "SEARCH orders USING INDEX ix_orders_state_paid (state=? AND paid_at<?)"
        for p in reads), reads
