"""Reships (issue 18.5): a confirmed short parcel's missing mug goes out again as
``<order_no>-R1`` through the whole floor with a waybill of its own, the unit that never left is
back on hand, and the reship never reaches the platform's bulk-ship export; a supervisor's
ship-short opens its case."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine, select

from pickpack.config import Config
from pickpack.core.aftersales.cases import open_case
from pickpack.core.aftersales.investigate import investigate_case
from pickpack.core.aftersales.reships import create_reship, open_ship_short_cases, reships_of
from pickpack.core.aftersales.tables import CASES
from pickpack.core.authority import prove_supervisor
from pickpack.core.context import Floor
from pickpack.core.events import Actor
from pickpack.core.orders import find_order_id
from pickpack.core.overrides import override
from pickpack.core.pick import bind_basket, confirm_pick
from pickpack.core.refusal import Refusal
from pickpack.core.release import release
from pickpack.core.reports import export_shipped
from pickpack.core.tables import EVENTS, ORDERS, SKUS
from pickpack.core.verify import count_item
from tests.core.floorkit import SUPERVISOR_PIN, seed, ship_through

DESK = Actor("D1", "OP2001", "clerk")
NO = "3900000000000000000"


@pytest.fixture
def floor(engine: Engine, config: Config) -> Floor:
    seed(engine, orders=2)
    release(engine, config, Actor("D1", "desk"))
    return Floor(engine, config)


def on_hand(engine: Engine, sku: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(SKUS.c.on_hand).where(SKUS.c.sku == sku)).scalar_one())


def test_a_short_parcels_reship_goes_through_the_whole_floor(floor: Floor,
                                                             config: Config) -> None:
    ship_through(floor, NO, weight_g=604)
    shipped_mugs = on_hand(floor.engine, "MUG-WH")
    case = open_case(floor, DESK, "short", order_key=NO, items=[{"sku": "MUG-WH", "qty": 1}])
    assert investigate_case(floor, DESK, case.id).finding == "short"
    reship = create_reship(floor, DESK, case.id, reverse_stock=True)
    assert reship == NO + "-R1"
    assert on_hand(floor.engine, "MUG-WH") == shipped_mugs + 1  # 冲单: it never left
    release(floor.engine, config, Actor("D1", "desk"))
    with floor.engine.connect() as conn:
        row = conn.execute(select(ORDERS).where(ORDERS.c.order_no == reship)).one()
        original = conn.execute(select(ORDERS).where(ORDERS.c.order_no == NO)).one()
    assert row.state == "ready" and row.tracking_no and row.tracking_no != original.tracking_no
    assert (row.receiver_name, row.street) == (original.receiver_name, original.street)
    ship_through(floor, reship, basket="B902")
    assert on_hand(floor.engine, "MUG-WH") == shipped_mugs  # the reshipped mug left
    with floor.engine.connect() as conn:
        assert reships_of(conn, original.id) == [{"order_no": reship, "state": "shipped",
                                                  "tracking_no": row.tracking_no,
                                                  "kind": "reship", "case": case.id}]
        kinds = set(conn.execute(select(EVENTS.c.kind).where(
            EVENTS.c.order_id == row.id)).scalars())
    assert {"reship_created", "released", "picked", "verified", "packed", "weighed",
            "shipped"} <= kinds
    exported = export_shipped(floor.engine, Actor("X1", "export"))
    assert [r["order_no"] for r in exported] == [NO]  # never the reship
    assert create_reship(floor, DESK, case.id) == NO + "-R2"


def test_a_reship_of_an_unknown_sku_is_refused(floor: Floor) -> None:
    ship_through(floor, NO)
    case = open_case(floor, DESK, "lost", order_key=NO)
    with pytest.raises(Refusal, match="Unknown SKU NOPE"):
        create_reship(floor, DESK, case.id, items=[{"sku": "NOPE", "qty": 1}])


def test_a_supervisors_ship_short_opens_its_case(floor: Floor) -> None:
    picker, verifier = Actor("P1", "OP1001", "picker"), Actor("V1", "OP2001", "verifier")
    no = "3900000000000000001"
    bind_basket(floor, picker, "B903", no)
    with floor.engine.connect() as conn:
        oid = find_order_id(conn, no)
    assert oid is not None
    confirm_pick(floor, picker, oid)
    count_item(floor, verifier, oid, floor.classifier.classify("6901661318609"))
    count_item(floor, verifier, oid, floor.classifier.classify("6952890786660"))
    sup = prove_supervisor(floor, verifier, "OP9001", SUPERVISOR_PIN)
    override(floor, verifier, sup, oid, "ship_short", "R5")
    assert open_ship_short_cases(floor, DESK) == 1
    assert open_ship_short_cases(floor, DESK) == 0
    with floor.engine.connect() as conn:
        case = conn.execute(select(CASES)).one()
    assert (case.kind, case.order_no, json.loads(case.items)) == (
        "ship_short", no, [{"sku": "MUG-WH", "qty": 1}])
