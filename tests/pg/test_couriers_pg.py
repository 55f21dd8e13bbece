"""Courier rules on PostgreSQL (issue 17 item 5): out of area and weight limits at release, the
weight sum, incidents and proposals, pools, as on SQLite."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import insert

from db.engine import write_tx
from pickpack.core.couriers.incidents import proposals, record_incident
from pickpack.core.couriers.pools import pools
from pickpack.core.release import release
from pickpack.core.tables import COURIERS, SKUS, WAYBILLS
from tests.conftest import make_config
from tests.core.test_courier_rules import CLERK, COURIERS_CFG, _order, _row
from tests.pg.conftest import PgStore


def test_courier_rules_on_postgresql(pg: PgStore, tmp_path: Path) -> None:
    engine = pg.engine
    cfg = make_config(tmp_path, store={"url": pg.url}, couriers=COURIERS_CFG)
    with write_tx(engine) as conn:
        conn.execute(insert(SKUS).values(sku="TEE", name="T恤", on_hand=500, weight_g=200))
        conn.execute(insert(SKUS).values(sku="RICE", name="大米", on_hand=100, weight_g=10_000))
        for code in ("ZTO", "YTO", "EMS"):
            conn.execute(insert(COURIERS).values(code=code, name=code))
            for i in range(3):
                conn.execute(insert(WAYBILLS).values(tracking_no=f"{code}{i:012d}", courier=code))
    _order(engine, "TIBET-1", "西藏自治区", "拉萨市", [("TEE", 1)])
    _order(engine, "ZJ-RICE", "浙江省", "杭州市", [("RICE", 3)])
    _order(engine, "AL-1", "新疆维吾尔自治区", "阿勒泰地区", [("TEE", 1)])
    _order(engine, "AL-22", "新疆维吾尔自治区", "阿勒泰地区", [("TEE", 1)])
    result = release(engine, cfg, CLERK)
    assert result.ready == 3 and result.held == {"no courier for this address": 1}
    assert _row(engine, "ZJ-RICE").courier == "YTO"  # 30.04 kg: over ZTO's 30
    assert _row(engine, "TIBET-1").hold_reason.endswith("ZTO out of area, YTO out of area")
    with write_tx(engine) as conn:
        for no in ("AL-1", "AL-22"):
            record_incident(conn, cfg, CLERK, _row(engine, no).tracking_no, "returned")
        found = proposals(conn, cfg)
        free = {(p.courier, p.platform): p.free for p in pools(conn, cfg)}
    assert [(p.courier, p.region, p.incidents) for p in found] == [
        ("EMS", "新疆维吾尔自治区 阿勒泰地区", 2)]
    assert free[("EMS", "")] == 1 and free[("YTO", "")] == 2 and free[("ZTO", "")] == 3
