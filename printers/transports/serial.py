"""``serial:///dev/ttyS0?baudrate=19200`` — RS-232 printers through pyserial."""

from __future__ import annotations

from urllib.parse import SplitResult, unquote

import serial

from printers.connections import Connection, PrinterURLError, PrintJob, query


class SerialConnection(Connection):
    """A pyserial port; a write that the printer does not take in time is an offline printer.

    Query options: ``baudrate`` (9600), ``bytesize`` (8), ``parity`` (N), ``stopbits`` (1),
    ``rtscts`` and ``xonxoff`` (0/1: flow control, which is how a busy printer says wait).
    """

    def __init__(self, url: str, parts: SplitResult, timeout: float) -> None:
        super().__init__(url)
        self.port = unquote(parts.netloc + parts.path)
        if not self.port:
            raise PrinterURLError(f"serial printer URL needs a port: {url!r}")
        opts = query(parts)
        try:
            self.settings = {
                "baudrate": int(opts.get("baudrate", 9600)),
                "bytesize": int(opts.get("bytesize", 8)),
                "parity": opts.get("parity", "N").upper(),
                "stopbits": float(opts.get("stopbits", 1)),
                "rtscts": opts.get("rtscts", "0") in ("1", "true", "yes"),
                "xonxoff": opts.get("xonxoff", "0") in ("1", "true", "yes"),
            }
        except ValueError as exc:
            raise PrinterURLError(f"bad serial option in {url!r}: {exc}") from exc
        self.timeout = timeout
        self._port: serial.Serial | None = None

    def open(self) -> None:
        try:
            self._port = serial.serial_for_url(
                self.port, timeout=self.timeout, write_timeout=self.timeout, **self.settings
            )
        except (OSError, ValueError, serial.SerialException) as exc:
            raise self.offline(exc) from exc

    def send(self, job: PrintJob) -> None:
        if self._port is None:
            self.open()
        assert self._port is not None
        try:
            self._port.write(job.data)
            self._port.flush()
        except (OSError, serial.SerialException) as exc:
            raise self.offline(exc) from exc

    def close(self) -> None:
        port, self._port = self._port, None
        if port is not None:
            port.close()
