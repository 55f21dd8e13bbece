"""The desk's after-sales register (F11): today's cases and every case still open from an
earlier day (overdue), as pickpack.core.aftersales.register reads them. Only after a log-in:
the register names buyers."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from pickpack.core.aftersales.cases import KINDS
from pickpack.core.aftersales.register import Register
from pickpack.core.aftersales.words import in_words
from pickpack.i18n import N_, _
from pickpack.text import screen_text

COLUMNS = ((N_("Case"), 5), (N_("Order"), 19), (N_("Kind"), 10), (N_("State"), 6),
           (N_("Handler"), 7), (N_("Late"), 4), (N_("Buyer said"), 12))
"""The register's columns at the desk (80 columns: the whole sheet is ``report aftersales``)."""
CASE_STATES = {"open": N_("open"), "solved": N_("solved"), "closed": N_("closed")}


class RegisterPanel(Vertical):
    """Heading and table; :meth:`show` lists a day's register."""

    def compose(self) -> ComposeResult:
        yield Static("", id="register-title", markup=False)
        yield DataTable(id="register", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one("#register", DataTable)
        for label, width in COLUMNS:
            table.add_column(_(label), width=width)

    def waiting(self, text: str) -> None:
        self.query_one("#register-title", Static).update(text)
        self.query_one("#register", DataTable).clear()

    def show(self, register: Register) -> None:
        late = set(register.overdue)
        self.query_one("#register-title", Static).update(Text(_(
            "After-sales register {day}: {n} cases, {late} overdue").format(
                day=register.day.isoformat(), n=len(register.cases), late=len(late))))
        table = self.query_one("#register", DataTable)
        table.clear()
        for c in register.cases:
            overdue = c.id in late
            table.add_row(
                f"C{c.id}", screen_text(c.order_no or "-"),
                _(KINDS[c.kind]) if c.kind in KINDS else screen_text(c.kind),
                _(CASE_STATES[c.state]) if c.state in CASE_STATES else screen_text(c.state),
                screen_text(c.handler or c.opened_by),
                Text(_("yes"), style="bold red") if overdue else "",
                screen_text(in_words(c.claim)),  # the system's own texts in words; a buyer's as typed
                key=str(c.id))
