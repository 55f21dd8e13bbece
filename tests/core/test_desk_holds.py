"""Release, hold and cancel at the desk (issue 16.2): reason codes, events, who may."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, insert, select

from db.engine import write_tx
from pickpack.config import Config
from pickpack.core.context import Floor
from pickpack.core.desk.holds import cancel_order, hold_order, release_order
from pickpack.core.events import Actor
from pickpack.core.pick import bind_basket, put_away
from pickpack.core.refusal import Refusal
from pickpack.core.release import release
from pickpack.core.ship import close_manifest, remove_parcel, scan_parcel
from pickpack.core.tables import BASKETS, EVENTS, LINES
from pickpack.core.verify import open_for_verify
from tests.conftest import make_config
from tests.core.desk_kit import (
    CLERK,
    events,
    express_printed,
    oid,
    row,
    seeded,
    set_order,
    supervisor,
)

A, B, C = (f"39000000000000000{i:02d}" for i in range(3))


@pytest.fixture
def config(tmp_path) -> Config:  # type: ignore[no-untyped-def]
    return make_config(tmp_path, floor={"bulk_units": 10})


@pytest.fixture
def engine(config: Config) -> Iterator[Engine]:
    yield from seeded(config)


@pytest.fixture
def floor(engine: Engine, config: Config) -> Floor:
    return Floor(engine, config)


def refused(engine: Engine) -> list[str]:
    import json

    with engine.connect() as conn:
        return [json.loads(p)["code"] for p in conn.execute(
            select(EVENTS.c.payload).where(EVENTS.c.kind == "refused")).scalars()]


def test_the_clerks_hold_is_released_by_the_clerk(engine: Engine, config: Config,
                                                  floor: Floor) -> None:
    release(engine, config, CLERK)
    held = hold_order(floor, CLERK, oid(engine, A), "buyer", "call back at 3")
    assert (held.state, held.was, held.reason) == ("held", "ready", "BUYER")
    assert row(engine, A).hold_reason.startswith("BUYER: the buyer asked to wait")
    kind, payload = events(engine, A, "held")[-1]
    assert payload["code"] == "BUYER" and payload["desk"] is True and payload["audit"] is False
    with pytest.raises(Refusal, match="not held"):
        release_order(floor, CLERK, oid(engine, B), "FIXED")
    again = release_order(floor, CLERK, oid(engine, A), "buyer")
    assert (again.state, again.supervisor) == ("ready", None)
    _, payload = events(engine, A, "hold_released")[-1]
    assert payload["code"] == "BUYER" and payload["from"] == "held" and payload["to"] == "ready"
    # a second release writes nothing for it: the desk's hold is not the audit's
    assert release(engine, config, CLERK).cleared == 0
    with pytest.raises(Refusal, match="Unknown reason code NOPE"):
        hold_order(floor, CLERK, oid(engine, A), "NOPE")


def test_a_bulk_order_needs_a_supervisor_whose_release_the_audit_keeps(
        engine: Engine, config: Config, floor: Floor) -> None:
    a = oid(engine, A)
    with write_tx(engine) as conn:
        conn.execute(insert(LINES).values(order_id=a, sku="TEE-BK-XL", name="T", qty=9))
    release(engine, config, CLERK)
    assert row(engine, A).hold_reason.startswith("bulk order (12 units)")
    with pytest.raises(Refusal, match="needs a supervisor") as no:
        release_order(floor, CLERK, oid(engine, A), "BULK_OK")
    assert no.value.code == "needs_supervisor" and "needs_supervisor" in refused(engine)
    done = release_order(floor, CLERK, oid(engine, A), "BULK_OK", supervisor(floor))
    assert (done.state, done.supervisor) == ("ready", "OP9001")
    _, payload = events(engine, A, "hold_released")[-1]
    assert payload["waived"] == ["bulk"] and payload["supervisor"] == "OP9001"
    assert events(engine, A)[-1][0] == "released"  # audited again at once: ready, a waybill
    assert row(engine, A).tracking_no


def test_a_stock_hold_before_the_stock_and_a_station_hold_need_a_supervisor(
        engine: Engine, config: Config, floor: Floor) -> None:
    b = oid(engine, B)
    with write_tx(engine) as conn:
        conn.execute(insert(LINES).values(order_id=b, sku="SOCK-3", name="S", qty=4))
    release(engine, config, CLERK)
    assert row(engine, B).hold_reason == "short of stock: SOCK-3"
    with pytest.raises(Refusal, match="needs a supervisor"):
        release_order(floor, CLERK, oid(engine, B), "STOCK_OK")
    assert release_order(floor, CLERK, oid(engine, B), "STOCK_OK",
                         supervisor(floor)).state == "ready"
    set_order(engine, C, state="held", held_from="verified", hold_reason="weight")
    with pytest.raises(Refusal, match=r"station hold\) needs a supervisor"):
        release_order(floor, CLERK, oid(engine, C), "WEIGHT_OK")
    assert release_order(floor, CLERK, oid(engine, C), "WEIGHT_OK",
                         supervisor(floor)).state == "verified"


def test_an_audit_hold_whose_reason_stays_is_refused_with_the_fix(
        engine: Engine, config: Config, floor: Floor) -> None:
    set_order(engine, A, receiver_phone="")
    release(engine, config, CLERK)
    with pytest.raises(Refusal, match="still waits for: address incomplete: receiver_phone"):
        release_order(floor, CLERK, oid(engine, A), "FIXED", supervisor(floor))
    set_order(engine, A, receiver_phone="13800000000")
    assert release_order(floor, CLERK, oid(engine, A), "FIXED").state == "ready"


def test_cancel_before_the_floor_by_the_clerk_on_the_floor_by_a_supervisor(
        engine: Engine, config: Config, floor: Floor) -> None:
    release(engine, config, CLERK)
    waybill = row(engine, A).tracking_no
    gone = cancel_order(floor, CLERK, oid(engine, A), "refund")
    assert (gone.state, gone.was, gone.note) == ("cancelled", "ready", "")
    assert row(engine, A).tracking_no is None  # never printed: the number back to the pool
    assert events(engine, A, "cancelled")[-1][1]["waybill_back"] == waybill
    assert events(engine, A, "cancelled")[-1][1]["code"] == "REFUND"
    with pytest.raises(Refusal, match="already cancelled"):
        cancel_order(floor, CLERK, oid(engine, A), "REFUND")
    picker = Actor("P1", "OP1001", "picker")
    bind_basket(floor, picker, "B001", B)
    with pytest.raises(Refusal, match=r"on the floor: picking\) needs a supervisor"):
        cancel_order(floor, CLERK, oid(engine, B), "BUYER")
    done = cancel_order(floor, CLERK, oid(engine, B), "BUYER", supervisor(floor))
    assert done.note == "intercepted on the floor"
    with pytest.raises(Refusal) as stop:  # every station: intercepted
        open_for_verify(floor, Actor("V1", "OP2001", "verifier"), B)
    assert stop.value.code == "intercepted"
    lines = put_away(floor, picker, "B001")
    assert {line["sku"] for line in lines} == {"TEE-BK-XL", "MUG-WH"}
    with engine.connect() as conn:
        assert conn.execute(select(BASKETS.c.order_id).where(BASKETS.c.code == "B001")).scalar() \
            is None


def test_a_cancel_on_a_manifest_is_left_out_at_close_and_scanned_off(
        engine: Engine, config: Config, floor: Floor) -> None:
    release(engine, config, CLERK)
    for key in (A, B):
        set_order(engine, key, state="weighed", weight_g=1000)
        express_printed(engine, key)
    shipper = Actor("S1", "OP3001", "packer")
    scan_parcel(floor, shipper, row(engine, A).tracking_no)
    mid = row(engine, B).tracking_no
    scan_parcel(floor, shipper, mid)
    cancel_order(floor, CLERK, oid(engine, B), "REFUND", supervisor(floor))
    with pytest.raises(Refusal) as stop:
        scan_parcel(floor, shipper, mid)
    assert stop.value.code == "intercepted"
    closed = close_manifest(floor, shipper, row(engine, A).manifest_id)
    assert [p.order_no for p in closed.left_out] == [B]
    assert row(engine, A).state == "shipped" and row(engine, B).state == "cancelled"
    remove_parcel(floor, shipper, mid)
    assert row(engine, B).manifest_id is None
