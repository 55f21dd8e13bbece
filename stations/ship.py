"""Ship: parcels scanned into their courier's manifest; close it when the courier takes them.

Handover reconciliation: parcels that are weighed (ready to ship) but on no manifest yet are
listed, so nothing is left behind on the floor when the van leaves.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from pickpack.core.ship import ManifestView, left_behind, open_manifests
from pickpack.i18n import N_, _
from pickpack.live import Change
from stations.base import StationScreen

LEFT_BEHIND_SHOWN = 200


@dataclass(frozen=True)
class Handover:
    manifests: list[ManifestView]
    waiting: list[dict[str, str | None]]


class ShipScreen(StationScreen):
    MODE = "ship"
    TITLE = N_("Ship")
    BINDINGS = [Binding("f3", "command('CLOSE')", N_("Close manifest"), id="close")]

    def compose_body(self) -> ComposeResult:
        yield DataTable(id="manifests", show_cursor=False)
        yield Static("", id="left-behind-title")
        yield DataTable(id="left-behind", show_cursor=False, zebra_stripes=True)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#manifests", DataTable).add_columns(
            _("Courier"), _("Manifest"), _("Parcels"), _("Last parcel"))
        self.query_one("#left-behind", DataTable).add_columns(
            _("Order"), _("Tracking no."), _("Courier"))
        self.run_flow(lambda: None)  # read the manifests and the parcels left behind

    def floor_changed(self, changes: list[Change]) -> None:
        """Parcels weighed or shipped elsewhere: read the manifests and the floor again (a
        flow call already queued re-reads them anyway)."""
        if not self._busy:
            self.run_flow(lambda: None)

    def gather(self) -> Handover:
        return Handover(open_manifests(self.floor, self.flow.actor), left_behind(self.floor))

    def show_context(self, context: object) -> None:
        if not isinstance(context, Handover):
            return
        table = self.query_one("#manifests", DataTable)
        table.clear()
        for m in context.manifests:
            table.add_row(m.courier, str(m.id), str(m.count), m.tracking[-1] if m.tracking else "")
        waiting = context.waiting
        self.query_one("#left-behind-title", Static).update(
            _("Not on a manifest yet: {n} parcels").format(n=len(waiting)))
        rest = self.query_one("#left-behind", DataTable)
        rest.clear()
        for row in waiting[:LEFT_BEHIND_SHOWN]:
            rest.add_row(row["order_no"] or "", row["tracking_no"] or "", row["courier"] or "")
