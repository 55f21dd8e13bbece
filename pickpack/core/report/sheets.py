"""Reports to files: CSV (UTF-8 with a byte-order mark, machine names in the header; one file
per table, the second and later named ``F-<table>.csv``) and xlsx (openpyxl: a sheet per table,
translated headers, header row frozen, columns as wide as their text, CJK counted double).
Every cell goes through :func:`pickpack.text.sheet_cell` (no formula runs from data)."""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path

from pickpack.core.report import Table
from pickpack.text import sheet_cell

MAX_WIDTH = 60


def text_width(s: str) -> int:
    """Columns a text takes: a wide (CJK) character counts two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def csv_paths(path: Path, tables: Sequence[Table]) -> list[Path]:
    return [path if i == 0 else path.with_name(f"{path.stem}-{t.name}{path.suffix or '.csv'}")
            for i, t in enumerate(tables)]


def write_csv(tables: Sequence[Table], path: Path) -> list[Path]:
    """Each table to its file; the paths written."""
    paths = csv_paths(path, tables)
    for table, p in zip(tables, paths, strict=True):
        with p.open("w", encoding="utf-8-sig", newline="") as out:
            writer = csv.writer(out, lineterminator="\r\n")
            writer.writerow(table.fields())
            for row in table.rows:
                writer.writerow([sheet_cell(_plain(row.get(k))) for k in table.fields()])
    return paths


def write_xlsx(tables: Sequence[Table], path: Path, head: Callable[[str], str]) -> None:
    """A workbook, a sheet per table; ``head`` translates a column's header."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for table in tables:
        sheet = book.create_sheet(table.name[:31])
        header = [head(h) for _k, h in table.columns]
        sheet.append(header)
        widths = [text_width(h) for h in header]
        for row in table.rows:
            cells = [_plain(row.get(k)) for k in table.fields()]
            sheet.append([sheet_cell(c) for c in cells])
            widths = [max(w, text_width(str(c))) for w, c in zip(widths, cells, strict=True)]
        sheet.freeze_panes = "A2"
        for i, w in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = min(w + 2, MAX_WIDTH)
    book.save(path)


def _plain(value: object) -> object:
    """A cell's value: numbers stay numbers, None is empty, the rest text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    return value if isinstance(value, int | float | str) else str(value)
