"""Printer connections chosen by URL, one small module per transport.

``usb://VID:PID``, ``tcp://host:9100``, ``serial:///dev/ttyS0?baudrate=19200``,
``file:///dev/usb/lp0``, ``cups://queue``, ``preview://DIR`` (relative) or ``preview:///abs/dir``.

Every transport takes finished :class:`PrintJob` values (ESC/POS bytes plus the document, which
only the preview looks at). Anything that keeps the bytes from the printer (off, refused,
unplugged, no such queue) raises :class:`PrinterOffline`; devices are released by ``with``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from types import TracebackType
from urllib.parse import SplitResult, parse_qs, urlsplit

from printers.doc import Document

SCHEMES = ("usb", "tcp", "serial", "file", "cups", "preview")


class PrinterError(Exception):
    """A printer could not be used."""


class PrinterURLError(PrinterError, ValueError):
    """The printer URL is malformed or names an unknown transport."""


class PrinterOffline(PrinterError):
    """The printer did not take the job: off, unplugged, refused, timed out or unknown queue."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"printer {url} is offline: {reason}")
        self.url = url
        self.reason = reason


@dataclass(frozen=True)
class PrintJob:
    """One slip ready to print: its name, the ESC/POS bytes and the document they came from."""

    name: str
    data: bytes
    doc: Document | None = None


class Connection(ABC):
    """An open line to one printer; use as a context manager so the device is released."""

    def __init__(self, url: str) -> None:
        self.url = url

    @abstractmethod
    def open(self) -> None:
        """Reach the printer; raises :class:`PrinterOffline`."""

    @abstractmethod
    def send(self, job: PrintJob) -> None:
        """Hand one job to the printer; raises :class:`PrinterOffline`."""

    @abstractmethod
    def close(self) -> None:
        """Release the device (safe to call twice)."""

    def offline(self, reason: object) -> PrinterOffline:
        """The exception to raise for this printer, with ``reason`` (an error or a text)."""
        return PrinterOffline(self.url, str(reason) or type(reason).__name__)

    def __enter__(self) -> Connection:
        self.open()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def query(parts: SplitResult) -> dict[str, str]:
    """The URL's query as single values (the last one wins)."""
    return {key: values[-1] for key, values in parse_qs(parts.query).items()}


def connect(url: str, timeout: float = 5.0) -> Connection:
    """The connection for ``url`` (not yet open: ``with connect(url) as printer: ...``)."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "tcp":
        from printers.transports.tcp import TcpConnection

        return TcpConnection(url, parts, timeout)
    if scheme == "usb":
        from printers.transports.usb import UsbConnection

        return UsbConnection(url, parts, timeout)
    if scheme == "serial":
        from printers.transports.serial import SerialConnection

        return SerialConnection(url, parts, timeout)
    if scheme == "file":
        from printers.transports.file import FileConnection

        return FileConnection(url, parts)
    if scheme == "cups":
        from printers.transports.cups import CupsConnection

        return CupsConnection(url, parts, timeout)
    if scheme == "preview":
        from printers.transports.preview import PreviewConnection

        return PreviewConnection(url, parts)
    raise PrinterURLError(f"unknown printer URL {url!r}: use one of {', '.join(SCHEMES)}")
