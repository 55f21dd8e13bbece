"""``tcp://host:9100`` — network printers on the raw (JetDirect) port."""

from __future__ import annotations

import socket
from urllib.parse import SplitResult

from printers.connections import Connection, PrinterURLError, PrintJob, query

DEFAULT_PORT = 9100


class TcpConnection(Connection):
    """A plain socket with a timeout, so a printer that is off fails fast instead of hanging."""

    def __init__(self, url: str, parts: SplitResult, timeout: float) -> None:
        super().__init__(url)
        if not parts.hostname:
            raise PrinterURLError(f"tcp printer URL needs a host: {url!r}")
        try:
            self.port = parts.port or DEFAULT_PORT
        except ValueError as exc:
            raise PrinterURLError(f"bad port in {url!r}") from exc
        self.host = parts.hostname
        self.timeout = float(query(parts).get("timeout", timeout))
        self._sock: socket.socket | None = None

    def open(self) -> None:
        try:
            self._sock = socket.create_connection((self.host, self.port), timeout=self.timeout)
        except OSError as exc:
            raise self.offline(exc) from exc

    def send(self, job: PrintJob) -> None:
        if self._sock is None:
            self.open()
        assert self._sock is not None
        try:
            self._sock.sendall(job.data)
        except OSError as exc:
            raise self.offline(exc) from exc

    def close(self) -> None:
        sock, self._sock = self._sock, None
        if sock is None:
            return
        try:
            sock.shutdown(socket.SHUT_WR)  # the printer sees the end of the job
        except OSError:
            pass  # already reset by the printer: nothing left to flush
        finally:
            sock.close()
