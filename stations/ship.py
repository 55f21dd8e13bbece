"""Ship: parcels scanned into their courier's manifest; close it when the courier takes them.

Manifests are per courier, open side by side (one row each, with the parcel scanned last);
an intercepted parcel on a manifest is listed under it in red until it is scanned off
(``CMD:REMOVE`` then the parcel), also after a close left it out.

Handover reconciliation: parcels that are weighed (ready to ship) but on no manifest yet are
listed, so nothing is left behind on the floor when the van leaves.

Columns have fixed widths that fit 80 columns: a table sized by its labels at the first draw
showed order and tracking numbers cut (``39928  SF0024048608``).
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from pickpack.core.flows.base import Outcome
from pickpack.core.ship import ManifestView, Parcel, left_behind, left_out_parcels, open_manifests
from pickpack.i18n import N_, _
from pickpack.live import Change
from stations.base import StationScreen

LEFT_BEHIND_SHOWN = 200
MANIFEST_COLUMNS = ((N_("Courier"), 8), (N_("Manifest"), 10), (N_("Parcels"), 12),
                    (N_("Last parcel"), 22))
LEFT_BEHIND_COLUMNS = ((N_("Order"), 20), (N_("Tracking no."), 20), (N_("Courier"), 8))
"""(label, width): order numbers run to 20 digits, tracking numbers to 17 characters."""


@dataclass(frozen=True)
class Handover:
    manifests: list[ManifestView]
    waiting: list[dict[str, str | None]]
    left_out: list[tuple[int, str, Parcel]]
    """Intercepted parcels a close left out, not scanned off yet."""


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
        for table_id, columns in (("#manifests", MANIFEST_COLUMNS),
                                  ("#left-behind", LEFT_BEHIND_COLUMNS)):
            table = self.query_one(table_id, DataTable)
            for label, width in columns:
                table.add_column(_(label), width=width)
        self.run_flow(lambda: None)  # read the manifests and the parcels left behind

    def floor_changed(self, changes: list[Change]) -> None:
        """Parcels weighed or shipped elsewhere: read the manifests and the floor again (a
        flow call already queued re-reads them anyway)."""
        if not self._busy:
            self.run_flow(lambda: None)

    def gather(self) -> Handover:
        actor = self.flow.actor
        return Handover(open_manifests(self.floor, actor), left_behind(self.floor),
                        left_out_parcels(self.floor, actor))

    def show_outcome(self, outcome: Outcome) -> None:
        super().show_outcome(outcome)
        if outcome.data.get("closed"):  # the close queued the manifest slip: print it now
            self.app.print_pending()  # type: ignore[attr-defined]

    def show_context(self, context: object) -> None:
        if not isinstance(context, Handover):
            return
        table = self.query_one("#manifests", DataTable)
        table.clear()
        for m in context.manifests:
            table.add_row(Text(m.courier), str(m.id), str(m.count), Text(m.last))
            for parcel in m.intercepted:
                table.add_row("", "", _intercepted(), Text(parcel.tracking_no, style="bold red"))
        for manifest_id, courier, parcel in context.left_out:
            table.add_row(Text(courier), _("{m} closed").format(m=manifest_id), _intercepted(),
                          Text(parcel.tracking_no, style="bold red"))
        waiting = context.waiting
        self.query_one("#left-behind-title", Static).update(
            _("Not on a manifest yet: {n} parcels").format(n=len(waiting)))
        rest = self.query_one("#left-behind", DataTable)
        rest.clear()
        for row in waiting[:LEFT_BEHIND_SHOWN]:
            rest.add_row(Text(row["order_no"] or ""), Text(row["tracking_no"] or ""),
                         Text(row["courier"] or ""))


def _intercepted() -> Text:
    return Text(_("INTERCEPTED"), style="bold white on red")
