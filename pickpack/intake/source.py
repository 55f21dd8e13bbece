"""Reading CSV exports as they come: encoding detection, Excel ``="…"`` cells, columns by name.

A file is read as a stream (the ``csv`` module over a text stream). Bytes that are not valid in
the detected encoding are kept as surrogates (``surrogateescape``) and reported per row and
field, so one bad byte rejects one row, not the whole file.
"""

from __future__ import annotations

import codecs
import csv
import math
import operator
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from pickpack.i18n import N_
from pickpack.intake.result import OR, ImportFailed, RowError

HEAD_BYTES = 64 * 1024
"""How much of a file the encoding guess looks at."""
_BAD_BYTES = re.compile("[\udc80-\udcff]")
_HAN = re.compile("[\u4e00-\u9fff]")
_BAD_CELL = re.compile("[\x00\udc80-\udcff]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""A cell starting with one of these is a formula to a spreadsheet (the OWASP CSV rule)."""
_FIELD_LIMIT = 1 << 20
EXCEL_NUMBER = re.compile(r"[+-]?\d(?:\.\d+)?[eE]\+\d{1,3}")
"""``3.51531E+16``, ``1.74446E+10``: what Excel shows (and saves) for a long number typed into a
number cell (an order number, a phone, a tracking number, a numeric SKU); its digits are gone."""


def detect_encoding(head: bytes) -> str:
    """BOM → ``utf-8-sig``; UTF-8 head → ``utf-8``; else ``gb18030`` (a superset of GBK).

    The head is judged line by line: a UTF-8 file with a few rows saved in GBK (a row pasted
    from another program) is still UTF-8 when most of its non-ASCII lines are, so its good rows
    read right and only the GBK rows are refused, each by row and field (see ``bad_bytes``).
    """
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    lines = head.split(b"\n")
    if len(head) >= HEAD_BYTES:
        lines.pop()  # may end inside a character
    good = bad = 0
    for raw in lines:
        if raw.isascii():
            continue
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            bad += 1
        else:
            good += 1
    return "utf-8" if good > bad else "gb18030"


def cell(value: str) -> str:
    """A cell without surrounding blanks and Excel's guards: the ``="…"`` wrapper, the leading
    apostrophe (Taobao writes phones as ``'138…``)."""
    value = value.strip()
    if value.startswith('="') and value.endswith('"') and len(value) >= 3:
        return value[2:-1].strip()
    if value.startswith("'"):
        return value[1:].strip()
    return value


def picker(indices: list[int | None]) -> Callable[[list[str]], list[str]]:
    """A function giving the cleaned cells (see ``cell``) at ``indices`` of a row; None → ''.

    It appends '' to the row it is given (that is where the None indices point).
    """
    get = operator.itemgetter(*[-1 if i is None else i for i in indices], -1)

    def pick(row: list[str]) -> list[str]:
        row.append("")
        vals = [v[2:-1].strip() if (v := x.strip())[:2] == '="' and v[-1] == '"' and len(v) > 2
                else v[1:].strip() if v[:1] == "'" else v for x in get(row)]
        vals.pop()
        return vals

    return pick


@dataclass(slots=True)
class Table:
    """An opened CSV file: its display name, encoding and header (column name → index)."""

    path: Path
    name: str
    encoding: str
    header: list[str]
    columns: dict[str, int]

    def col(self, *names: str, errors: list[RowError] | None = None) -> int | None:
        """Index of the first of ``names`` present; missing + ``errors`` given → a header error."""
        for n in names:
            if n in self.columns:
                return self.columns[n]
        if errors is not None:
            errors.append(RowError.of(self.name, 1, OR.join(names),
                                      N_("required column missing from the header")))
        return None


def _fail(name: str, template: str, **params: object) -> ImportFailed:
    return ImportFailed([RowError.of(name, 0, "", template, **params)])


@contextmanager
def open_table(path: Path) -> Iterator[tuple[Table, Iterator[tuple[int, list[str]]]]]:
    """Open ``path``; yields the table and an iterator of ``(line, cells)`` for the data rows.

    Raises ImportFailed (file level: unreadable, empty, UTF-16, broken CSV).
    """
    path = Path(path)
    name = path.name
    if path.suffix.lower() in SHEET_SUFFIXES:
        with _open_sheet(path) as opened:
            yield opened
        return
    try:
        with open(path, "rb") as fb:
            head = fb.read(HEAD_BYTES)
    except OSError as exc:
        raise _fail(name, N_("cannot read: {reason}"), reason=exc.strerror or exc) from exc
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise _fail(name, N_("UTF-16 text, not a CSV export: save it as CSV (UTF-8 or GBK)"))
    encoding = detect_encoding(head)
    csv.field_size_limit(max(csv.field_size_limit(), _FIELD_LIMIT))
    with open(path, encoding=encoding, errors="surrogateescape", newline="") as ft:
        reader = csv.reader(ft)
        try:
            first = next(reader, None)
        except csv.Error as exc:
            raise _fail(name, N_("not a CSV file: {reason}"), reason=exc) from exc
        if not first or not any(c.strip() for c in first):
            raise _fail(name, N_("empty file: no header row"))
        header = [cell(c).lstrip("\ufeff") for c in first]
        columns: dict[str, int] = {}
        for i, h in enumerate(header):
            columns.setdefault(h, i)
        yield Table(path, name, encoding, header, columns), _rows(reader, name, encoding, header)


SHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
_KEY_COLUMNS = frozenset({"订单编号", "主订单编号", "sku", "courier", "tracking_no"})


def _sheet_text(v: object) -> str:
    """A spreadsheet cell as the CSV export would have it."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float):
        if v.is_integer() and abs(v) < 1e15:
            return str(int(v))
        # what Excel shows for a long number it holds as a float (its digits are gone):
        # '3.51531E+16', refused by the order importer as damaged by Excel
        return f"{v:.6G}" if abs(v) >= 1e15 else repr(v)
    if isinstance(v, datetime):
        return v.isoformat(" ")
    if isinstance(v, date | time):
        return v.isoformat()
    return str(v)


@contextmanager
def _open_sheet(path: Path) -> Iterator[tuple[Table, Iterator[tuple[int, list[str]]]]]:
    """An .xlsx (or .xls/.ods) file read with python-calamine: the first sheet whose header has
    a key column (订单编号, 主订单编号, sku, courier, tracking_no), else the first sheet."""
    name = path.name
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:
        raise _fail(name, N_("reading a spreadsheet needs python-calamine (pip install "
                             "python-calamine), or save the sheet as CSV")) from None
    try:
        wb = CalamineWorkbook.from_path(str(path))
        grids = [wb.get_sheet_by_name(n).to_python() for n in wb.sheet_names]
    except OSError as exc:
        raise _fail(name, N_("cannot read: {reason}"), reason=exc.strerror or exc) from exc
    except Exception as exc:  # calamine raises its own errors for broken or locked files
        raise _fail(name, N_("not a readable spreadsheet: {reason}"),
                    reason=f"{type(exc).__name__}: {exc}") from exc
    grids = [g for g in grids if g and any(_sheet_text(c).strip() for c in g[0])]
    if not grids:
        raise _fail(name, N_("empty file: no header row"))
    grid = next((g for g in grids if _KEY_COLUMNS & {cell(_sheet_text(c)) for c in g[0]}),
                grids[0])
    header = [cell(_sheet_text(c)) for c in grid[0]]
    extra, by_order = _receiver_sheet(grid, grids, header)
    width = len(header)
    header += [h for h, _i in extra]
    columns: dict[str, int] = {}
    for i, h in enumerate(header):
        columns.setdefault(h, i)
    key = columns.get("订单编号", 0)

    def rows() -> Iterator[tuple[int, list[str]]]:
        for n, raw in enumerate(grid[1:], 2):
            row = [_sheet_text(c) for c in raw]
            if not any(c.strip() for c in row):
                continue
            row = row[:width] + [""] * (width - len(row))
            if extra:
                other = by_order.get(cell(row[key]), [])
                row += [other[i] if i < len(other) else "" for _h, i in extra]
            yield n, row

    yield Table(path, name, "xlsx", header, columns), rows()


_RECEIVER = ("收货人姓名", "收货地址")


def _receiver_sheet(grid: list[list[Any]], grids: list[list[list[Any]]], header: list[str]
                    ) -> tuple[list[tuple[str, int]], dict[str, list[str]]]:
    """The 千牛 multi-sheet export keeps its receivers in another sheet (发货报表): when the order
    sheet has no receiver columns and a sheet with 订单编号 has them, its columns the order sheet
    lacks are joined on by order number. Returns (column, index) added and rows by order no."""
    if "订单编号" not in header or any(h in header for h in _RECEIVER):
        return [], {}
    for g in grids:
        if g is grid:
            continue
        other = [cell(_sheet_text(c)) for c in g[0]]
        if "订单编号" not in other or not any(h in other for h in _RECEIVER):
            continue
        k = other.index("订单编号")
        rows: dict[str, list[str]] = {}
        for raw in g[1:]:
            row = [_sheet_text(c) for c in raw]
            if k < len(row):
                rows.setdefault(cell(row[k]), row)
        return [(h, i) for i, h in enumerate(other) if h and h not in header], rows
    return [], {}


def _rows(reader: Any, name: str, encoding: str,
          header: list[str]) -> Iterator[tuple[int, list[str]]]:
    width = len(header)
    line = 1
    while True:
        start = line + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise _fail(name, N_("row {row}: broken CSV: {reason}"), row=start, reason=exc) from exc
        line = reader.line_num
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        if len(row) < width:
            row = row + [""] * (width - len(row))
        yield start, row


def bad_bytes(row: list[str], table: Table, line: int) -> RowError | None:
    """A row error when a cell holds bytes invalid in the file's encoding, or a NUL.

    NUL is refused on every store alike: PostgreSQL text cannot hold it at all, and SQLite
    would keep it and cut the value short wherever C code reads it. Other control characters
    are kept as imported (every place that shows data makes them visible).
    """
    if not _BAD_CELL.search("\x1f".join(row)):
        return None
    for i, value in enumerate(row):
        if _BAD_CELL.search(value):
            field = table.header[i] if i < len(table.header) else f"column {i + 1}"
            if "\x00" in value:
                return RowError.of(table.name, line, field, N_(
                    "column {n} holds a NUL byte (\\x00): not allowed in any field"), n=i + 1)
            gbk = _as_gbk(value, table.encoding)
            if gbk is not None:
                return RowError.of(table.name, line, field, N_(
                    "column {n} is GBK-encoded ('{text}') in a UTF-8 file: save the whole file "
                    "as UTF-8 and import it again"), n=i + 1, text=gbk)
            shown = _BAD_BYTES.sub(lambda m: f"\\x{ord(m.group()) - 0xDC00:02x}", value)
            return RowError.of(table.name, line, field, N_(
                "bytes not valid {encoding}: '{text}' (column {n})"), encoding=table.encoding,
                text=shown, n=i + 1)
    return None


def _as_gbk(value: str, encoding: str) -> str | None:
    """A UTF-8 file's undecodable cell read as GBK, when it is GBK (a row saved apart)."""
    if not encoding.startswith("utf-8"):
        return None
    try:
        text = value.encode("utf-8", "surrogateescape").decode("gb18030")
    except UnicodeError:
        return None
    return text if _HAN.search(text) else None


def digits(value: str) -> bool:
    """ASCII digits only: ``str.isdigit`` also takes ², ① and other scripts' digits, which
    ``int()`` then refuses with a traceback (found by tests/fuzz)."""
    return value.isascii() and value.isdigit()


FORMULA = {"order number": N_("order number starts with {start}, which a spreadsheet runs as a "
                              "formula: '{value}'"),
           "tracking number": N_("tracking number starts with {start}, which a spreadsheet runs "
                                 "as a formula: '{value}'")}
"""The refusal of a formula-leading value, by what the value is."""


def no_formula(value: str, field: str, what: str) -> str:
    """``value``, refused (BadValue) when it starts like a spreadsheet formula (FORMULA_START);
    ``what`` is ``order number`` or ``tracking number``."""
    if value.startswith(FORMULA_START):
        raise BadValue(field, FORMULA[what], start=repr(value[0]), value=value[:40])
    return value


def excel_damaged(value: str, field: str, file: str, line: int, *, export: bool = True) -> None:
    """Refuse the whole file (ImportFailed) when ``value`` is a number Excel turned into
    scientific notation (``1.74446E+10``): the file was opened and saved in Excel, and that
    field's digits (a phone, a tracking number, a numeric SKU) are lost. ``export``: the file
    comes from a seller centre (export it again) rather than being our own CSV."""
    if EXCEL_NUMBER.fullmatch(value):
        raise ImportFailed([RowError.of(file, line, field, N_(
            "'{value}' was turned into a number by Excel, which lost its digits: the file was "
            "opened and saved in Excel. Export it again from the seller centre and import that "
            "file without opening it in Excel") if export else N_(
            "'{value}' was turned into a number by Excel, which lost its digits: format the "
            "column as text in Excel (or write the value as =\"…\"), fill the digits in again "
            "and save the file"), value=value)])


class BadValue(Exception):
    """A cell that cannot be used; becomes a RowError naming file, row and ``field``.

    ``template`` is a catalogue message (marked with ``N_``) and ``params`` its values;
    ``message`` is the English text.
    """

    def __init__(self, field: str, template: str, **params: object) -> None:
        values = {k: str(v) for k, v in params.items()}
        message = template.format(**values) if values else template
        super().__init__(message)
        self.field, self.message, self.template, self.params = field, message, template, values

    def row_error(self, file: str, line: int) -> RowError:
        """This refusal as a RowError naming ``file`` and ``line``, shown in the reader's
        language."""
        return RowError(file, line, self.field, self.message, self.template if self.params
                        else "", tuple(self.params.items()))


def parse_money(value: str, field: str) -> float:
    """An amount (``12.50``, ``¥1,299.00``), finite and not negative."""
    try:
        x = float(value.replace(",", "").lstrip("¥￥").strip())
    except ValueError:
        raise BadValue(field, N_("not an amount: '{value}'"), value=value) from None
    if not math.isfinite(x) or x < 0 or x > 1e9:
        raise BadValue(field, N_("not an amount: '{value}'"), value=value)
    return x


def fit(value: str, limit: int, field: str) -> str:
    """``value`` if it fits the column (PostgreSQL enforces the lengths), else BadValue."""
    if len(value) > limit:
        raise BadValue(field, N_("longer than {limit} characters: '{value}…'"), limit=limit,
                       value=value[:40])
    return value
