"""Batch weighing (issue 17.6): parcels of the same goods weighed together, each recorded with
the batch's per-parcel weight and marked batch-weighed; a total out of band weighs them one by
one. Every weigh scan keeps the code as scanned (issue 13.12)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, update

from db.engine import write_tx
from pickpack.config import Config
from pickpack.core.context import Floor
from pickpack.core.events import Actor
from pickpack.core.flows import make_flow
from pickpack.core.flows.modes import WeighFlow
from pickpack.core.orders import find_order_id
from pickpack.core.release import release
from pickpack.core.tables import LINES
from pickpack.scan import Scan
from tests.core.floorkit import seed
from tests.core.test_lifecycle import events, order, scan
from tests.core.test_weigh_flow import feed

A, B, C, D = (f"39000000000000000{i:02d}" for i in range(4))
"""Each TEE ×1 + MUG ×2: 954 g expected, 906–1002 g (5 %); D gets other goods."""


@pytest.fixture
def floor(engine: Engine, config: Config) -> Floor:
    seed(engine, orders=4)
    release(engine, config, Actor("D1", "clerk"))
    floor = Floor(engine, config)
    for i, no in enumerate((A, B, C, D)):
        steps = {"pick": ["OP1001", f"B00{i + 1}", no, "CMD:DONE"],
                 "verify": ["OP2001", f"B00{i + 1}", "6901661318609", "CMD:QTY:2", "6952890786660"],
                 "pack": ["OP3001", no, "CMD:CARTON:M"]}
        for mode, codes in steps.items():
            flow = make_flow(floor, mode, "X1")
            for code in codes:
                assert flow.handle(Scan(code)).ok, (mode, code)
    with write_tx(engine) as conn:  # D's record now says one mug fewer: other goods
        oid = find_order_id(conn, D)
        conn.execute(update(LINES).where(LINES.c.order_id == oid, LINES.c.sku == "MUG-WH")
                     .values(qty=1))
    return floor


@pytest.fixture
def weigh(floor: Floor) -> WeighFlow:
    flow = make_flow(floor, "weigh", "W1")
    assert isinstance(flow, WeighFlow)
    assert scan(flow, "OP3001").ok
    return flow


def batch_of(weigh: WeighFlow, *nos: str) -> None:
    assert scan(weigh, "CMD:BATCH").ok
    for no in nos:
        out = scan(weigh, no)
        assert out.ok, out.message
    closed = scan(weigh, "CMD:BATCH")
    assert closed.ok and f"Put the {len(nos)} parcels on the scale" in closed.prompt, closed.prompt


def test_a_batch_weighs_each_parcel_at_the_batch_average(weigh: WeighFlow, floor: Floor) -> None:
    feed(weigh, (0, True))
    batch_of(weigh, A, B, C)
    [waiting] = feed(weigh, (900, False), (1910, True))  # two on the scale, the third coming
    assert waiting.ok and waiting.message == "2 of 3 parcels on the scale"
    assert order(floor, A).state == "packed"
    [done] = feed(weigh, (2300, False), (2880, True))
    assert done.ok and "960 g each" in done.message
    weighed = {e["order_id"]: e["payload"] for e in events(floor, "weighed")}
    for no in (A, B, C):
        o = order(floor, no)
        assert o.state == "weighed" and o.weight_g == pytest.approx(960)
        payload = weighed[o.id]
        assert payload["batch_weighed"] is True and payload["weight_g"] == 960
        assert payload["batch"]["parcels"] == 3 and payload["batch"]["total_g"] == 2880
        assert payload["raw"] == no  # the parcel's own scan, not the batch command
    assert len({p["batch"]["id"] for p in weighed.values()}) == 1
    assert feed(weigh, *[(2880, True)] * 3) == []  # taken once


def test_a_total_out_of_band_weighs_them_one_by_one(weigh: WeighFlow, floor: Floor) -> None:
    batch_of(weigh, A, B)
    [out] = feed(weigh, (2300, True))  # 2 × 906–1002 is 1812–2004; one parcel is 906–1002
    assert out.alert and out.code == "batch_out_of_band" and "one by one" in out.message
    assert {order(floor, no).state for no in (A, B)} == {"packed"}
    refused = [e for e in events(floor, "batch_weight_out_of_band")]
    assert len(refused) == 2 and all(e["payload"]["batch"]["total_g"] == 2300 for e in refused)
    assert scan(weigh, "CMD:OK").ok and weigh.batch is None
    assert scan(weigh, A).ok
    [single] = feed(weigh, (0, True), (955, True))
    assert single.ok and order(floor, A).weight_g == pytest.approx(955)
    last = events(floor, "weighed")[-1]["payload"]
    assert "batch_weighed" not in last and last["raw"] == A


def test_a_batch_takes_only_the_same_goods_once(weigh: WeighFlow, floor: Floor) -> None:
    assert scan(weigh, "CMD:BATCH").ok and scan(weigh, A).ok
    twice = scan(weigh, A)
    assert twice.alert and twice.code == "batch_twice"
    assert scan(weigh, "CMD:OK").ok
    other = scan(weigh, D)
    assert other.alert and other.code == "batch_other_goods"
    assert "MUG-WH ×1" in other.message and "MUG-WH ×2" in other.message
    assert scan(weigh, "CMD:OK").ok and scan(weigh, B).ok
    assert weigh.batch is not None and [p.order.order_no for p in weigh.batch.parcels] == [A, B]


def test_the_open_parcel_starts_the_batch_and_one_parcel_is_weighed_alone(
        weigh: WeighFlow, floor: Floor) -> None:
    assert scan(weigh, A).ok  # opened for weighing alone
    assert scan(weigh, "CMD:BATCH").ok and weigh.order is None
    assert weigh.batch is not None and weigh.batch.parcels[0].order.order_no == A
    alone = scan(weigh, "CMD:BATCH")  # nothing more scanned: A is weighed alone
    assert alone.ok and weigh.order is not None and weigh.order.order_no == A
    [done] = feed(weigh, (0, True), (950, True))
    assert done.ok and order(floor, A).weight_g == pytest.approx(950)
    assert events(floor, "weighed")[-1]["payload"]["raw"] == A


def test_a_batch_is_given_up_by_batch_or_cancel(weigh: WeighFlow, floor: Floor) -> None:
    batch_of(weigh, A, B)
    assert "given up" in scan(weigh, "CMD:BATCH").message and weigh.batch is None
    assert feed(weigh, (1908, True)) == []  # nothing awaited any more
    assert scan(weigh, "CMD:BATCH").ok and scan(weigh, A).ok
    assert "given up" in scan(weigh, "CMD:CANCEL").message and weigh.batch is None
    assert {order(floor, no).state for no in (A, B)} == {"packed"}


def test_weigh_scans_keep_the_code_as_scanned(weigh: WeighFlow, floor: Floor) -> None:
    out = weigh.handle(Scan(A, symbology="]C0"))
    assert out.ok
    opened = events(floor, "weigh_opened")[-1]["payload"]
    assert (opened["raw"], opened["symbology"], opened["key"]) == (A, "]C0", A)
    feed(weigh, (0, True), (954, True))
    weighed = events(floor, "weighed")[-1]["payload"]
    assert (weighed["raw"], weighed["symbology"]) == (A, "]C0")
    assert scan(weigh, "CMD:BATCH").ok
    assert weigh.handle(Scan(B, symbology="]C0")).ok
    joined = events(floor, "weigh_opened")[-1]["payload"]
    assert joined["raw"] == B and joined["batch"] == weigh.batch.id  # type: ignore[union-attr]
