"""``preview://DIR`` / ``preview:///abs/dir`` — slips as files a person can look at.

Each job writes ``NAME.png`` (printer resolution), ``NAME.txt`` (as the lines fall on paper)
and ``NAME.escpos`` (the exact bytes, to replay on a real printer: ``cat x.escpos > /dev/usb/lp0``).
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import SplitResult, unquote

from printers.connections import Connection, PrinterError, PrinterURLError, PrintJob
from printers.preview import render_image, render_text


def safe_name(name: str) -> str:
    """A file name from a job name: letters, digits, '-', '_' and '.' (others become '_')."""
    return re.sub(r"[^\w.-]", "_", name, flags=re.ASCII).strip("._") or "slip"


class PreviewConnection(Connection):
    """A directory standing in for a printer; a slip with the same name is overwritten."""

    def __init__(self, url: str, parts: SplitResult) -> None:
        super().__init__(url)
        path = unquote(parts.netloc + parts.path)
        if not path:
            raise PrinterURLError(f"preview URL needs a directory: {url!r}")
        self.directory = Path(path)
        self.written: list[Path] = []
        """PNG files written by this connection, in order."""

    def open(self) -> None:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise self.offline(exc) from exc

    def send(self, job: PrintJob) -> None:
        if job.doc is None:
            raise PrinterError(f"{self.url}: a preview needs the job's document")
        name = safe_name(job.name)
        png = self.directory / f"{name}.png"
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            render_image(job.doc).save(png)
            (self.directory / f"{name}.txt").write_text(render_text(job.doc), encoding="utf-8")
            (self.directory / f"{name}.escpos").write_bytes(job.data)
        except OSError as exc:
            raise self.offline(exc) from exc
        self.written.append(png)

    def close(self) -> None:
        """Nothing is held open between jobs."""
