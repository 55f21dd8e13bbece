"""Slips on paper: layouts in, ESC/POS bytes out to a printer connection.

Pure: this package imports nothing of PickPack's. The core hands it layout dataclasses
(:mod:`printers.layouts`) and a printer URL; it composes a document (:mod:`printers.compose`),
renders it to ESC/POS (:mod:`printers.escpos_render`, Chinese as GB18030) and sends it over the
connection the URL names (:mod:`printers.connections`).

    from printers import ExpressSlip, PrinterSetup, print_slip
    print_slip(slip, "tcp://192.168.1.50:9100", PrinterSetup(paper_mm=80))
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from printers.compose import Layout, compose
from printers.connections import (
    Connection,
    PrinterError,
    PrinterOffline,
    PrinterURLError,
    PrintJob,
    connect,
)
from printers.layouts import (
    CommandSheet,
    ExpressSlip,
    Manifest,
    PackingLine,
    PackingSlip,
    PickLine,
    PickList,
    mask_name,
    mask_phone,
)

if TYPE_CHECKING:
    from printers.escpos_render import PrinterSetup

__all__ = [
    "CommandSheet",
    "Connection",
    "ExpressSlip",
    "Layout",
    "Manifest",
    "PackingLine",
    "PackingSlip",
    "PickLine",
    "PickList",
    "PrintJob",
    "PrinterError",
    "PrinterOffline",
    "PrinterSetup",
    "PrinterURLError",
    "compose",
    "connect",
    "make_job",
    "mask_name",
    "mask_phone",
    "print_slip",
    "print_slips",
    "render",
]


def __getattr__(name: str) -> Any:
    """``PrinterSetup``: the renderer (python-escpos: 0.15–0.25 s to import) is loaded
    the first time something prints or sets a printer up, not by every station that starts."""
    if name == "PrinterSetup":
        from printers.escpos_render import PrinterSetup

        return PrinterSetup
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def render(layout: Layout, setup: PrinterSetup | None = None) -> bytes:
    """ESC/POS bytes for one slip."""
    return make_job(layout, setup).data


def make_job(layout: Layout, setup: PrinterSetup | None = None) -> PrintJob:
    """A finished job for one slip: composed for the paper, rendered for the printer."""
    from printers.escpos_render import PrinterSetup, render_escpos

    setup = setup or PrinterSetup()
    doc = compose(layout, setup.paper_mm)
    return PrintJob(doc.name, render_escpos(doc, setup), doc)


def print_slips(
    layouts: Iterable[Layout], url: str, setup: PrinterSetup | None = None, timeout: float = 5.0
) -> list[PrintJob]:
    """Print slips in order over one connection; raises PrinterOffline if the printer fails.

    Jobs are rendered before the printer is opened, so a bad layout never leaves a device
    claimed. Blocking: call from a worker thread, never from the UI loop.
    """
    jobs = [make_job(layout, setup) for layout in layouts]
    with connect(url, timeout) as printer:
        for job in jobs:
            printer.send(job)
    return jobs


def print_slip(
    layout: Layout, url: str, setup: PrinterSetup | None = None, timeout: float = 5.0
) -> None:
    """Print one slip to the printer at ``url`` (see :func:`printers.connections.connect`)."""
    print_slips([layout], url, setup, timeout)
