"""``cups://queue`` — a raw CUPS queue: python-escpos's CupsPrinter with pycups, else ``lp``."""

from __future__ import annotations

import shutil
import subprocess
from urllib.parse import SplitResult, unquote

from escpos.exceptions import DeviceNotFoundError
from escpos.printer import CupsPrinter

from printers.connections import Connection, PrinterURLError, PrintJob


class CupsConnection(Connection):
    """One CUPS job per slip. The queue must be raw (no driver), as for any ESC/POS printer."""

    def __init__(self, url: str, parts: SplitResult, timeout: float) -> None:
        super().__init__(url)
        self.queue = unquote(parts.netloc + parts.path).strip("/")
        if not self.queue:
            raise PrinterURLError(f"cups printer URL needs a queue name: {url!r}")
        self.timeout = timeout
        self._cups: CupsPrinter | None = None
        self._lp: str | None = None

    def open(self) -> None:
        if CupsPrinter.is_usable():
            printer = CupsPrinter(printer_name=self.queue)
            try:
                printer.open(raise_not_found=True)
            except (DeviceNotFoundError, RuntimeError) as exc:
                raise self.offline(exc) from exc
            self._cups = printer
            return
        self._lp = shutil.which("lp")
        if self._lp is None:
            raise self.offline("neither pycups nor the lp command is installed")

    def send(self, job: PrintJob) -> None:
        if self._cups is None and self._lp is None:
            self.open()
        if self._cups is not None:
            self._cups._raw(job.data)
            try:
                self._cups.send()
            except RuntimeError as exc:
                raise self.offline(exc) from exc
            self._cups.open(job_name=job.name)  # send() closed the job; start the next one
            return
        assert self._lp is not None
        try:
            result = subprocess.run(
                [self._lp, "-d", self.queue, "-o", "raw", "-t", job.name, "-"],
                input=job.data,
                capture_output=True,
                timeout=self.timeout,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise self.offline(exc) from exc
        if result.returncode != 0:
            raise self.offline(result.stderr.decode(errors="replace").strip() or "lp failed")

    def close(self) -> None:
        cups, self._cups = self._cups, None
        self._lp = None
        if cups is not None:
            cups.close()
