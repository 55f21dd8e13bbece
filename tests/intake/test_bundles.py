"""Bundles (组合商品, issue 15 exports): a catalog SKU made of other SKUs is expanded into its
component lines at order import, so pick and verify see what is really in the bin."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from db.models import metadata
from pickpack.intake import ImportFailed, import_catalog, import_orders
from pickpack.intake.catalog import parse_components
from tests.intake.conftest import Writer, count, events_of, line, order, row_of

HEADER = "sku,name,barcodes,on_hand,components\n"
A = "4800000000000000001"


def _catalog(tmp_path: Path, body: str) -> Path:
    f = tmp_path / "catalog.csv"
    f.write_text(HEADER + body, encoding="utf-8")
    return f


@pytest.fixture
def bundled(engine: Engine, tmp_path: Path) -> Engine:
    import_catalog(engine, _catalog(tmp_path, "P01-01,T恤,6901234567892,10,\n"
                                    "P02-01,袜子,6901234567885,10,\n"
                                    "GIFT-1,礼盒,,0,P01-01*2|P02-01\n"), skip_bad=False)
    return engine


def _lines(engine: Engine, order_no: str) -> list[tuple[str, int, float, str]]:
    t = metadata.tables["order_line"]
    oid = row_of(engine, order_no).id
    with engine.connect() as c:
        return [tuple(r) for r in c.execute(select(t.c.sku, t.c.qty, t.c.price, t.c.variant)
                                            .where(t.c.order_id == oid).order_by(t.c.id))]


def test_parse_components() -> None:
    assert parse_components("P01-01*2|P02-01| P01-01", "B") == [("P01-01", 3), ("P02-01", 1)]


def test_bundle_line_becomes_its_components(bundled: Engine, write_export: Writer) -> None:
    files = write_export([order(A)], [line(A, "GIFT-1", "3", 价格="99.00"), line(A, "P02-01")])
    res = import_orders(bundled, files, skip_bad=False)
    assert res.lines == 3
    assert _lines(bundled, A) == [("P01-01", 6, 99.0, "组合 GIFT-1: 纯棉圆领短袖T恤"),
                                  ("P02-01", 3, 0.0, "组合 GIFT-1: 纯棉圆领短袖T恤"),
                                  ("P02-01", 1, 89.0, "颜色分类:白色;尺码:L")]
    assert json.loads(events_of(bundled, A)[0].payload)["bundle_lines_expanded"] == 1


def test_bad_bundles_refused_by_row(bundled: Engine, tmp_path: Path) -> None:
    f = _catalog(tmp_path, "BOX-2,大礼盒,6901234567878,0,GIFT-1\n"
                           "BOX-3,空盒,,0,NOPE*2\n"
                           "BOX-4,自己,,0,BOX-4\n"
                           "P03-01,帽子,6901234567861,5,\n")
    with pytest.raises(ImportFailed) as exc:
        import_catalog(bundled, f, skip_bad=False)
    assert [(e.row, e.field) for e in exc.value.errors] == [
        (4, "components"), (2, "components"), (3, "components")]
    msgs = " | ".join(e.message for e in exc.value.errors)
    assert "'GIFT-1' is a bundle itself" in msgs and "'NOPE' is not in the catalog" in msgs
    res = import_catalog(bundled, f, skip_bad=True)
    assert res.inserted == 1 and count(bundled, "sku", sku="BOX-2") == 0
    assert count(bundled, "barcode", code="6901234567878") == 0


def test_empty_cell_makes_a_plain_sku_again(bundled: Engine, tmp_path: Path,
                                            write_export: Writer) -> None:
    import_catalog(bundled, _catalog(tmp_path, "GIFT-1,礼盒,,0,\n"), skip_bad=False)
    assert count(bundled, "sku_component") == 0
    import_orders(bundled, write_export([order(A)], [line(A, "GIFT-1")]), skip_bad=False)
    assert [s for s, *_ in _lines(bundled, A)] == ["GIFT-1"]
