"""Every station action as a command barcode (``CMD:…``), per station mode.

Scan-only terminals do everything by scanning the station's printed command sheet; every key a
station screen binds sends one of these codes through the same path as a scan. The print helper
imports ``COMMANDS`` to print the sheets, so this module must not import Textual.
Labels are marked for translation (``N_``) and translated where they are shown or printed.
"""

from __future__ import annotations

from pickpack.core.overrides import REASONS
from pickpack.core.pack import CARTONS
from pickpack.i18n import N_

Command = tuple[str, str]
"""(label, code without the ``CMD:`` prefix)."""

COMMON: list[Command] = [(N_("Acknowledge alert"), "OK"), (N_("Log out"), "LOGOUT")]
CANCEL: Command = (N_("Cancel / put aside"), "CANCEL")
OVERRIDES: list[Command] = [
    (N_("Override: accept weight"), "ACCEPT"),
    (N_("Override: release hold"), "RELEASE"),
    (N_("Override: ship short"), "SHORT"),
    *((N_("Reason") + f" {code}", f"R:{code}") for code in REASONS),
]

COMMANDS: dict[str, list[Command]] = {
    "pick": [*COMMON, CANCEL, (N_("Pick done"), "DONE")],
    "verify": [
        *COMMON,
        CANCEL,
        (N_("Undo last scan"), "UNDO"),
        (N_("Count again"), "RESET"),
        (N_("Hold order"), "HOLD"),
        *((N_("Quantity") + f" {n}", f"QTY:{n}") for n in (2, 3, 4, 5, 6, 10, 12, 20)),
        *OVERRIDES,
    ],
    "pack": [*COMMON, CANCEL, *((N_("Carton") + f" {c}", f"CARTON:{c}") for c in CARTONS), *OVERRIDES],
    "weigh": [*COMMON, CANCEL, *OVERRIDES],
    "ship": [*COMMON, (N_("Close manifest"), "CLOSE")],
}
"""Station mode → (label, code) for every action that station takes."""


def codes(mode: str, prefix: str = "CMD:") -> list[str]:
    """The full barcodes (``CMD:DONE``…) a station understands."""
    return [prefix + code for _label, code in COMMANDS.get(mode, [])]
