"""The board's throughput chart: the SVG's geometry from a day's figures, and the board's
figures from a real trail (the day's due orders are the couriers' own count)."""

from __future__ import annotations

from sqlalchemy import Engine

from pickpack.board.chart import HEIGHT, LEFT, TOP, WIDTH, chart
from pickpack.board.data import read_board
from pickpack.config import Config
from pickpack.core.context import Floor
from pickpack.core.report.throughput import Throughput
from tests.board.boardkit import floor_with_orders
from tests.core.floorkit import ship_through


def day(**figures: object) -> Throughput:
    base: dict[str, object] = {
        "date": "2026-11-21", "clock": "10:05", "hours": [8, 9, 10, 11], "scans": [5, 9, 2, 0],
        "verified": [1, 2, 1, 0], "handed_over": [0, 1, 0, 0], "target": [1, 2, 3, 4],
        "due": 4, "shift_start": "08:00", "cutoff_handover": "12:00", "upto": 3}
    return Throughput(**(base | figures))  # type: ignore[arg-type]


def test_the_lines_step_from_zero_to_each_hours_count() -> None:
    c = chart(day())
    assert (c["width"], c["height"], c["top"]) == (WIDTH, HEIGHT, 4)
    bottom = HEIGHT - 26
    step = (WIDTH - LEFT - 12) / 4
    points = [tuple(map(float, p.split(","))) for p in c["lines"]["verified"].split()]
    assert points[0] == (LEFT, bottom)  # 0 where 08:00 begins
    assert [p[0] for p in points] == [round(LEFT + step * i, 1) for i in range(4)]  # to 11:00
    per_unit = (bottom - TOP) / 4
    assert [p[1] for p in points] == [round(bottom - per_unit * v, 1) for v in (0, 1, 3, 4)]
    assert len(c["lines"]["target"].split()) == 5  # the target runs to the cut-off
    assert c["lines"]["handed_over"].split()[-1].endswith(f",{round(bottom - per_unit, 1)}")
    assert [t["label"] for t in c["x_ticks"]] == ["08", "09", "10", "11", "12"]
    assert [t["label"] for t in c["y_ticks"]] == ["0", "1", "2", "3", "4"]
    assert c["totals"] == {"target": 3, "due": 4, "verified": 4, "handed_over": 1, "scans": 16}


def test_more_done_than_due_raises_the_top() -> None:
    c = chart(day(verified=[3, 4, 2, 0], due=2, target=[1, 2, 2, 2]))
    assert c["top"] == 9 and [t["label"] for t in c["y_ticks"]] == ["0", "3", "6", "9"]
    assert c["lines"]["verified"].split()[-1].endswith(f",{TOP:.1f}")  # 9 of 9: the top


def test_the_board_carries_the_chart(engine: Engine, config: Config) -> None:
    numbers = floor_with_orders(engine, config)
    with engine.connect() as conn:
        before = read_board(conn, config).chart
    assert before["totals"]["due"] == 3 and before["totals"]["handed_over"] == 0
    ship_through(Floor(engine, config), numbers[0])
    with engine.connect() as conn:
        after = read_board(conn, config).to_json()["chart"]
    assert after["totals"]["due"] == 3
    assert (after["totals"]["verified"], after["totals"]["handed_over"]) == (1, 1)
    assert after["totals"]["scans"] > before["totals"]["scans"]
    assert after["lines"]["handed_over"] != before["lines"]["handed_over"]
