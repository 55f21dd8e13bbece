"""The supervisor's PIN field: shown after a supervisor's badge, masked, and owning its keys.

A badge is a barcode anyone can copy; the PIN is what proves a supervisor. The field carries the
``keyentry`` class, so the keyboard-wedge detector leaves keys typed into it alone however fast
they come: a quickly typed PIN is never taken for a scan, and it is never shown.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import Input

from pickpack.core.authority import PIN_DIGITS
from pickpack.i18n import _


class PinField(Input):
    """Masked digits; hidden until the flow asks for a PIN (the ``-shown`` class)."""

    DEFAULT_CSS = """
    PinField { display: none; }
    PinField.-shown { display: block; }
    """

    def __init__(self, said: Callable[[str], str] = str) -> None:
        """``said``: the station's hint as ``[keys]`` puts its keys (the cancel key)."""
        super().__init__(placeholder=said(_("Supervisor PIN, then Enter (Esc cancels)")),
                         password=True,
                         restrict=r"[0-9]*", max_length=PIN_DIGITS[1], id="pin",
                         classes="keyentry")

    def show(self, wanted: bool) -> bool:
        """Show (and focus) or hide the field; True when that changed its state."""
        if wanted == self.has_class("-shown"):
            return False
        self.set_class(wanted, "-shown")
        self.value = ""
        return True
