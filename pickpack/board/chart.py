"""The board's throughput chart as geometry for an inline SVG: the page's script makes the
``<polyline>``/``<line>``/``<text>`` elements itself (``createElementNS``, ``textContent``) from
these numbers, so nothing is parsed as markup and nothing is loaded from anywhere.

Each line starts at 0 where the first hour begins and steps to its cumulative count at the
end of each hour (the actual lines end with the hour now running); the target line is the
day's due orders spread over the shift (pickpack.core.report.throughput).
"""

from __future__ import annotations

from typing import Any

from pickpack.core.report.throughput import Throughput, ticks

WIDTH, HEIGHT = 1440, 220
"""The SVG's ``viewBox`` (it scales to its section)."""
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 10, 26
"""Room for the count labels (left) and the hours (below)."""
LINES = ("target", "verified", "handed_over")


def chart(day: Throughput) -> dict[str, Any]:
    """``{width, height, lines: {series: "x,y x,y …"}, x_ticks: [{x, label}], y_ticks:
    [{y, label}], top, totals}`` for the page's script."""
    series = {"target": day.target, "verified": day.cumulative("verified"),
              "handed_over": day.cumulative("handed_over")}
    top = max([1, day.due, *series["verified"], *series["handed_over"]])
    n = max(1, len(day.hours))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(i: int) -> float:
        return round(LEFT + plot_w * i / n, 1)

    def y(v: int) -> float:
        return round(TOP + plot_h * (1 - v / top), 1)

    lines = {name: " ".join(f"{x(i)},{y(v)}" for i, v in enumerate([0, *values]))
             for name, values in series.items()}
    hours = [*day.hours, (day.hours[-1] + 1) if day.hours else 0]
    return {
        "width": WIDTH, "height": HEIGHT, "top": top, "lines": lines,
        "x_ticks": [{"x": x(i), "label": f"{h % 24:02d}"} for i, h in enumerate(hours)],
        "y_ticks": [{"y": y(v), "label": str(v)} for v in ticks(top)],
        "base": {"x1": LEFT, "x2": WIDTH - RIGHT, "y": y(0)},
        "totals": {"target": day.target_now(), "due": day.due,
                   "verified": day.total("verified"), "handed_over": day.total("handed_over"),
                   "scans": day.total("scans")},
    }
