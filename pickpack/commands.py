"""Every station action as a command barcode (``CMD:…``), and the printed command sheets.

Scan-only terminals do everything by scanning the station's printed command sheet; every key a
station screen binds sends one of these codes through the same path as a scan. Each station flow
declares the commands it takes in its class attribute ``COMMANDS`` (a tuple of
:class:`CommandSpec`, built from the pieces below); the sheets are made from those declarations,
so a sheet lists exactly what its station takes (one source of truth). This module must not
import Textual. Labels are marked for translation (``N_``) and translated where they are shown
or printed.
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pickpack.core.lifecycle import STATION_NAMES
from pickpack.core.overrides import REASONS
from pickpack.core.pack import CARTONS
from pickpack.i18n import DOMAIN, LOCALE_DIR, N_

if TYPE_CHECKING:
    from printers import CommandSheet

Command = tuple[str, str]
"""(label, code without the ``CMD:`` prefix)."""


@dataclass(frozen=True, slots=True)
class CommandSpec:
    """One command a station takes: ``code`` without the prefix (``DONE``, ``QTY:2``,
    ``R:R1``), a short ``label`` and what it ``does`` (both marked ``N_``, translated when shown;
    ``detail`` is an untranslated addition such as a carton size)."""

    code: str
    label: str
    does: str = ""
    detail: str = ""


LOGOUT = CommandSpec("LOGOUT", N_("Log out"), N_("End your shift at this station"))
OK = CommandSpec("OK", N_("Acknowledge alert"), N_("Clears a red alert and does nothing else"))
COMMON: tuple[CommandSpec, ...] = (OK, LOGOUT)
"""Every station takes these (the base flow handles them)."""

CANCEL_OVERRIDE = CommandSpec("CANCEL", N_("Cancel"), N_("Cancels an override in progress"))
ACCEPT = CommandSpec("ACCEPT", N_("Override: accept weight"),
                     N_("Supervisor: accept the weight (badge, PIN, reason)"))
RELEASE = CommandSpec("RELEASE", N_("Override: release hold"),
                      N_("Supervisor: release the hold (badge, PIN, reason)"))
SHORT = CommandSpec("SHORT", N_("Override: ship short"),
                    N_("Supervisor: ship what was counted (badge, PIN, reason)"))
REASON_CODES: tuple[CommandSpec, ...] = tuple(
    CommandSpec(f"R:{code}", N_("Reason"), text, detail=code) for code, text in REASONS.items()
)
"""Scanned after a supervisor's badge to say why the override is taken."""
OVERRIDES: tuple[CommandSpec, ...] = (ACCEPT, RELEASE, SHORT, *REASON_CODES)
"""The supervisor overrides (the base flow runs them) with their reason codes."""

QUANTITIES = (2, 3, 4, 5, 6, 10, 12, 20)
QUANTITY_CODES: tuple[CommandSpec, ...] = tuple(
    CommandSpec(f"QTY:{n}", N_("Quantity"), N_("The next item scan counts this many times"),
                detail=f"×{n}") for n in QUANTITIES
)
CARTON_CODES: tuple[CommandSpec, ...] = tuple(
    CommandSpec(f"CARTON:{c}", N_("Carton"), N_("Packs the open order in this carton"), detail=c)
    for c in CARTONS
)



def station_commands(mode: str) -> tuple[CommandSpec, ...]:
    """The commands the ``mode`` station's flow declares (ValueError for an unknown mode)."""
    from pickpack.core.flows.modes import FLOWS  # the flows import this module

    try:
        return FLOWS[mode].COMMANDS
    except KeyError:
        raise ValueError(f"no station flow for mode {mode!r}") from None


def codes(mode: str, prefix: str = "CMD:") -> list[str]:
    """The full barcodes (``CMD:DONE``…) a station understands."""
    return [prefix + spec.code for spec in station_commands(mode)]


def translator(language: str) -> gettext.NullTranslations:
    """The catalog of ``language`` (English for ``en`` or a language with no catalog), without
    switching the process's language."""
    if language == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)


def label(spec: CommandSpec, tr: gettext.NullTranslations) -> str:
    """The line printed over a command's barcode: its translated label and detail."""
    return f"{tr.gettext(spec.label)} {spec.detail}".strip()


def command_sheet(mode: str, language: str, prefix: str = "CMD:") -> CommandSheet:
    """The printable sheet of the ``mode`` station, in ``language``: one barcode per command
    its flow declares, labelled, with what it does."""
    from printers import CommandSheet

    tr = translator(language)
    specs = station_commands(mode)
    title = tr.gettext(N_("{station} station — command barcodes")).format(
        station=tr.gettext(STATION_NAMES.get(mode, mode)))
    return CommandSheet(
        mode,
        tuple((label(spec, tr), prefix + spec.code) for spec in specs),
        title,
        tuple(tr.gettext(spec.does) for spec in specs),
    )


_REASON_TEXTS = (
    N_("packaging differs from standard"), N_("scale or item weight data wrong"),
    N_("customer agreed (short or split shipment)"), N_("audit problem resolved"),
    N_("stock shortage confirmed, ship what is there"),
)
"""The reason codes' texts (:data:`pickpack.core.overrides.REASONS`) marked for the catalog:
a sheet prints them translated; a text changed there prints in English until translated."""


def __getattr__(name: str) -> dict[str, list[Command]]:
    """``COMMANDS``: station mode → (label, code) of every command it takes (from the flows)."""
    if name == "COMMANDS":
        from pickpack.core.flows.modes import FLOWS

        return {mode: [(spec.label, spec.code) for spec in flow.COMMANDS]
                for mode, flow in FLOWS.items()}
    raise AttributeError(name)
