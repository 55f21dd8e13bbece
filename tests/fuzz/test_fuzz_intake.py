"""Fuzzing every importer: Taobao order and item exports, the 千牛 sub-order sheet, Pinduoduo and
JD exports, the catalog and the waybill pool, as CSV (several encodings) and as xlsx. Each file
is a good export with cells replaced by hostile values, columns dropped or repeated, or
arbitrary bytes. The import either returns its result or raises ImportFailed naming where;
a refused import writes nothing. Anything else is a crash."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select

from db.models import metadata
from pickpack.intake import ImportFailed, ImportResult, import_catalog, import_orders, import_waybills
from tests.fuzz.conftest import fuzz
from tests.intake.conftest import DETAIL_HEADER, ORDER_HEADER, line, order
from tests.intake.test_platforms import JD_HEADER, PDD_HEADER, jd, pdd
from tests.intake.xlsx import write_xlsx

QIANNIU_HEADER = ["子订单编号", "主订单编号", "商品标题", "商品价格", "购买数量", "商家编码", "商品属性",
                  "订单状态"]
CATALOG_HEADER = ["sku", "name", "attributes", "barcodes", "weight_g", "bin", "price", "on_hand",
                  "components"]
WAYBILL_HEADER = ["courier", "tracking_no"]
_n = itertools.count(1)


def qianniu(no: str) -> dict[str, str]:
    return {"子订单编号": f"9{no[-6:]}", "主订单编号": no, "商品标题": "T恤", "商品价格": "59.00",
            "购买数量": "2", "商家编码": "P01-01", "商品属性": "颜色:白",
            "订单状态": "买家已付款，等待卖家发货"}


def catalog_row(no: str) -> dict[str, str]:
    return {"sku": f"F-{no[-6:]}", "name": "纯棉T恤", "attributes": "颜色分类:白色", "barcodes":
            "6952601815900", "weight_g": "213", "bin": "A-01-01", "price": "89.0", "on_hand": "5",
            "components": ""}


def waybill_row(no: str) -> dict[str, str]:
    return {"courier": "SF", "tracking_no": f"SF{no[-13:]}"}


Good = Callable[[str], dict[str, str]]
HOSTILE = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=12),
    st.sampled_from([
        "", " ", '="3922222222222222222"', "'3911", "3.51531E+16", "=HYPERLINK(\"x\")", "+1", "-1",
        "@SUM(A1)", "\t", "\r", "\r\n", "\x00", "\x1b]0;pwned\x07", "[/]", "[/bold]x", "nan", "inf",
        "-0", "1e400", "99999999999999999999999", "2026-02-30 10:00:00", "2026/13/01", "0000-00-00",
        "交易关闭", "买家已付款，等待卖家发货", "待发货", "等待出库", "已取消", "上海 上海市 (200000)",
        "（）", '"', '""', ",", ";", "P01-01:2;P01-02:x", "6952601815900,6952601815901",
        "\ufeff", "\u202e", "\ud7ff", "𠀀" * 30, "x" * 300, "١٢٣", "²", "SF", "ZTO",
    ]),
)


@st.composite
def rows_of(draw: st.DrawFn, header: list[str], good: Good) -> tuple[list[str], list[list[str]]]:
    """A header (maybe with a column dropped, repeated or added) and rows of good exports with
    some cells made hostile."""
    cols = list(header)
    change = draw(st.sampled_from(["keep", "keep", "keep", "drop", "repeat", "extra"]))
    if change == "drop":
        cols.pop(draw(st.integers(0, len(cols) - 1)))
    elif change == "repeat":
        cols.append(cols[draw(st.integers(0, len(cols) - 1))])
    elif change == "extra":
        cols.append(draw(st.text(max_size=8)))
    rows = []
    for _ in range(draw(st.integers(0, 4))):
        row = good(f"3933{next(_n):015d}")
        cells = [row.get(c, "") for c in cols]
        for i in draw(st.lists(st.integers(0, len(cols) - 1), max_size=4)):
            cells[i] = draw(HOSTILE)
        if draw(st.booleans()) and cells:  # a short or long row
            cells = cells[:draw(st.integers(0, len(cells)))] + draw(st.lists(HOSTILE, max_size=2))
        rows.append(cells)
    return cols, rows


def _csv(path: Path, cols: list[str], rows: list[list[str]], encoding: str) -> Path:
    lines = [",".join(_quote(c) for c in row) for row in (cols, *rows)]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def _quote(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def _xml_safe(value: str) -> str:
    """What an xlsx can hold at all (XML 1.0 characters); the rest is the bytes tests' job."""
    return "".join(c for c in value if c in "\t\n\r" or (" " <= c <= "\ud7ff")
                   or ("\ue000" <= c <= "\ufffd") or c >= "\U00010000")


def _xlsx(path: Path, cols: list[str], rows: list[list[str]], sheet: str = "Sheet1") -> Path:
    grid: list[list[object]] = [[_xml_safe(c) for c in row] for row in (cols, *rows)]
    return write_xlsx(path, {sheet: grid})


def write(tmp: Path, name: str, cols: list[str], rows: list[list[str]], fmt: str) -> Path:
    if fmt == "xlsx":
        return _xlsx(tmp / f"{name}.xlsx", cols, rows)
    return _csv(tmp / f"{name}.csv", cols, rows, fmt)


FORMATS = st.sampled_from(["utf-8", "gb18030", "utf-8-sig", "xlsx"])


def totals(engine: Engine) -> tuple[int, ...]:
    with engine.connect() as conn:
        return tuple(int(conn.execute(select(func.count()).select_from(metadata.tables[t]))
                         .scalar_one()) for t in ("orders", "order_line", "event", "sku",
                                                   "barcode", "waybill"))


def attempt(engine: Engine, run: Callable[[], ImportResult]) -> None:
    """The property: a result, or ImportFailed with a message naming where; never a traceback,
    and a refused import leaves the store as it was."""
    before = totals(engine)
    try:
        result = run()
    except ImportFailed as exc:
        assert exc.errors and str(exc).strip()
        assert all(e.file for e in exc.errors), exc.errors
        assert totals(engine) == before, "a refused import wrote something"
        return
    assert isinstance(result, ImportResult)
    for err in result.errors:
        assert err.file and str(err)


def _good_pair(tmp: Path) -> tuple[Path, Path]:
    no = f"3944{next(_n):015d}"
    o = _csv(tmp / "good-orders.csv", ORDER_HEADER, [[order(no).get(c, "") for c in ORDER_HEADER]],
             "gb18030")
    d = _csv(tmp / "good-items.csv", DETAIL_HEADER, [[line(no).get(c, "") for c in DETAIL_HEADER]],
             "gb18030")
    return o, d


SKIP = st.booleans()


def _jd(no: str) -> dict[str, str]:
    return jd(no, "P01-01")


Files = Callable[[Engine, Path, Path, list[list[str]], bool], ImportResult]
"""Import the fuzzed file (with the good files it needs beside it; its rows, to match them)."""


def _taobao_orders(store: Engine, tmp: Path, path: Path, rows: list[list[str]],
                   skip_bad: bool) -> ImportResult:
    """The fuzzed order export with an item export for the order numbers its rows kept."""
    items = _csv(tmp / "ExportOrderDetailList.csv", DETAIL_HEADER,
                 [[line(r[0].strip('="') if r else "").get(c, "") for c in DETAIL_HEADER]
                  for r in rows], "gb18030")
    return import_orders(store, [path, items], skip_bad=skip_bad)


def _with_good_orders(store: Engine, tmp: Path, path: Path, _rows: list[list[str]],
                      skip_bad: bool) -> ImportResult:
    return import_orders(store, [_good_pair(tmp)[0], path], skip_bad=skip_bad)


def _alone(store: Engine, _tmp: Path, path: Path, _rows: list[list[str]],
           skip_bad: bool) -> ImportResult:
    return import_orders(store, [path], skip_bad=skip_bad)


TARGETS: dict[str, tuple[list[str], Good, Files]] = {
    "taobao orders": (ORDER_HEADER, order, _taobao_orders),
    "taobao items": (DETAIL_HEADER, line, _with_good_orders),
    "qianniu sub-orders": (QIANNIU_HEADER, qianniu, _with_good_orders),
    "pinduoduo": (PDD_HEADER, pdd, _alone),
    "jd": (JD_HEADER, _jd, _alone),
    "catalog": (CATALOG_HEADER, catalog_row,
                lambda store, _t, path, _r, skip: import_catalog(store, path, skip_bad=skip)),
    "waybills": (WAYBILL_HEADER, waybill_row,
                 lambda store, _t, path, _r, skip: import_waybills(store, path, skip_bad=skip)),
}


@pytest.mark.parametrize("target", list(TARGETS))
@fuzz()
@given(data=st.data(), fmt=FORMATS, skip_bad=SKIP)
def test_each_export_shape_with_hostile_cells(store: Engine, tmp_path: Path, target: str,
                                              data: st.DataObject, fmt: str,
                                              skip_bad: bool) -> None:
    header, good, run = TARGETS[target]
    cols, rows = data.draw(rows_of(header, good))
    name = {"taobao orders": "ExportOrderList", "taobao items": "ExportOrderDetailList"}.get(
        target, target.replace(" ", "-"))
    path = write(tmp_path, name, cols, rows, fmt)
    attempt(store, lambda: run(store, tmp_path, path, rows, skip_bad))


@fuzz(2)
@given(data=st.binary(max_size=3000), what=st.sampled_from(
    ["orders", "items", "platform", "catalog", "waybills"]), suffix=st.sampled_from(
    [".csv", ".xlsx", ".xls", ".txt"]), skip_bad=SKIP)
def test_arbitrary_bytes_as_any_import(store: Engine, tmp_path: Path, data: bytes, what: str,
                                       suffix: str, skip_bad: bool) -> None:
    path = tmp_path / f"input{suffix}"
    path.write_bytes(data)
    if what in ("orders", "items"):
        orders, items = _good_pair(tmp_path)
        files = [path, items] if what == "orders" else [orders, path]
        attempt(store, lambda: import_orders(store, files, skip_bad=skip_bad))
    elif what == "platform":
        attempt(store, lambda: import_orders(store, [path], skip_bad=skip_bad))
    elif what == "catalog":
        attempt(store, lambda: import_catalog(store, path, skip_bad=skip_bad))
    else:
        attempt(store, lambda: import_waybills(store, path, skip_bad=skip_bad))


@fuzz()
@given(head=st.sampled_from([b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\xef\xbb\xbf",
                             b"\xff\xfe", b"\xfe\xff"]),
       data=st.binary(max_size=800), what=st.sampled_from(["platform", "catalog", "waybills"]),
       suffix=st.sampled_from([".csv", ".xlsx", ".xls"]))
def test_files_that_look_like_a_spreadsheet_or_text_and_are_not(
        store: Engine, tmp_path: Path, head: bytes, data: bytes, what: str, suffix: str) -> None:
    """Magic numbers of zip (xlsx), OLE (xls) and BOMs, then junk: a file a user renamed."""
    path = tmp_path / f"renamed{suffix}"
    path.write_bytes(head + data)
    run = {"platform": lambda: import_orders(store, [path], skip_bad=True),
           "catalog": lambda: import_catalog(store, path, skip_bad=True),
           "waybills": lambda: import_waybills(store, path, skip_bad=True)}[what]
    attempt(store, run)


@pytest.mark.parametrize("target,column,value", [
    ("jd", "订购数量", "²"), ("pinduoduo", "商品数量(件)", "①"),
    ("catalog", "barcodes", "6952601815900*²"), ("catalog", "components", "P01-02*³"),
])
def test_digits_of_other_scripts_are_a_bad_row_not_a_traceback(
        store: Engine, tmp_path: Path, target: str, column: str, value: str) -> None:
    """Found by this drill: ``"²".isdigit()`` is true and ``int("²")`` raises ValueError."""
    header, good, run = TARGETS[target]
    row = good(f"3933{next(_n):015d}")
    row[column] = value
    path = _csv(tmp_path / f"{target}.csv", header, [[row.get(c, "") for c in header]], "utf-8")
    with pytest.raises(ImportFailed) as refused:
        run(store, tmp_path, path, [], False)
    assert value in str(refused.value) or column in str(refused.value)
