"""Field test: the handover manifest slip reads as the floor reads it — its time in the
``[floor] timezone`` (not UTC), the courier's name beside its code, and a difference closed by
a supervisor printed with the supervisor's name and the reason in the slip's language."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from pickpack.config import Config
from pickpack.core.context import Floor
from pickpack.core.reports import local_time
from pickpack.core.tables import MANIFESTS
from pickpack.printing.slips import for_key
from pickpack.scan import Scan
from printers import Manifest
from tests.conftest import make_config
from tests.core.floorkit import SUPERVISOR_PIN
from tests.core.test_handover_counts import SF, five_parcels, manifest_text, ship_station


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return make_config(tmp_path, printers={"express": f"preview://{tmp_path / 'slips'}",
                                           "packing": f"preview://{tmp_path / 'slips'}"},
                       couriers={"names": {"SF": "顺丰速运"}})


def test_the_manifest_slip_prints_floor_time_courier_name_and_the_supervisors_reason(
        engine: Engine, config: Config) -> None:
    floor: Floor = five_parcels(engine, config)
    flow = ship_station(floor)
    for tracking in SF[:2]:
        assert flow.handle(Scan(tracking)).ok
    assert flow.handle(Scan("CMD:CLOSE")).code == "handover_difference"
    assert flow.handle(Scan("CMD:OK")).ok
    assert flow.handle(Scan("OP9001")).ok and flow.enter_pin(SUPERVISOR_PIN).ok
    assert flow.handle(Scan("CMD:DIFF:D1")).ok
    with engine.connect() as conn:
        closed_at = conn.execute(select(MANIFESTS.c.closed_at)).scalar_one()
    text = manifest_text(floor, config)
    assert f"交接时间：{local_time(closed_at, config)}" in text  # Asia/Shanghai, not UTC
    assert "顺丰速运 SF" in text
    assert "主管确认：OP9001 陈主管\n原因：包裹仍在仓内：随下一张交接单发出" in text, text
    assert "parcel still on the floor" not in text
    with engine.connect() as conn:  # a reprint (pickpack print manifest 1) reads the same
        again = for_key(conn, "manifest", "1", config)
    assert isinstance(again, Manifest) and again.courier_name == "顺丰速运"
    assert again.closed_at is not None and again.closed_at.utcoffset() == timedelta(hours=8)
