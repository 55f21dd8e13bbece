"""Shipped-parcel follow-up from imported tracking files (issue 18.7): a courier portal's CSV
and an aggregator's JSON; stale, returned and delivered parcels; each listed one can open a case."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from pickpack.config import Config
from pickpack.core.aftersales.tables import CASES, TRACKING
from pickpack.core.aftersales.tracking import follow_up, open_follow_up_cases, status_state
from pickpack.core.aftersales.words import in_words
from pickpack.core.context import Floor
from pickpack.core.events import Actor, now
from pickpack.core.release import release
from pickpack.core.tables import ORDERS
from pickpack.intake.result import ImportFailed
from pickpack.intake.tracking import import_tracking
from tests.core.floorkit import seed, ship_through

NO = "39000000000000000"


@pytest.fixture
def floor(engine: Engine, config: Config) -> Floor:
    seed(engine, orders=3)
    release(engine, config, Actor("D1", "desk"))
    floor = Floor(engine, config)
    for i in range(3):
        ship_through(floor, f"{NO}0{i}", basket=f"B90{i}")
    return floor


def tracking(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.execute(select(ORDERS.c.tracking_no).where(
            ORDERS.c.order_no.like(NO + "%")).order_by(ORDERS.c.order_no)).scalars())


def test_follow_up_from_a_portal_csv_and_an_aggregator_json(floor: Floor, tmp_path: Path,
                                                            config: Config) -> None:
    t0, t1, t2 = tracking(floor.engine)
    today = now().astimezone().strftime("%Y-%m-%d")
    csv = tmp_path / "zto.csv"
    csv.write_text("运单号,扫描时间,物流状态,所在城市\r\n"
                   f"{t0},{today} 08:00:00,【杭州】已揽收,杭州\r\n"
                   f"{t0},{today} 09:30:00,【杭州】已签收，签收人：本人,杭州\r\n",
                   encoding="gb18030")
    res = import_tracking(floor.engine, csv, skip_bad=False)
    assert (res.inserted, res.unchanged) == (2, 0)
    assert import_tracking(floor.engine, csv, skip_bad=False).unchanged == 2  # once each
    js = tmp_path / "agg.json"
    js.write_text(json.dumps({"nu": t1, "data": [
        {"time": f"{today} 10:00:00", "context": "快件已退回寄件人", "areaName": "上海"}]},
        ensure_ascii=False), encoding="utf-8")
    assert import_tracking(floor.engine, js, skip_bad=False).inserted == 1
    with floor.engine.connect() as conn:
        states = dict(conn.execute(select(TRACKING.c.status, TRACKING.c.state)).all())
        listed = follow_up(conn, config)
        later = follow_up(conn, config, at=now() + timedelta(days=8))
    assert sorted(states.values()) == ["delivered", "returned", "transit"]
    assert [(f.tracking_no, f.why) for f in listed] == [(t1, "returned")]
    assert {(f.tracking_no, f.why) for f in later} == {(t1, "returned"), (t2, "stale")}
    opened = open_follow_up_cases(floor, Actor("D1", "OP2001", "clerk"))
    assert len(opened) == 1  # today only the returned parcel is listed
    with floor.engine.connect() as conn:
        kind, claim = conn.execute(select(CASES.c.kind, CASES.c.claim)).one()
        assert (kind, in_words(claim)) == ("tracking", "tracking: 快件已退回寄件人")
        assert claim.startswith("@tracking_status")  # a code, in words when shown
        assert follow_up(conn, config)[0].case == opened[0]
    assert open_follow_up_cases(floor, Actor("D1", "OP2001", "clerk")) == []


def test_bad_tracking_files_are_refused_with_the_row(floor: Floor, tmp_path: Path) -> None:
    csv = tmp_path / "bad.csv"
    csv.write_text("运单号,时间,状态\r\nSF1,昨天,在途\r\n,2026-11-20 10:00,在途\r\n",
                   encoding="utf-8")
    with pytest.raises(ImportFailed) as failed:
        import_tracking(floor.engine, csv, skip_bad=False)
    assert str(failed.value).splitlines() == ["bad.csv row 2, time: not a time: '昨天'",
                                              "bad.csv row 3, tracking_no: empty"]
    (tmp_path / "x.json").write_text("{oops", encoding="utf-8")
    with pytest.raises(ImportFailed, match="x.json: not a JSON file"):
        import_tracking(floor.engine, tmp_path / "x.json", skip_bad=False)
    assert [status_state(s) for s in ("已签收", "拒收退回", "派送异常", "运输中")] == [
        "delivered", "returned", "problem", "transit"]
