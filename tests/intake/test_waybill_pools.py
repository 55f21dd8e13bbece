"""A waybill pool per platform (issue 15, exports): Pinduoduo and JD orders print only their
own platform's e-waybill numbers, never the shop's or another platform's."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, insert, select

from db.engine import write_tx
from pickpack.config import Config
from pickpack.core.events import Actor
from pickpack.core.release import release
from pickpack.core.tables import SKUS, WAYBILLS
from pickpack.intake import import_orders, import_waybills
from tests.intake.conftest import Writer, line, order, row_of
from tests.intake.test_platforms import PDD_HEADER, _file, pdd

TB, P1, P2 = "3900000000000000001", "201113-1", "201113-2"


def _pool(engine: Engine) -> dict[str, str]:
    with engine.connect() as c:
        return dict(c.execute(select(WAYBILLS.c.tracking_no, WAYBILLS.c.platform)).all())


def test_each_platform_takes_from_its_own_pool(engine: Engine, config: Config, tmp_path: Path,
                                               write_export: Writer) -> None:
    pool = tmp_path / "waybills.csv"
    pool.write_text("courier,tracking_no,platform\nZTO,73100000001,\nZTO,73100000002,pdd\n"
                    "ZTO,73100000003,jd\nZTO,73100000004,PDD\nZTO,73100000005,ebay\n",
                    encoding="utf-8")
    res = import_waybills(engine, pool, skip_bad=True)
    assert res.inserted == 4 and [(e.row, e.field) for e in res.errors] == [(6, "platform")]
    assert _pool(engine)["73100000004"] == "pdd"
    with write_tx(engine) as conn:
        conn.execute(insert(SKUS).values(sku="P01-01", name="T恤", on_hand=50))
    import_orders(engine, write_export([order(TB)], [line(TB)]), skip_bad=False)
    import_orders(engine, [_file(tmp_path, "pdd.csv", PDD_HEADER,
                                 [pdd(P1), pdd(P2), pdd("201113-3")])], skip_bad=False)
    got = release(engine, config, Actor("D1", "clerk"))
    assert got.ready == 3 and got.held == {"no waybill left for YTO": 1}
    assert row_of(engine, TB).tracking_no == "73100000001"
    assert {row_of(engine, P1).tracking_no, row_of(engine, P2).tracking_no} == {
        "73100000002", "73100000004"}
    held = row_of(engine, "201113-3")
    assert (held.state, held.hold_reason) == ("held",
                                              "no waybill left for YTO (pdd e-waybill pool)")
    assert _pool(engine)["73100000003"] == "jd"  # JD's number was never given to a PDD order
    with engine.connect() as c:
        assert c.execute(select(WAYBILLS.c.order_id)
                         .where(WAYBILLS.c.tracking_no == "73100000003")).scalar() is None
