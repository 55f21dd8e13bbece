"""The after-sales room on PostgreSQL (migration 0017 and the services' row locks): a short
parcel investigated, confirmed and reshipped, a return received, refunds and tracking imported,
a claim filed, the register read back."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from pickpack.core.aftersales import register as reg
from pickpack.core.aftersales.cases import open_case, solve_case
from pickpack.core.aftersales.claims import file_claim, monthly_summary
from pickpack.core.aftersales.investigate import investigate_case
from pickpack.core.aftersales.reships import create_reship
from pickpack.core.aftersales.returns import arrive, finish_return, receive_item
from pickpack.core.aftersales.tracking import follow_up
from pickpack.core.authority import prove_supervisor
from pickpack.core.events import Actor, now
from pickpack.core.release import release
from pickpack.core.reports import floor_tz
from pickpack.core.tables import ORDERS
from pickpack.intake.refunds import import_refunds
from pickpack.intake.tracking import import_tracking
from tests.core.floorkit import SUPERVISOR_PIN, seed, ship_through
from tests.core.test_aftersales_refunds import NO, export, row
from tests.pg.conftest import PgStore, pg, pg_url  # noqa: F401 - the fixtures

DESK = Actor("D1", "OP2001", "clerk")


def test_after_sales_on_postgresql(pg: PgStore, tmp_path: Path) -> None:  # noqa: F811
    engine, floor, cfg = pg.engine, pg.floor(), pg.config
    seed(engine, orders=3)
    release(engine, cfg, Actor("D1", "desk"))
    ship_through(floor, NO + "00", weight_g=604, basket="B901")
    ship_through(floor, NO + "01", basket="B902")
    case = open_case(floor, DESK, "short", order_key=NO + "00")
    assert investigate_case(floor, DESK, case.id).short_sku == "MUG-WH"
    sup = prove_supervisor(floor, DESK, "OP9001", SUPERVISOR_PIN)
    solve_case(floor, DESK, case.id, "补发", responsible="OP1001", step="pick", supervisor=sup)
    assert create_reship(floor, DESK, case.id, items=[{"sku": "MUG-WH", "qty": 1}],
                         reverse_stock=True) == NO + "00-R1"
    release(engine, cfg, Actor("D1", "desk"))
    with engine.connect() as conn:
        assert conn.execute(select(ORDERS.c.state).where(
            ORDERS.c.order_no == NO + "00-R1")).scalar_one() == "ready"
    res = import_refunds(engine, cfg, export(tmp_path, row(
        NO + "01", "9001", "MUG-WH", "20.00", "是", "等待卖家确认收货", tracking="SF1300000000077"),
        row(NO + "02", "9002", "", "30.00", "否", "退款成功")), skip_bad=False)
    assert res.applied is not None and res.applied.acted == {"return_expected": 1,
                                                             "cancelled": 1}
    parcel = arrive(floor, DESK, "SF1300000000077")
    parcel, _sku, flagged = receive_item(floor, DESK, parcel.id, "6952890786660", "restock")
    assert not flagged
    done = finish_return(floor, DESK, parcel.id)
    assert done.state == "received" and done.flags == ["MUG-WH: declared 2, received 1"]
    with engine.connect() as conn:
        tracking_no = conn.execute(select(ORDERS.c.tracking_no).where(
            ORDERS.c.order_no == NO + "00")).scalar_one()
    (tmp_path / "t.csv").write_text(f"运单号,时间,状态\r\n{tracking_no},2026-11-21 10:00,派送异常\r\n",
                                    encoding="utf-8")
    assert import_tracking(engine, tmp_path / "t.csv", skip_bad=False).inserted == 1
    file_claim(floor, DESK, case.id, value=350, claimed=100)
    with engine.connect() as conn:
        assert [f.why for f in follow_up(conn, cfg)] == ["problem"]
        month = now().astimezone(floor_tz(cfg)).strftime("%Y-%m")
        assert monthly_summary(conn, cfg, month)[0]["claims"] == 1
        register = reg.day_register(conn, cfg, reg.parse_day(None, cfg))
    assert [c.kind for c in register.cases] == ["short", "return_mismatch"]
