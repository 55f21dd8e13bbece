"""Order exports in the shapes real files come in, broken files, and re-imports."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, update

from db.models import metadata
from pickpack.intake import ImportFailed, import_orders
from tests.intake.conftest import (
    CLOSED,
    DETAIL_HEADER,
    ORDER_HEADER,
    UNPAID,
    Writer,
    count,
    counts,
    csv_text,
    events_of,
    line,
    order,
    row_of,
)

A, B, C = "3900000000000000001", "3900000000000000002", "3900000000000000003"


def _two(write_export: Writer, **kw: object) -> list[Path]:
    return write_export([order(A), order(B, 收货地址="上海 上海市 浦东新区 世纪大道1号（200120）")],
                        [line(A), line(A, "P02-01", "2"), line(B)], **kw)


@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "utf-8", "utf-8-sig"])
@pytest.mark.parametrize("newline", ["\r\n", "\n"])
def test_encodings_and_line_ends(engine: Engine, write_export: Writer, encoding: str,
                                 newline: str) -> None:
    res = import_orders(engine, _two(write_export, encoding=encoding, newline=newline),
                        skip_bad=False)
    assert (res.inserted, res.lines) == (2, 3)
    b = row_of(engine, B)
    assert (b.province, b.city, b.district, b.street, b.postcode) == (
        "上海", "上海市", "浦东新区", "世纪大道1号", "200120")
    assert row_of(engine, A).receiver_name == "张三"


def test_plain_excel_cells_unquoted(engine: Engine, tmp_path: Path, write_export: Writer) -> None:
    files = _two(write_export)
    text = csv_text(ORDER_HEADER, [order(A)]).replace(f'"=""{A}"""', f'="{A}"')
    assert f',="{A}",' not in text and text.startswith("订单编号") and f'="{A}"' in text
    files[0].write_bytes(text.encode("gb18030"))
    files[1].write_bytes(csv_text(DETAIL_HEADER, [line(A)]).encode("gb18030"))
    assert import_orders(engine, files, skip_bad=False).inserted == 1
    assert row_of(engine, A).receiver_phone == "13800000000"


def test_columns_found_by_name(engine: Engine, tmp_path: Path) -> None:
    header = list(reversed(ORDER_HEADER))
    o, d = tmp_path / "o.csv", tmp_path / "d.csv"
    o.write_bytes(csv_text(header, [order(A)]).encode("gb18030"))
    d.write_bytes(csv_text(DETAIL_HEADER[::-1], [line(A)]).encode("gb18030"))
    assert import_orders(engine, [d, o], skip_bad=False).inserted == 1


def test_missing_column_names_file_and_column(engine: Engine, write_export: Writer) -> None:
    files = _two(write_export)
    hdr = [h for h in ORDER_HEADER if h != "订单付款时间"]
    files[0].write_bytes(csv_text(hdr, [order(A)]).encode("gb18030"))
    with pytest.raises(ImportFailed) as exc:
        import_orders(engine, files, skip_bad=True)
    assert "ExportOrderList.csv" in str(exc.value) and "订单付款时间" in str(exc.value)
    assert counts(engine) == (0, 0, 0)


def test_wrong_file(engine: Engine, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("not,a\nreal,export\n")
    with pytest.raises(ImportFailed, match="bad.csv.*not a Taobao"):
        import_orders(engine, [bad, bad], skip_bad=True)
    with pytest.raises(ImportFailed, match="cannot read"):
        import_orders(engine, [tmp_path / "missing.csv"], skip_bad=False)


def test_bad_rows_are_named_and_nothing_is_written(engine: Engine, write_export: Writer) -> None:
    files = write_export(
        [order(A), order(B, 订单付款时间="2026-13-45"), order(C)],
        [line(A), line(B), line(C, qty="两"), line("3999999999999999999")])
    with pytest.raises(ImportFailed) as exc:
        import_orders(engine, files, skip_bad=False)
    msg = str(exc.value)
    assert "ExportOrderList.csv row 3, 订单付款时间: not a time: '2026-13-45'" in msg
    assert "ExportOrderDetailList.csv row 4, 购买数量: not a quantity: '两'" in msg
    assert "ExportOrderDetailList.csv row 5, 订单编号: order 3999999999999999999 is not" in msg
    assert "ExportOrderList.csv row 4, 订单编号" in msg  # C: its line was bad
    assert counts(engine) == (0, 0, 0)


def test_skip_bad_imports_the_good_rows(engine: Engine, write_export: Writer) -> None:
    files = write_export(
        [order(A), order(B, 订单付款时间="2026-13-45"), order(C)],
        [line(A), line(B), line(C, qty="0"), line("3999999999999999999")])
    res = import_orders(engine, files, skip_bad=True)
    assert res.inserted == 1 and res.skipped == len(res.errors) == 4
    assert count(engine, "orders") == 1 and row_of(engine, A).state == "new"
    assert count(engine, "event", kind="import_rejected") == 4


def test_bad_encoding_bytes(engine: Engine, write_export: Writer) -> None:
    files = _two(write_export)
    raw = files[0].read_bytes().replace("张三".encode("gb18030"), b"\x81\x20", 1)
    files[0].write_bytes(raw)
    with pytest.raises(ImportFailed, match=r"row 2, 收货人姓名: bytes not valid gb18030"):
        import_orders(engine, files, skip_bad=False)
    res = import_orders(engine, files, skip_bad=True)
    assert res.inserted == 1 and count(engine, "orders", order_no=B) == 1


def test_utf8_bom_and_utf16(engine: Engine, write_export: Writer) -> None:
    files = _two(write_export, encoding="utf-8-sig")
    assert files[0].read_bytes().startswith(codecs.BOM_UTF8)
    assert import_orders(engine, files, skip_bad=False).inserted == 2
    files[0].write_bytes(files[0].read_text(encoding="utf-8-sig").encode("utf-16"))
    with pytest.raises(ImportFailed, match="UTF-16"):
        import_orders(engine, files, skip_bad=False)


def test_statuses(engine: Engine, write_export: Writer) -> None:
    D, E = "3900000000000000004", "3900000000000000005"
    files = write_export([order(A), order(B, UNPAID), order(C, CLOSED),
                          order(D, "卖家已发货，等待买家确认"), order(E, "交易成功")],
                         [line(A), line(B), line(C), line(D), line(E)])
    import_orders(engine, files, skip_bad=False)
    states = {n: row_of(engine, n).state for n in (A, B, C, D, E)}
    assert states == {A: "new", B: "unpaid", C: "cancelled", D: "shipped_elsewhere",
                      E: "shipped_elsewhere"}
    assert json.loads(events_of(engine, C)[0].payload)["reason"] == "platform_closed"


def test_reimport_is_idempotent(engine: Engine, write_export: Writer) -> None:
    files = _two(write_export)
    import_orders(engine, files, skip_bad=False)
    before = counts(engine)
    res = import_orders(engine, files[::-1], skip_bad=False)
    assert (res.inserted, res.unchanged) == (0, 2) and counts(engine) == before


def _set_state(engine: Engine, order_no: str, state: str) -> None:
    t = metadata.tables["orders"]
    with engine.begin() as c:
        c.execute(update(t).where(t.c.order_no == order_no).values(state=state))


def test_later_export_closes_and_intercepts(engine: Engine, write_export: Writer) -> None:
    D = "3900000000000000004"
    first = write_export([order(A), order(B), order(C), order(D, UNPAID)],
                         [line(A), line(B), line(C), line(D)])
    import_orders(engine, first, skip_bad=False)
    _set_state(engine, B, "verified")
    _set_state(engine, C, "shipped")
    later = write_export([order(n, CLOSED) for n in (A, B, C)] + [order(D)],
                         [line(n) for n in (A, B, C, D)], tag="2")
    res = import_orders(engine, later, skip_bad=False, station="D1", operator="OP1")
    assert (res.cancelled, res.intercepted, res.updated, res.unchanged) == (1, 1, 1, 1)
    assert [row_of(engine, n).state for n in (A, B, C, D)] == [
        "cancelled", "cancelled", "shipped", "new"]
    assert [e.kind for e in events_of(engine, A)] == ["imported", "cancelled"]
    kinds = [(e.kind, e.station, e.operator) for e in events_of(engine, B)]
    assert kinds[1:] == [("cancelled", "D1", "OP1"), ("intercept_pending", "D1", "OP1")]
    pay = json.loads(events_of(engine, B)[2].payload)
    assert pay["reason"] == "platform_closed" and pay["from"] == "verified"
    assert [e.kind for e in events_of(engine, C)] == ["imported"]  # shipped: never changed
    assert [e.kind for e in events_of(engine, D)] == ["imported", "paid"]
    assert count(engine, "order_line") == 4  # lines never duplicated


def test_duplicate_order_row(engine: Engine, write_export: Writer) -> None:
    files = write_export([order(A), order(A)], [line(A)])
    with pytest.raises(ImportFailed, match="row 3, 订单编号: order .* appears twice"):
        import_orders(engine, files, skip_bad=False)


def test_paid_order_without_lines(engine: Engine, write_export: Writer) -> None:
    files = write_export([order(A), order(B)], [line(A)])
    with pytest.raises(ImportFailed, match="no lines in the item export"):
        import_orders(engine, files, skip_bad=False)


def test_addresses(engine: Engine, write_export: Writer) -> None:
    D = "3900000000000000004"
    files = write_export(
        [order(A, 收货地址="广东省 东莞市 东城街道 振兴路1号"),
         order(B, 收货地址="北京 北京市 朝阳区 建国路88号 3单元"),
         order(C, 收货地址="北京市朝阳区建国路88号(100022)"),
         order(D, 收货地址="内蒙古自治区 呼和浩特市 新城区 xx路5号 (010010)")],
        [line(n) for n in (A, B, C, D)])
    import_orders(engine, files, skip_bad=False)
    parts = [tuple(getattr(row_of(engine, n), f) for f in (
        "province", "city", "district", "street", "postcode")) for n in (A, B, C, D)]
    assert parts == [("广东省", "东莞市", "", "东城街道 振兴路1号", ""),
                     ("北京", "北京市", "朝阳区", "建国路88号 3单元", ""),
                     ("北京", "北京市", "朝阳区", "建国路88号", "100022"),
                     ("内蒙古自治区", "呼和浩特市", "新城区", "xx路5号", "010010")]
