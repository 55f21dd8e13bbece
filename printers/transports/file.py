"""``file:///dev/usb/lp0`` — a device node (usblp, parallel port) or any file."""

from __future__ import annotations

from typing import BinaryIO
from urllib.parse import SplitResult, unquote

from printers.connections import Connection, PrinterURLError, PrintJob


class FileConnection(Connection):
    """Writes the bytes to the path and flushes after every job."""

    def __init__(self, url: str, parts: SplitResult) -> None:
        super().__init__(url)
        self.path = unquote(parts.netloc + parts.path)
        if not self.path:
            raise PrinterURLError(f"file printer URL needs a path: {url!r}")
        self._file: BinaryIO | None = None

    def open(self) -> None:
        try:
            self._file = open(self.path, "ab")  # noqa: SIM115 - closed by close()
        except OSError as exc:
            raise self.offline(exc) from exc

    def send(self, job: PrintJob) -> None:
        if self._file is None:
            self.open()
        assert self._file is not None
        try:
            self._file.write(job.data)
            self._file.flush()
        except OSError as exc:
            raise self.offline(exc) from exc

    def close(self) -> None:
        file, self._file = self._file, None
        if file is not None:
            try:
                file.close()
            except OSError as exc:
                raise self.offline(exc) from exc
