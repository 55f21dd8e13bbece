"""The desk's services on PostgreSQL (issue 16): the same holds, acks, address changes, merge and
split as on SQLite, row locks and all."""

from __future__ import annotations

import pytest
from sqlalchemy import insert, select

from db.engine import write_tx
from pickpack.core.desk.ack import acknowledge
from pickpack.core.desk.address import edit_address
from pickpack.core.desk.holds import cancel_order, hold_order, release_order
from pickpack.core.desk.parcels import merge_orders, unmerge
from pickpack.core.desk.split import split_order, unsplit
from pickpack.core.orders import list_orders, load_order, require_order_id
from pickpack.core.refusal import Refusal
from pickpack.core.release import release
from pickpack.core.tables import SKUS
from tests.core.desk_kit import CLERK, events, express_printed, oid, row, set_order, supervisor
from tests.core.floorkit import seed
from tests.pg.conftest import PgStore

A, B, C, D = (f"39000000000000000{i:02d}" for i in range(4))


def test_the_desk_on_postgresql(pg: PgStore) -> None:
    engine, floor = pg.engine, pg.floor()
    floor.config.desk.gifts["小毛巾"] = "GIFT-TOWEL"
    seed(engine, orders=4)
    with write_tx(engine) as conn:
        conn.execute(insert(SKUS).values(sku="GIFT-TOWEL", name="小毛巾", on_hand=50))
    set_order(engine, D, seller_memo="赠品：小毛巾一条")
    result = release(engine, floor.config, CLERK)
    assert result.ready == 3 and result.held == {"remark to acknowledge": 1}
    assert acknowledge(floor, CLERK, oid(engine, D)).gift_lines == ["GIFT-TOWEL*1"]
    assert events(engine, D, "remark_acked")[-1][1]["actions"][0]["value"] == "GIFT-TOWEL"

    hold_order(floor, CLERK, oid(engine, C), "BUYER")
    assert release_order(floor, CLERK, oid(engine, C), "BUYER").state == "ready"
    set_order(engine, C, state="picking")
    with pytest.raises(Refusal) as refused:
        cancel_order(floor, CLERK, oid(engine, C), "REFUND")
    assert refused.value.code == "needs_supervisor"
    assert cancel_order(floor, CLERK, oid(engine, C), "REFUND",
                        supervisor(floor)).state == "cancelled"

    merged = merge_orders(floor, CLERK, [oid(engine, A), oid(engine, B)])
    assert merged.orders == [A, B] and merged.state == "ready"
    with engine.connect() as conn:
        assert require_order_id(conn, B) == oid(engine, A)
        assert {o["order_no"] for o in list_orders(conn)} == {A, B, C, D}
    assert unmerge(floor, CLERK, oid(engine, A)).orders == [A]

    with engine.connect() as conn:
        mug = next(x.id for x in load_order(conn, oid(engine, D)).lines if x.sku == "MUG-WH")
    split = split_order(floor, CLERK, oid(engine, D), [(mug, 1)])
    assert split.parcels == [D, f"{D}-2"] and row(engine, f"{D}-2").tracking_no
    assert unsplit(floor, CLERK, oid(engine, f"{D}-2")).parcel == D

    old = row(engine, D).tracking_no
    express_printed(engine, D)
    done = edit_address(floor, CLERK, oid(engine, D), {"street": "长江路8号"}, "BUYER")
    assert done.tracking_no != old and done.note.startswith(f"void {old}")
    with engine.connect() as conn:
        with pytest.raises(Refusal) as void:
            require_order_id(conn, old)
        assert void.value.code == "void_slip"
        assert conn.execute(select(SKUS.c.sku).where(SKUS.c.sku == "GIFT-TOWEL")).scalar()
