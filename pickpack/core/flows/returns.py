"""Returns station: scan the return parcel, then each item with its grade, then CMD:DONE.

The parcel is found by its own tracking number (a registered return) or the original order's
tracking or order number; a code the store does not know is taken as a return parcel's
tracking number when it has a courier's shape (any other is refused), and a return with no
registration is received all the same, with a case. An order never handed over is refused.
Items are received with the grade in force (``CMD:GRADE:RESTOCK`` — the default —,
``QUARANTINE``, ``SCRAP``) and the note typed last; one that the buyer did not declare is
flagged at once, and the difference opens a case at ``CMD:DONE``. ``CMD:CANCEL`` (Esc) gives
up a return while nothing of it is received.
"""

from __future__ import annotations

from sqlalchemy import Connection, select

from pickpack.commands import COMMON, CommandSpec
from pickpack.core.aftersales.abandon import abandon_return
from pickpack.core.aftersales.investigate import investigate_order
from pickpack.core.aftersales.returns import (
    EXPECTED,
    GRADES,
    ReturnView,
    arrive,
    finish_return,
    receive_item,
    view_differences,
)
from pickpack.core.classify import Classified
from pickpack.core.context import Floor
from pickpack.core.flows.base import Outcome, StationFlow
from pickpack.core.refusal import Refusal
from pickpack.core.tables import BARCODES
from pickpack.i18n import N_, _

PEOPLE_NAMES = {"picker": N_("picked by"), "verifier": N_("verified by"),
                "packer": N_("packed by"), "weigher": N_("weighed by"),
                "shipper": N_("handed over by")}
GRADE_NAMES = {"restock": N_("restock"), "quarantine": N_("quarantine"), "scrap": N_("scrap")}
GRADE_CODES: tuple[CommandSpec, ...] = (
    CommandSpec("GRADE:RESTOCK", N_("Grade: restock"), N_("Items scanned next go back to stock")),
    CommandSpec("GRADE:QUARANTINE", N_("Grade: quarantine"),
                N_("Items scanned next are damaged, kept aside to check")),
    CommandSpec("GRADE:SCRAP", N_("Grade: scrap"), N_("Items scanned next are written off")),
)


class ReturnsFlow(StationFlow):
    mode = "returns"
    COMMANDS = (
        *GRADE_CODES,
        CommandSpec("DONE", N_("Return received"),
                    N_("Closes the open return: differences open a case, finance is told")),
        CommandSpec("CANCEL", N_("Cancel return"),
                    N_("Gives up the open return while nothing of it is received")),
        *COMMON,
    )

    def __init__(self, floor: Floor, station_id: str) -> None:
        super().__init__(floor, station_id)
        self.parcel: ReturnView | None = None
        self.grade = "restock"
        self.note = ""
        self.trail = ""
        """The original order's outbound trail in one line (who picked, verified, packed…)."""

    def idle_prompt(self) -> str:
        if self.parcel is None:
            return _("Scan the return parcel's tracking no., or the original order's")
        return _("Scan each item ({grade}), then CMD:DONE").format(grade=_(GRADE_NAMES[self.grade]))

    def set_note(self, note: str) -> Outcome:
        """The note typed at the station: kept with the next item received."""
        self.note = note.strip()[:200]
        return Outcome(True, _("Note for the next item: {note}").format(note=self.note),
                       self.prompt())

    def on_scan(self, item: Classified) -> Outcome:
        if item.kind == "command" and item.value == "GRADE":
            grade = (item.argument or "").lower()
            if grade not in GRADES:
                raise Refusal("bad_grade", "Unknown grade {grade}: restock, quarantine or scrap",
                              grade=grade)
            self.grade = grade
            return Outcome(True, _("Grade: {grade}").format(grade=_(GRADE_NAMES[grade])),
                           self.prompt())
        if item.kind == "command" and item.value == "DONE":
            return self._finish()
        if item.kind == "command" and item.value == "CANCEL":
            return self._abandon()
        if item.kind not in ("tracking", "order", "item"):
            raise Refusal("unexpected", "Not expected here: {scanned}", scanned=item.value)
        if self.parcel is None:
            return self._arrive(item)
        if item.kind != "item":
            raise Refusal("return_open", "Return R{r} is open: scan its items, then CMD:DONE "
                          "(or CMD:CANCEL while nothing is received)", r=self.parcel.id)
        return self._receive(item.value)

    def _is_item(self, code: str) -> bool:
        return self.floor.run(self.actor, lambda conn: conn.execute(
            select(BARCODES.c.sku).where(BARCODES.c.code == code)).first() is not None)

    def _arrive(self, item: Classified) -> Outcome:
        if item.kind == "item" and self._is_item(item.value):
            raise Refusal("parcel_first", "{scanned} is an item: scan the return parcel first",
                          scanned=item.value)
        # the core decides whether an unknown code is a return's tracking number, as for the
        # CLI's `return receive` (one rule: a courier's shape, printable, nothing else it is)
        self.parcel = arrive(self.floor, self.actor, item.value)
        self.grade, self.note = "restock", ""
        self.trail = self._trail_line(self.parcel)
        if self.parcel.source == "station":
            self.awaiting_ack = True
            return Outcome(False, _("NO REGISTRATION: return R{r} received anyway, case C{c} "
                                    "opened").format(r=self.parcel.id, c=self.parcel.case_id),
                           self.prompt(), alert=True, code="unregistered_return",
                           data={"case": self.parcel.case_id})
        reason = self.parcel.reason or "-"
        return Outcome(True, _("Return R{r} for order {o}: {reason}").format(
            r=self.parcel.id, o=self.parcel.order_no or "-", reason=reason), self.prompt())

    def _trail_line(self, parcel: ReturnView) -> str:
        if parcel.order_id is None:
            return ""
        oid = parcel.order_id

        def read(conn: Connection) -> str:
            found = investigate_order(conn, self.floor.config, oid, "other")
            people = " · ".join(f"{_(PEOPLE_NAMES[role])} {code}"
                                for role, code in found.people.items()
                                if role in ("picker", "verifier", "packer"))
            weight = "-" if found.weight_g is None else f"{found.weight_g:.0f}"
            return _("{people} · weighed {w} g (expected {e:.0f} g)").format(
                people=people or "-", w=weight, e=found.expected_g)

        return self.floor.run(self.actor, read)

    def _receive(self, code: str) -> Outcome:
        assert self.parcel is not None
        self.parcel, sku, flagged = receive_item(self.floor, self.actor, self.parcel.id, code,
                                                 self.grade, self.note)
        self.note = ""
        if flagged:
            self.awaiting_ack = True
            grade = "quarantine" if self.grade == "restock" else self.grade  # held, not sold
            return Outcome(False, _("NOT DECLARED: {sku} is more than the buyer declared — "
                                    "received as {grade}, a case opens at CMD:DONE").format(
                sku=sku, grade=_(GRADE_NAMES[grade])), self.prompt(), alert=True,
                code="return_mismatch")
        return Outcome(True, _("{sku} ✓ {grade}").format(sku=sku, grade=_(GRADE_NAMES[self.grade])),
                       self.prompt())

    def _finish(self) -> Outcome:
        if self.parcel is None:
            raise Refusal("no_return", "Scan the return parcel first")
        done = finish_return(self.floor, self.actor, self.parcel.id)
        self.parcel, self.trail = None, ""
        if done.flags:
            self.awaiting_ack = True
            flags = "; ".join(_("{sku}: declared {declared}, received {received}").format(
                sku=sku, declared=want, received=got) for sku, want, got in view_differences(done))
            return Outcome(False, _("RETURN DIFFERS: {flags} — case C{c}").format(
                flags=flags, c=done.case_id), self.prompt(), alert=True,
                code="return_mismatch", data={"case": done.case_id, "return": done.id})
        return Outcome(True, _("Return R{r} received: finance is told to refund").format(r=done.id),
                       self.prompt(), data={"return": done.id})

    def _abandon(self) -> Outcome:
        if self.parcel is None:
            raise Refusal("no_return", "No return open: nothing to cancel")
        left = abandon_return(self.floor, self.actor, self.parcel.id)
        r, self.parcel, self.trail, self.note = self.parcel.id, None, "", ""
        text = (_("Return R{r} cancelled: its parcel is still expected") if left == EXPECTED
                else _("Return R{r} cancelled, its case closed"))
        return Outcome(True, text.format(r=r), self.prompt(), data={"return": r})

    def do_logout(self) -> Outcome:
        self.parcel, self.trail, self.note = None, "", ""
        return super().do_logout()
