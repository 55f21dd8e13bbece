"""What an import reports: counts, and the rows it refused (file, row, field, message)."""

from __future__ import annotations

from dataclasses import dataclass, field

from pickpack.i18n import N_, _

MAX_LISTED = 20
SUMMARY_WORDS = {"orders": N_("orders: {counts}"), "catalog": N_("catalog: {counts}"),
                 "waybills": N_("waybills: {counts}"), "refunds": N_("refunds: {counts}"),
                 "tracking": N_("tracking: {counts}")}
"""The summary line of each import, in words."""
"""ImportFailed's message lists this many errors, then says how many more there are."""


@dataclass(frozen=True, slots=True)
class RowError:
    """One refused row (``row`` is the 1-based line in the file; 0 means the file as a whole).

    ``message`` is the English text (kept in ``import_rejected`` events). A message made with
    ``RowError.of`` also keeps its catalogue template and values, so it is shown in the
    reader's language with the values put in; a message without them is translated whole.
    """

    file: str
    row: int
    field: str
    message: str
    template: str = ""
    params: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, file: str, row: int, field: str, template: str, **params: object) -> RowError:
        """A row error from a catalogue ``template`` (marked with ``N_``) and its values."""
        if not params:
            return cls(file, row, field, template)
        values = tuple((k, str(v)) for k, v in params.items())
        return cls(file, row, field, template.format(**dict(values)), template, values)

    def __str__(self) -> str:
        where = self.file if self.row <= 0 else _("{file} row {row}").format(file=self.file,
                                                                               row=self.row)
        message = (_(self.template).format(**dict(self.params)) if self.template
                   else _(self.message))  # the catalogue's words where the message is fixed
        field = self.field.replace(OR, _(OR))  # a missing column named by all its aliases
        if field.startswith(_COLUMN) and field[len(_COLUMN):].isdigit():
            field = _("column {n}").format(n=field[len(_COLUMN):])
        return f"{where}, {field}: {message}" if field else f"{where}: {message}"


OR = N_(" or ")
"""Between the aliases of a missing column (``主订单编号 or 订单编号``)."""
_COLUMN = "column "
"""A field named by its position (a cell past the header): ``column 12``."""


class ImportFailed(Exception):
    """The input was refused and nothing was written; ``errors`` says where and why."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = list(errors)
        lines = [str(e) for e in self.errors[:MAX_LISTED]]
        if len(self.errors) > MAX_LISTED:
            lines.append(_("… and {n} more errors").format(n=len(self.errors) - MAX_LISTED))
        super().__init__("\n".join(lines) or _("import failed"))


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
        parts = [_("{n} new").format(n=self.inserted), _("{n} updated").format(n=self.updated),
                 _("{n} unchanged").format(n=self.unchanged)]
        if self.what == "orders":
            parts += [_("{n} lines").format(n=self.lines),
                      _("{n} cancelled").format(n=self.cancelled),
                      _("{n} intercepted").format(n=self.intercepted)]
        elif self.what == "catalog":
            parts.append(_("{n} barcodes").format(n=self.lines))
        if self.skipped or self.errors:
            parts.append(_("{n} bad rows skipped").format(n=self.skipped))
        line = SUMMARY_WORDS.get(self.what, f"{self.what}: {{counts}}")
        return _(line).format(counts=", ".join(parts))
