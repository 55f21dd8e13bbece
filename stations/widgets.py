"""Widgets the stations share: an order's lines in a table, the remarks banner, a key-entry field.

Data on screen (names, codes, remarks) is rich ``Text``, never markup: an imported name of
``[/]`` is shown as it is instead of ending the app with a MarkupError.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.message import Message
from textual.widgets import DataTable, Input, Static

from pickpack.app.wedge import KEY_ENTRY
from pickpack.core.lifecycle import state_name
from pickpack.core.orders import LineView, OrderView
from pickpack.i18n import N_, _
from pickpack.text import glyph, screen_text

COLUMNS = {
    "bin": N_("Bin"), "sku": N_("SKU"), "name": N_("Item"), "variant": N_("Variant"),
    "qty": N_("Qty"), "scanned": N_("Scanned"), "check": "",
}


def cell(line: LineView, column: str) -> Text:
    """A cell as Text: DataTable would read a str cell as markup."""
    if column == "check":
        return screen_text(glyph("done") if line.scanned >= line.qty else "")
    return screen_text(str(getattr(line, column)))


class LinesTable(DataTable[Text]):
    """An order's lines; ``columns`` picks which (pick: bins first; verify: counts)."""

    def __init__(self, columns: tuple[str, ...], *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id, cursor_type="row", zebra_stripes=True, show_cursor=False)
        self.columns_shown = columns

    def on_mount(self) -> None:
        for column in self.columns_shown:
            self.add_column(_(COLUMNS[column]), key=column)

    def show(self, order: OrderView | None) -> None:
        """Replace the rows with the order's lines (none when there is no order)."""
        self.clear()
        if order is None:
            return
        for line in order.lines:
            self.add_row(*(cell(line, c) for c in self.columns_shown), key=str(line.id))


class Remarks(Static):
    """Buyer remark and seller memo, shown so they cannot be missed (``-has`` when present)."""

    def show(self, order: OrderView | None) -> None:
        parts = []
        if order is not None and order.buyer_remark:
            parts.append(_("Buyer remark: {text}").format(text=order.buyer_remark))
        if order is not None and order.seller_memo:
            parts.append(_("Seller memo: {text}").format(text=order.seller_memo))
        self.update(screen_text("\n".join(parts)))
        self.set_class(bool(parts), "-has")


def order_title(order: OrderView | None) -> Text:
    """One line about the open order: number, tracking, receiver (as Text: no markup)."""
    if order is None:
        return screen_text(_("No order open"))
    return screen_text(_("Order {o}  {courier} {tracking}  {name}  [{state}]").format(
        o=order.order_no, courier=order.courier or "-", tracking=order.tracking_no or "-",
        name=order.receiver_name, state=state_name(order.state)))


class KeyEntry(Input):
    """A field a key opens for something typed, never scanned (a weight, a note): hidden until
    :meth:`open`; Enter hides it, gives the focus back to the scan entry and posts
    :class:`KeyEntry.Typed`. A ``keyentry`` field: the wedge leaves keys typed into it alone,
    however fast they come."""

    DEFAULT_CSS = """
    KeyEntry { display: none; }
    KeyEntry.-shown { display: block; }
    """

    @dataclass
    class Typed(Message):
        """Enter in the field: what was typed (the field is empty and hidden again)."""

        entry: KeyEntry
        text: str

        @property
        def control(self) -> KeyEntry:
            return self.entry

    def __init__(self, placeholder: str, *, id: str, number: bool = False) -> None:  # noqa: A002
        super().__init__(placeholder=placeholder, id=id, type="number" if number else "text",
                         classes=KEY_ENTRY)

    def open(self) -> None:
        """Show the field and type into it."""
        self.add_class("-shown")
        self.focus()

    @on(Input.Submitted)
    def _entered(self, event: Input.Submitted) -> None:
        event.stop()
        text, self.value = event.value, ""
        self.remove_class("-shown")
        self.screen.query_one("#entry", Input).focus()
        self.post_message(self.Typed(self, text))
