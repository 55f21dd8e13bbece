"""Hostile files imported in zh_CN: every refusal line is Chinese (field test: English error
lines inside zh_CN output), still naming file, row and column.

What may stay Latin in a line: file names, the values shown in quotes (what the cell held),
column names that are Latin in the file itself (the catalog's ``sku``), numbers and codes
(Excel, CSV, UTF-8, GBK, NUL, courier codes)."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from pickpack.i18n import set_language
from pickpack.intake import (
    ImportFailed,
    ImportResult,
    import_catalog,
    import_orders,
    import_waybills,
)
from tests.intake.conftest import DETAIL_HEADER, ORDER_HEADER, Writer, csv_text, line, order
from tests.intake.test_platforms import PDD_HEADER, pdd

CODES = {"Excel", "CSV", "UTF", "GBK", "GB18030", "NUL", "EAN", "ExportOrderList",
         "ExportOrderDetailList", "xlsx", "python", "calamine", "pip", "install", "taobao", "pdd",
         "jd"}
"""Latin words a Chinese line may keep: formats, encodings, the platform's export names and
the package a spreadsheet needs, the platform codes of a waybill pool."""
CATALOG_COLUMNS = {"sku", "name", "barcodes", "components", "weight_g", "price", "on_hand",
                   "min_shelf_days", "courier", "tracking_no", "platform"}
"""Headers of our own CSV files, which are Latin in the file itself."""
_QUOTED = re.compile(r"'[^']*'|“[^”]*”|「[^」]*」")
_FILE = re.compile(r"[\w.-]+\.(?:csv|xlsx)")
_WORD = re.compile(r"[A-Za-z][A-Za-z_]+")


def english_left(text: str) -> list[str]:
    bare = _FILE.sub(" ", _QUOTED.sub(" ", text))
    return [w for w in _WORD.findall(bare) if w not in CODES and w not in CATALOG_COLUMNS
            and not (w.isupper() and len(w) <= 5)]  # a courier code: SF, YTO, ZTOKY


@pytest.fixture
def zh() -> Iterator[None]:
    set_language("zh_CN")
    try:
        yield
    finally:
        set_language("en")


def lines_of(run: Callable[[], object]) -> list[str]:
    """What an import says: its refusal, or the rows it skipped (--skip-bad), as printed."""
    try:
        got = run()
    except ImportFailed as exc:
        return str(exc).splitlines()
    assert isinstance(got, ImportResult)
    return [str(e) for e in got.errors]


GOOD = "4500000000000000001"


def hostile_orders(write_export: Writer) -> list[Path]:
    """One order sheet and one item sheet, every row of them bad in another way but one."""
    n = [f"45000000000000001{i:02d}" for i in range(20)]
    orders = [order(GOOD), order(n[0]), order(n[1], 订单状态=""), order(n[1]),
              order(n[2], 买家实际支付金额="abc"), order(n[3], 订单创建时间="昨天"),
              order(n[4], 物流单号="=HYPERLINK(1)"), order(n[5], 收货地址=""),
              order(n[6], 收货人姓名="张" * 70), order("=1+1"), order("abc def"),
              order(n[8], 收货人姓名="张\x00三"), order(n[9]), order(n[10], 订单付款时间="1999-01-01"),
              order(n[11], 承诺发货时间="明天")]
    lines = [line(GOOD), line(n[0], qty="1e3"), line(n[1]), line(n[2]), line(n[3]), line(n[4]),
             line(n[5]), line(n[6]), line(n[8]), line(n[10]), line(n[11]), line(n[12]),
             line(n[13], 价格="-1"), line(n[14], 商家编码="P" * 70), line("", qty="1")]
    return write_export(orders, lines, encoding="utf-8")


def file_level(engine: Engine, tmp_path: Path,
               write_export: Writer) -> Iterator[Callable[[], object]]:
    """Files refused as a whole: not an export, no item export, empty, UTF-16, a missing
    column, a GBK row in a UTF-8 file, an order number Excel damaged."""
    odd = tmp_path / "odd.csv"
    odd.write_text("not,a\nreal,export\n", encoding="utf-8")
    yield lambda: import_orders(engine, [odd, odd], skip_bad=False)
    o, d = write_export([order(GOOD)], [line(GOOD)], tag="-a")
    yield lambda: import_orders(engine, [o], skip_bad=False)
    yield lambda: import_orders(engine, [d], skip_bad=False)
    empty = tmp_path / "ExportOrderList-e.csv"
    empty.write_bytes(b"")
    yield lambda: import_orders(engine, [empty, d], skip_bad=False)
    wide = tmp_path / "ExportOrderList-u.csv"
    wide.write_text(csv_text(ORDER_HEADER, [order(GOOD)]), encoding="utf-16")
    yield lambda: import_orders(engine, [wide, d], skip_bad=False)
    short = tmp_path / "ExportOrderDetailList-s.csv"
    short.write_text(csv_text([h for h in DETAIL_HEADER if h != "购买数量"], [line(GOOD)]),
                     encoding="utf-8")
    yield lambda: import_orders(engine, [o, short], skip_bad=False)
    mixed = tmp_path / "ExportOrderList-m.csv"
    mixed.write_bytes(csv_text(ORDER_HEADER, [order(GOOD)] * 3).encode("utf-8")
                      + csv_text(ORDER_HEADER, [order("4500000000000000009")])
                      .splitlines(keepends=True)[1].encode("gb18030"))
    yield lambda: import_orders(engine, [mixed, d], skip_bad=True)
    for tag, kw in (("-x", {"订单编号": "3.95622813297876E+18"}), ("-p", {"联系手机": "1.74446E+10"})):
        ox, dx = write_export([order(GOOD), order("4500000000000000003", **kw)], [line(GOOD)],
                              tag=tag)
        yield functools.partial(import_orders, engine, [ox, dx], skip_bad=True)


def test_hostile_order_files_refused_in_chinese(engine: Engine, write_export: Writer,
                                                tmp_path: Path, zh: None) -> None:
    said = lines_of(lambda: import_orders(engine, hostile_orders(write_export), skip_bad=True))
    pdd_file = tmp_path / "pdd.csv"
    pdd_file.write_bytes(csv_text(PDD_HEADER, [
        pdd("201113-1", **{"商品数量(件)": "x"}), pdd("201113-2", status="神秘"),
        pdd("201113-3"), pdd("201113-4", 街道="", 省="", 市="", 区="")]).encode("utf-8-sig"))
    said += lines_of(lambda: import_orders(engine, [pdd_file], skip_bad=True))
    said += lines_of(lambda: import_orders(engine, [pdd_file, *hostile_orders(write_export)],
                                           skip_bad=True))
    assert len(said) >= 20
    for run in file_level(engine, tmp_path, write_export):
        got = lines_of(run)
        assert got, "a hostile file was imported"
        said += got
    where = re.compile(r"^[\w.,\s-]+(?: 第 \d+ 行)?[，,:]")
    for text in said:
        assert where.match(text), text  # still names the file (and row)
        assert english_left(text) == [], text


def test_hostile_catalog_and_waybills_refused_in_chinese(engine: Engine, tmp_path: Path,
                                                         zh: None) -> None:
    cat = tmp_path / "catalog.csv"
    cat.write_text(
        "sku,name,barcodes,weight_g,on_hand,components,min_shelf_days\n"
        "A1,好货,6901234567892,,,,\n"
        "A1,好货,6901234567885,,,,\n"
        ",空,6901234567886,,,,\n"
        "A2,坏码,6901234567893,,,,\n"
        "A3,坏码,ab cd,,,,\n"
        "A4,重码,6901234567892,,,,\n"
        "A5,重,6901234567809,x,,,\n"
        "A6,负,6901234567816,,-1,,\n"
        "A7,组合,6901234567823,,,A7*2,\n"
        "A8,组合,6901234567830,,,NOPE*1,\n"
        "A9,组合,6901234567847,,,A1*0,\n"
        "B1,保质,6901234567854,,,,一年\n"
        "B2,件,6901234567861*0,,,,\n", encoding="utf-8")
    said = lines_of(lambda: import_catalog(engine, cat, skip_bad=True))
    pool = tmp_path / "waybills.csv"
    pool.write_text("courier,tracking_no,platform\nSF,SF1234567890,\nsf!,SF1234567891,\n"
                    "SF,=1+1,\nSF,ab,\nSF,SF1234567890,\nYTO,SF1234567890,\nSF,SF99999999,ebay\n",
                    encoding="utf-8")
    said += lines_of(lambda: import_waybills(engine, pool, skip_bad=True))
    missing = tmp_path / "w.csv"
    missing.write_text("tracking_no\nSF1\n", encoding="utf-8")
    said += lines_of(lambda: import_waybills(engine, missing, skip_bad=True))
    assert len(said) >= 15
    for text in said:
        assert re.match(r"^[\w.-]+\.csv(?: 第 \d+ 行)?[，,:]", text), text
        assert english_left(text) == [], text


def test_cli_in_chinese_refuses_a_phone_excel_damaged(tmp_path: Path, write_export: Writer,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """The field test: 联系手机 `1.74446E+10` through `pickpack import orders` on a zh_CN
    station; refused (nothing imported, so `order show` has no such phone), said in Chinese."""
    from pickpack.cli import main
    from tests.conftest import upgraded_store

    upgraded_store(tmp_path / "pp.db")
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[store]\nurl = "sqlite:///{tmp_path / "pp.db"}"\n[station]\nid = "D1"\n'
                   'mode = "desk"\nlanguage = "zh_CN"\n', encoding="utf-8")
    files = write_export([order(GOOD, 收货人姓名="何军静", 联系手机="1.74446E+10")], [line(GOOD)])
    assert main(["--config", str(cfg), "import", "orders", *map(str, files), "--skip-bad"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    err = captured.err.splitlines()
    assert err[0].startswith("pickpack：import orders 被拒绝，未导入任何内容")
    assert err[1].startswith("ExportOrderList.csv 第 2 行, 联系手机: '1.74446E+10' 被 Excel")
    assert [w for line in err[1:] for w in english_left(line)] == []
