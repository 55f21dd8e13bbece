"""The desk's two panels beside the audit queue: today's throughput chart (F10) and the
after-sales register (F11). Read in a worker of their own, whenever the desk reads its queue
and whenever the floor changes while one shows (every scan moves the chart)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from textual.message import Message

from pickpack.core.aftersales.register import Register, day_register
from pickpack.core.context import Floor
from pickpack.core.report.throughput import Throughput, throughput
from pickpack.core.reports import floor_tz

PANES = {"chart": "chart-pane", "register": "register-pane"}
"""Each panel and the pane of the desk's switcher that shows it."""


@dataclass
class PanelRead(Message):
    """A panel's data came back from the store (``None``: the register before a log-in)."""

    panel: str
    data: Throughput | Register | None


def read_panel(floor: Floor, panel: str, at: datetime, logged_in: bool) -> PanelRead:
    """The panel's data as the store holds it at ``at`` (the desk's clock)."""
    cfg = floor.config
    with floor.engine.connect() as conn:
        if panel == "chart":
            return PanelRead(panel, throughput(conn, cfg, at))
        if not logged_in:
            return PanelRead(panel, None)
        return PanelRead(panel, day_register(conn, cfg, at.astimezone(floor_tz(cfg)).date()))
