"""The real sample exports (GB18030, CRLF, Excel-style numbers) import as they come."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine

from pickpack.intake import import_catalog, import_orders, import_waybills
from pickpack.intake.source import detect_encoding
from tests.intake.conftest import count, counts, events_of, row_of


def _files(shared_data: Path) -> list[Path]:
    d = shared_data / "taobao"
    return [d / "ExportOrderList.csv", d / "ExportOrderDetailList.csv"]


def test_sample_orders_counts_and_states(engine: Engine, shared_data: Path) -> None:
    res = import_orders(engine, _files(shared_data), skip_bad=False)
    assert (res.inserted, res.lines, res.errors) == (300, 492, [])
    assert counts(engine) == (300, 492, 300)
    assert count(engine, "orders", state="new") == 300  # all 买家已付款，等待卖家发货
    assert count(engine, "event", kind="imported") == 300


def test_sample_known_order(engine: Engine, shared_data: Path) -> None:
    import_orders(engine, list(reversed(_files(shared_data))), skip_bad=False)  # either order
    o = row_of(engine, "3924115146664669736")
    assert (o.province, o.city, o.district) == ("上海", "上海市", "浦东新区")
    assert (o.street, o.postcode) == ("中山路513号29栋2137室", "677122")
    assert o.receiver_phone == "15312581535"
    assert o.receiver_name == "周芳强"  # GB18030 decoded
    assert o.buyer == "tb74291655" and o.shop == "示例旗舰店"
    assert o.platform_status == "买家已付款，等待卖家发货" and o.state == "new"
    assert o.total == 57.9
    # China time 2026-11-13 17:59:35 is 09:59:35 UTC
    assert o.created_at.replace(tzinfo=UTC) == datetime(2026, 11, 13, 9, 59, 35, tzinfo=UTC)
    ev = events_of(engine, "3924115146664669736")
    assert [e.kind for e in ev] == ["imported"]
    payload = json.loads(ev[0].payload)
    assert payload["state"] == "new" and payload["platform_status"] == "买家已付款，等待卖家发货"
    assert ev[0].station == "desk" and ev[0].operator == "import" and len(ev[0].uuid) == 32


def test_sample_remarks_and_gb18030(engine: Engine, shared_data: Path) -> None:
    import_orders(engine, _files(shared_data), skip_bad=False)
    o = row_of(engine, "3985096100519965574")
    assert o.buyer_remark == "请尽快发货"
    assert (o.receiver_name, o.province, o.city, o.district) == ("刘勇", "四川省", "成都市", "武侯区")
    assert count(engine, "orders", seller_memo="赠品：小毛巾一条") == 5
    assert count(engine, "orders", province="新疆维吾尔自治区") == 33
    raw = (shared_data / "taobao" / "ExportOrderList.csv").read_bytes()
    assert detect_encoding(raw[:65536]) == "gb18030"


def test_sample_catalog_and_waybills(engine: Engine, shared_data: Path) -> None:
    res = import_catalog(engine, shared_data / "catalog.csv", skip_bad=False)
    assert (res.inserted, res.lines) == (20, 22)
    assert count(engine, "barcode", code="6961760313721", units=6) == 1
    res = import_waybills(engine, shared_data / "waybills.csv", skip_bad=False)
    assert res.inserted == 1500 and count(engine, "courier") == 5
    assert count(engine, "courier", code="ZTO", name="中通快递") == 1
    again = import_waybills(engine, shared_data / "waybills.csv", skip_bad=False)
    assert (again.inserted, again.unchanged) == (0, 1500)
    again_c = import_catalog(engine, shared_data / "catalog.csv", skip_bad=False)
    assert (again_c.inserted, again_c.updated, again_c.unchanged) == (0, 0, 20)
