"""What an import reports: counts, and the rows it refused (file, row, field, message)."""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_LISTED = 20
"""ImportFailed's message lists this many errors, then says how many more there are."""


@dataclass(frozen=True, slots=True)
class RowError:
    """One refused row (``row`` is the 1-based line in the file; 0 means the file as a whole)."""

    file: str
    row: int
    field: str
    message: str

    def __str__(self) -> str:
        where = self.file if self.row <= 0 else f"{self.file} row {self.row}"
        return f"{where}, {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class ImportFailed(Exception):
    """The input was refused and nothing was written; ``errors`` says where and why."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = list(errors)
        lines = [str(e) for e in self.errors[:MAX_LISTED]]
        if len(self.errors) > MAX_LISTED:
            lines.append(f"… and {len(self.errors) - MAX_LISTED} more errors")
        super().__init__("\n".join(lines) or "import failed")


@dataclass(slots=True)
class ImportResult:
    """Counts of one import. ``skipped`` rows were bad and left out (``--skip-bad``)."""

    what: str
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    cancelled: int = 0
    intercepted: int = 0
    skipped: int = 0
    lines: int = 0
    """Order lines (orders) or barcodes (catalog) written."""
    errors: list[RowError] = field(default_factory=list)

    def summary(self) -> str:
        """One line for people: ``orders: 300 new, 0 updated, …``."""
        parts = [f"{self.inserted} new", f"{self.updated} updated", f"{self.unchanged} unchanged"]
        if self.what == "orders":
            parts += [f"{self.lines} lines", f"{self.cancelled} cancelled",
                      f"{self.intercepted} intercepted"]
        elif self.what == "catalog":
            parts.append(f"{self.lines} barcodes")
        if self.skipped or self.errors:
            parts.append(f"{self.skipped} bad rows skipped")
        return f"{self.what}: " + ", ".join(parts)
