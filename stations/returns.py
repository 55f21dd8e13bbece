"""Returns: scan the return parcel, then each item with its grade (F3/F4/F5), F7 when done.

The top lines say which return this is: the original order, the buyer's stated reason, the
7-day no-reason window from delivery and the original's outbound trail (who picked, verified,
packed; the weight). The table lists what the order held against what the buyer declared and
what has been received, by grade. F6 types a note kept with the next item received.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from pickpack.core.aftersales.returns import ReturnView
from pickpack.core.flows import Outcome
from pickpack.core.flows.returns import GRADE_NAMES, ReturnsFlow
from pickpack.core.lifecycle import state_name
from pickpack.i18n import N_, _
from pickpack.keymap import OWN
from pickpack.keymap import label as key_label
from pickpack.scan import Scan
from pickpack.text import screen_text
from stations.base import StationScreen
from stations.widgets import KeyEntry

COLUMNS = (N_("SKU"), N_("Ordered"), N_("Declared"), N_("Received"))


class ReturnsScreen(StationScreen):
    MODE = "returns"
    TITLE = N_("Returns")
    CSS_PATH = ["station.tcss", "returns.tcss"]  # type: ignore[assignment]  # the base says str
    BINDINGS = [  # Esc: out of the footer at 80 columns, on the command sheet
        Binding("escape", "command('CANCEL')", N_("Cancel"), id="cancel", show=False),
        Binding("f3", "command('GRADE:RESTOCK')", N_("Restock"), id="grade-restock"),
        Binding("f4", "command('GRADE:QUARANTINE')", N_("Quarantine"), id="grade-quarantine"),
        Binding("f5", "command('GRADE:SCRAP')", N_("Scrap"), id="grade-scrap"),
        Binding("f6", "note", N_("Note"), id="note"),
        Binding("f7", "command('DONE')", N_("Received"), id="return-done"),
    ]
    flow: ReturnsFlow

    def compose_body(self) -> ComposeResult:
        yield Static("", id="return-title")
        yield Static("", id="return-reason")
        yield Static("", id="return-trail")
        yield Static("", id="grade")
        yield DataTable(id="return-lines", cursor_type="row", zebra_stripes=True,
                        show_cursor=False)
        yield KeyEntry(_("note for the next item, then Enter"), id="note")  # typed, never a scan

    def on_mount(self) -> None:
        super().on_mount()
        table = self.query_one("#return-lines", DataTable)
        for column in COLUMNS:
            table.add_column(_(column))

    def take_scan(self, scan: Scan) -> None:
        """A return is received against the central store only: while the station works from
        its journal every scan is refused, saying to scan it again once the store is back (the
        header shows the wait; the switch's probe brings the store back by itself)."""
        if getattr(self.app, "switch", None) is not None and self.away():
            self.run_flow(self._away)
            return
        super().take_scan(scan)

    def _away(self) -> Outcome:
        self.flow.awaiting_ack = True
        return Outcome(False, _("The store is away: returns are not received offline. Nothing "
                                "was recorded: scan it again once the store is back"),
                       self.flow.prompt(), alert=True, code="store_away")

    def action_note(self) -> None:
        self.query_one("#note", KeyEntry).open()

    @on(KeyEntry.Typed, "#note")
    def _note_typed(self, event: KeyEntry.Typed) -> None:
        note = event.text
        self.run_flow(lambda: self.flow.set_note(note))

    def show_order(self, outcome: Outcome) -> None:
        parcel = self.flow.parcel
        self.query_one("#return-title", Static).update(title(parcel))
        reason = "" if parcel is None else _("Buyer's reason: {reason}").format(
            reason=parcel.reason or "-") + "\n" + parcel.window
        self.query_one("#return-reason", Static).update(screen_text(reason))
        self.query_one("#return-trail", Static).update(screen_text(self.flow.trail))
        grade = self.flow.grade
        label = self.query_one("#grade", Static)
        keys = {**OWN["returns"], **self.floor.config.keys.keymap(self.MODE)}  # as [keys] says
        label.update(screen_text(_(
            "Grade now: {grade}  ({restock} restock · {quarantine} quarantine · {scrap} scrap)")
            .format(grade=_(GRADE_NAMES[grade]), **{g: key_label(keys[f"grade-{g}"])
                                                     for g in ("restock", "quarantine", "scrap")})))
        for name in GRADE_NAMES:
            label.set_class(name == grade, f"-{name}")
        self._lines(parcel)

    def _lines(self, parcel: ReturnView | None) -> None:
        table = self.query_one("#return-lines", DataTable)
        table.clear()
        if parcel is None:
            return
        ordered = {line["sku"]: int(line["qty"]) for line in parcel.ordered}
        declared: dict[str, int] = {}
        for item in parcel.declared:
            declared[item["sku"]] = declared.get(item["sku"], 0) + int(item.get("qty", 1))
        got: dict[str, dict[str, int]] = {}
        for item in parcel.received:
            by_grade = got.setdefault(item["sku"], {})
            by_grade[item["grade"]] = by_grade.get(item["grade"], 0) + int(item["qty"])
        for sku in dict.fromkeys([*ordered, *declared, *got]):
            received = " ".join(f"{n} {_(GRADE_NAMES[g])}" for g, n in got.get(sku, {}).items())
            want = declared.get(sku, ordered.get(sku, 0)) if parcel.declared else ordered.get(sku, 0)
            differs = sum(got.get(sku, {}).values()) > want
            table.add_row(screen_text(sku), screen_text(str(ordered.get(sku, 0))),
                          screen_text(str(declared.get(sku, "-"))),
                          Text(received or "-", style="bold red" if differs else ""))


def title(parcel: ReturnView | None) -> Text:
    if parcel is None:
        return screen_text(_("No return open"))
    return screen_text(_("Return R{r}  order {o}  parcel {t}  [{state}]").format(
        r=parcel.id, o=parcel.order_no or "-", t=parcel.tracking_no or parcel.order_tracking or "-",
        state=state_name(parcel.state)))
