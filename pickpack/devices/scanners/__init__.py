"""Scanner sources: one module per transport, each yielding ``pickpack.scan.Scan`` values.

The keyboard wedge lives in the station app (it reads the terminal); this package gives it the
pure ``WedgeBurst`` detector. ``open_scanner`` builds the source named by ``[scanner] source``.
"""

from __future__ import annotations

import threading
from collections.abc import Generator
from typing import Protocol, runtime_checkable

from pickpack.config import ScannerConfig
from pickpack.devices.errors import DeviceError
from pickpack.scan import Scan, strip_aim


@runtime_checkable
class ScannerSource(Protocol):
    """A blocking reader of scans that ends soon (≤ 0.5 s) after ``stop`` is set.

    Run it in a thread worker and put each scan into the station's queue.
    """

    name: str

    def scans(self, stop: threading.Event) -> Generator[Scan, None, None]:
        """Yield scans as they arrive until ``stop`` is set."""
        ...


def make_scan(raw: str, source: str) -> Scan:
    """A Scan with any AIM identifier moved into ``symbology``; GS (ASCII 29) is kept."""
    code, symbology = strip_aim(raw)
    return Scan(code=code, source=source, symbology=symbology)


def open_scanner(cfg: ScannerConfig) -> ScannerSource:
    """The source named by ``cfg.source``. ``keyboard`` has no source here: the app reads keys."""
    if cfg.source == "evdev":
        from pickpack.devices.scanners.evdev import EvdevScanner

        return EvdevScanner(cfg.device)
    if cfg.source == "serial":
        from pickpack.devices.scanners.serial import SerialScanner

        return SerialScanner(cfg.device, baudrate=cfg.baudrate, terminator=cfg.terminator)
    raise DeviceError(
        f"scanner source {cfg.source!r} is read by the station app (keyboard wedge), "
        "not by a device source"
    )


__all__ = ["ScannerSource", "make_scan", "open_scanner"]
