"""The desk's throughput chart (F10): today's orders verified and parcels handed over, summed
hour by hour, against the day's target line (pickpack.core.report.throughput), drawn by
textual-plotext; the scans in the line under it.

Words stay out of the plot: plotext counts characters, not terminal cells, so a Chinese label
inside it would push its frame out of line. Title and legend are Textual text around the plot,
and the plot holds only numbers. On the Linux text console (no braille, few colours) each
series is drawn with its own ASCII marker.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static
from textual_plotext import PlotextPlot

from pickpack.core.report.throughput import Throughput, ticks
from pickpack.i18n import N_, _
from pickpack.text import on_linux_console

LINES = (("target", N_("Target"), "white", "."), ("verified", N_("Verified"), "cyan", "+"),
         ("handed_over", N_("Handed over"), "green", "*"))
"""Each line of the chart: series, legend label, colour, the Linux console's marker."""
FANCY_MARKER = "braille"


class ThroughputChart(Vertical):
    """Title, plot and legend; :meth:`show` draws a day's throughput."""

    def compose(self) -> ComposeResult:
        yield Static("", id="chart-title", markup=False)
        yield PlotextPlot(id="chart-plot")
        yield Static("", id="chart-legend", markup=False)

    def waiting(self, text: str) -> None:
        """Before the first reading (or when it failed): one line instead of a chart."""
        self.query_one("#chart-title", Static).update(text)

    def show(self, day: Throughput) -> None:
        console = on_linux_console()
        self.query_one("#chart-title", Static).update(Text(_(
            "Today {date} {clock}: {due} orders to ship, target spread {start}–{cut}").format(
                date=day.date, clock=day.clock, due=day.due, start=day.shift_start,
                cut=day.cutoff_handover)))
        lines = {"target": day.target, "verified": day.cumulative("verified"),
                 "handed_over": day.cumulative("handed_over")}
        plot = self.query_one(PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        for series, _label, color, plain in LINES:
            values = lines[series]
            # from 0 where the first hour begins, to the count at the end of each hour
            xs = [float(h) for h in (day.hours[0], *(h + 1 for h in day.hours[:len(values)]))]
            plt.plot(xs, [0.0, *map(float, values)], color=color,
                     marker=plain if console else FANCY_MARKER)
        top = max([1, day.due, *lines["verified"], *lines["handed_over"]])
        edges = [*day.hours, day.hours[-1] + 1]
        plt.ylim(0, top)
        plt.yticks([float(t) for t in ticks(top)], [str(t) for t in ticks(top)])
        plt.xticks([float(h) for h in edges], [f"{h % 24:02d}" for h in edges])
        plt.xlim(edges[0], edges[-1])
        plot.refresh()
        self.query_one("#chart-legend", Static).update(legend(day, console))


def legend(day: Throughput, console: bool) -> Text:
    """``━ Target 3/3  ━ Verified 1  ━ Handed over 1  Scans 18 (this hour 0)``, in colour."""
    text = Text()
    now = {"target": f"{day.target_now()}/{day.due}", "verified": str(day.total("verified")),
           "handed_over": str(day.total("handed_over"))}
    for series, label, color, plain in LINES:
        text.append(plain * 2 if console else "━━", style=f"bold {color}")
        text.append(f" {_(label)} {now[series]}  ")
    this_hour = day.scans[day.upto - 1] if day.upto else 0
    text.append(_("Scans {n} (this hour {h})").format(n=day.total("scans"), h=this_hour))
    return text
