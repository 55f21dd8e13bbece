"""Property tests: any input either imports or raises ImportFailed, never half-writes."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from pickpack.intake import ImportFailed, import_orders
from pickpack.intake.address import split_address
from tests.intake.conftest import DETAIL_HEADER, ORDER_HEADER, Writer, counts, csv_text, line, order

SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])
GOOD = "3911111111111111111"


def _attempt(engine: Engine, files: list[Path], skip_bad: bool) -> None:
    before = counts(engine)
    try:
        import_orders(engine, files, skip_bad=skip_bad)
    except ImportFailed as exc:
        assert exc.errors and str(exc)
        assert counts(engine) == before, "a refused import wrote something"


@SETTINGS
@given(data=st.binary(max_size=2000), skip_bad=st.booleans(), as_orders=st.booleans())
def test_arbitrary_bytes(engine: Engine, write_export: Writer, data: bytes, skip_bad: bool,
                         as_orders: bool) -> None:
    files = write_export([order(GOOD)], [line(GOOD)])
    import_orders(engine, files, skip_bad=False)
    files[0 if as_orders else 1].write_bytes(data)
    _attempt(engine, files, skip_bad)


cells = st.one_of(st.text(max_size=30), st.sampled_from(
    ["", '="3922222222222222222"', "2026-02-30 10:00:00", "买家已付款，等待卖家发货", "交易关闭",
     "-1", "1e400", "nan", "上海 上海市 (200000)", "（）", "\x00", '"', "\r\n"]))


@SETTINGS
@given(rows=st.lists(st.lists(cells, min_size=0, max_size=len(ORDER_HEADER) + 2), max_size=5),
       items=st.lists(st.lists(cells, max_size=len(DETAIL_HEADER)), max_size=5),
       skip_bad=st.booleans(), encoding=st.sampled_from(["utf-8", "gb18030", "utf-8-sig"]))
def test_arbitrary_rows(engine: Engine, tmp_path: Path, rows: list[list[str]],
                        items: list[list[str]], skip_bad: bool, encoding: str) -> None:
    o, d = tmp_path / "o.csv", tmp_path / "d.csv"
    as_dicts = [dict(zip(ORDER_HEADER, r, strict=False)) for r in rows] + [order(GOOD)]
    o.write_bytes(csv_text(ORDER_HEADER, as_dicts).encode(encoding))
    lines = [dict(zip(DETAIL_HEADER, r, strict=False)) for r in items] + [line(GOOD)]
    d.write_bytes(csv_text(DETAIL_HEADER, lines).encode(encoding))
    _attempt(engine, [o, d], skip_bad)


@given(st.text(max_size=80))
def test_address_split_never_fails(text: str) -> None:
    a = split_address(text)
    assert all(isinstance(p, str) for p in a)
