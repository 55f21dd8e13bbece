"""The stock export for the shop's other sales channels: what each SKU can still sell.

``available`` never goes below 0 in the file (a channel cannot list −2 units). CSV is written in
UTF-8 with a byte-order mark (so a spreadsheet reads the Chinese names), .xlsx with XlsxWriter;
every text cell goes through :func:`pickpack.text.sheet_cell`, and xlsx text is written as text,
never as a formula.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from pickpack.core.stock.ledger import SkuStock

HEADER = ("sku", "name", "available", "on_hand", "reserved", "safety_stock")


def export_rows(stock: list[SkuStock]) -> list[dict[str, Any]]:
    return [{"sku": s.sku, "name": s.name, "available": max(0, s.available),
             "on_hand": s.on_hand, "reserved": s.reserved, "safety_stock": s.safety}
            for s in stock]


def csv_text(rows: list[dict[str, Any]], newline: str = "\r\n") -> str:
    from pickpack.text import sheet_cell

    out = io.StringIO()
    writer = csv.writer(out, lineterminator=newline)
    writer.writerow(HEADER)
    for r in rows:
        writer.writerow([sheet_cell(r[h]) for h in HEADER])
    return out.getvalue()


def write_export(rows: list[dict[str, Any]], path: Path) -> None:
    """Write ``rows`` to ``path``: .xlsx by its suffix, CSV otherwise."""
    if path.suffix.lower() == ".xlsx":
        _write_xlsx(rows, path)
        return
    path.write_text(csv_text(rows), encoding="utf-8-sig", newline="")


def _write_xlsx(rows: list[dict[str, Any]], path: Path) -> None:
    import xlsxwriter  # type: ignore[import-untyped]

    from pickpack.text import sheet_cell

    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False,
                                           "strings_to_urls": False})
    try:
        sheet = book.add_worksheet("stock")
        for col, name in enumerate(HEADER):
            sheet.write_string(0, col, name)
        for i, r in enumerate(rows, start=1):
            for col, name in enumerate(HEADER):
                value = sheet_cell(r[name])
                if isinstance(value, int | float):
                    sheet.write_number(i, col, value)
                else:
                    sheet.write_string(i, col, str(value))
        sheet.set_column(0, 0, 16)
        sheet.set_column(1, 1, 30)
    finally:
        book.close()
