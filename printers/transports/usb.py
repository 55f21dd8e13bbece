"""``usb://VID:PID`` — USB printer-class devices through python-escpos and pyusb.

Options: ``?interface=0&in_ep=0x82&out_ep=0x01`` for printers with unusual endpoints. Linux
users need read/write access to the device (a udev rule), or the usblp node via ``file://``.
"""

from __future__ import annotations

from urllib.parse import SplitResult

from escpos.exceptions import DeviceNotFoundError, USBNotFoundError
from escpos.printer import Usb
from usb.core import NoBackendError

from printers.connections import Connection, PrinterError, PrinterURLError, PrintJob, query


def parse_ids(netloc: str, url: str) -> tuple[int, int]:
    """'04b8:0202' → (0x04b8, 0x0202); vendor and product ids are hexadecimal."""
    try:
        vid, pid = netloc.split(":")
        return int(vid, 16), int(pid, 16)
    except ValueError:
        raise PrinterURLError(f"usb printer URL needs hex VID:PID: {url!r}") from None


class UsbConnection(Connection):
    """A claimed USB interface; released on close so the next job (or process) can claim it."""

    def __init__(self, url: str, parts: SplitResult, timeout: float) -> None:
        super().__init__(url)
        self.vendor, self.product = parse_ids(parts.netloc, url)
        self.usb_args: dict[str, int] = {}
        opts = query(parts)
        try:
            for key in ("interface", "in_ep", "out_ep"):
                if key in opts:
                    self.usb_args[key] = int(opts[key], 0)
        except ValueError as exc:
            raise PrinterURLError(f"bad usb option in {url!r}: {exc}") from exc
        self.timeout_ms = int(timeout * 1000)
        self._printer: Usb | None = None

    def open(self) -> None:
        if not Usb.is_usable():
            raise PrinterError("usb:// printers need pyusb (pip install pyusb) and libusb")
        printer = Usb(self.vendor, self.product, timeout=self.timeout_ms, **self.usb_args)
        try:
            printer.open(raise_not_found=True)
        except NoBackendError as exc:
            raise PrinterError(
                f"{self.url}: no libusb backend for pyusb (apt-get install libusb-1.0-0)"
            ) from exc
        except (DeviceNotFoundError, USBNotFoundError, OSError) as exc:
            raise self.offline(exc) from exc
        self._printer = printer

    def send(self, job: PrintJob) -> None:
        if self._printer is None:
            self.open()
        assert self._printer is not None
        try:
            self._printer._raw(job.data)
        except OSError as exc:  # usb.core.USBError is an OSError: unplugged, timed out
            raise self.offline(exc) from exc

    def close(self) -> None:
        printer, self._printer = self._printer, None
        if printer is not None:
            printer.close()
