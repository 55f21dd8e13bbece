"""The whole lifecycle through the station flows, on a real SQLite file."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine, select

from pickpack.config import Config
from pickpack.core.context import Floor
from pickpack.core.events import Actor
from pickpack.core.flows import make_flow
from pickpack.core.flows.modes import PickFlow, ShipFlow, VerifyFlow, WeighFlow
from pickpack.core.orders import find_order_id, load_order
from pickpack.core.release import release
from pickpack.core.tables import EVENTS, ORDERS, SKUS
from pickpack.scan import Scan
from tests.core.floorkit import SUPERVISOR_PIN, seed


def scan(flow, code: str):  # noqa: ANN001, ANN201 - test shorthand
    return flow.handle(Scan(code))


@pytest.fixture
def floor(engine: Engine, config: Config) -> Floor:
    seed(engine, orders=3)
    result = release(engine, config, Actor("D1", "clerk"))
    assert result.ready == 3, result
    return Floor(engine, config)


def order(floor: Floor, order_no: str):  # noqa: ANN201
    with floor.engine.connect() as conn:
        oid = find_order_id(conn, order_no)
        assert oid is not None
        return load_order(conn, oid, with_events=True)


def final_id(floor: Floor, order_no: str) -> int:
    return order(floor, order_no).id


def events(floor: Floor, kind: str) -> list[dict]:
    with floor.engine.connect() as conn:
        rows = conn.execute(select(EVENTS).where(EVENTS.c.kind == kind).order_by(EVENTS.c.id))
        return [dict(r._mapping, payload=json.loads(r.payload)) for r in rows]


def test_release_assigns_courier_and_waybill(floor: Floor) -> None:
    o = order(floor, "3900000000000000000")
    assert o.state == "ready"
    assert o.courier == "ZTO" and o.tracking_no and o.tracking_no.startswith("7")
    assert [e.kind for e in o.events] == ["released"]


def test_full_route_pick_verify_pack_weigh_ship(floor: Floor) -> None:
    no = "3900000000000000000"
    tracking = order(floor, no).tracking_no
    pick = make_flow(floor, "pick", "P1")
    assert isinstance(pick, PickFlow)
    assert scan(pick, "OP1001").ok
    assert scan(pick, "B001").ok
    bound = scan(pick, no)
    assert bound.ok and bound.order is not None
    assert [line.bin for line in bound.order.lines] == ["A-01-02", "C-02-01"]  # pick path
    assert scan(pick, "CMD:DONE").ok

    verify = make_flow(floor, "verify", "V1")
    assert isinstance(verify, VerifyFlow)
    scan(verify, "OP2001")
    opened = scan(verify, "B001")  # by basket
    assert opened.ok and opened.order and opened.order.order_no == no
    first = scan(verify, "6901661318609")
    assert first.ok and "(1/3)" in first.prompt  # the prompt counts what was committed
    assert scan(verify, "CMD:QTY:2").ok
    done = scan(verify, "6952890786660")
    assert done.ok and done.data.get("complete") is True
    assert order(floor, no).state == "verified"

    pack = make_flow(floor, "pack", "K1")
    scan(pack, "OP3001")
    assert scan(pack, tracking or "").ok
    assert scan(pack, "CMD:CARTON:M").ok

    weigh = make_flow(floor, "weigh", "W1")
    assert isinstance(weigh, WeighFlow)
    scan(weigh, "OP3001")
    opened = scan(weigh, tracking or "")
    assert opened.ok
    assert weigh.on_weight(900, stable=False) is None  # unstable readings never decide
    accepted = weigh.on_weight(214 + 700 + 40 + 5, stable=True)
    assert accepted is not None and accepted.ok
    assert order(floor, no).weight_g == pytest.approx(959)

    ship = make_flow(floor, "ship", "S1")
    assert isinstance(ship, ShipFlow)
    scan(ship, "OP3001")
    assert scan(ship, tracking or "").code == "slip_not_printed"  # no parcel without its slip
    scan(ship, "CMD:OK")
    from pickpack.printing.queue import PrintQueue

    slips = PrintQueue(floor.engine, floor.config)
    slips.enqueue_slips(final_id(floor, no))
    assert slips.run_once() == 2
    added = scan(ship, tracking or "")
    assert added.ok and added.data["manifest"].count == 1
    closed = scan(ship, "CMD:CLOSE")
    assert closed.ok
    final = order(floor, no)
    assert final.state == "shipped"
    kinds = [e.kind for e in final.events]
    assert kinds[:3] == ["released", "pick_started", "picked"]
    assert "verified" in kinds and "packed" in kinds and "weighed" in kinds and kinds[-1] == "shipped"
    assert {e.operator for e in final.events if e.kind == "item_scanned"} == {"OP2001"}
    with floor.engine.connect() as conn:
        mug = conn.execute(select(SKUS.c.on_hand).where(SKUS.c.sku == "MUG-WH")).scalar()
    assert mug == 38  # stock leaves when the courier takes the parcel


def _to_verify(floor: Floor, no: str, basket: str = "B002") -> VerifyFlow:
    pick = make_flow(floor, "pick", "P1")
    for code in ("OP1001", basket, no, "CMD:DONE"):
        assert scan(pick, code).ok, code
    verify = make_flow(floor, "verify", "V1")
    assert isinstance(verify, VerifyFlow)
    scan(verify, "OP2001")
    assert scan(verify, basket).ok
    return verify


def test_wrong_item_is_refused_recorded_and_blamed_on_the_picker(floor: Floor) -> None:
    verify = _to_verify(floor, "3900000000000000001")
    wrong = scan(verify, "6917777412155")  # socks: not in this order
    assert not wrong.ok and wrong.alert and wrong.code == "wrong_item"
    # the station waits: another scan is not taken until OK
    ignored = scan(verify, "6901661318609")
    assert not ignored.ok and ignored.code == "awaiting_ack"
    assert ignored.message.startswith(wrong.message), "what was wrong stays in sight (field test)"
    assert "CMD:OK" in ignored.message and "not taken" in ignored.message
    assert order(floor, "3900000000000000001").lines[0].scanned == 0
    ack = scan(verify, "CMD:OK")
    assert ack.message == "Alert acknowledged"
    assert ack.ok and order(floor, "3900000000000000001").state == "picked"  # OK does nothing else
    refused = [e for e in events(floor, "refused") if e["payload"]["code"] == "wrong_item"]
    assert refused and refused[0]["operator"] == "OP2001"
    assert refused[0]["payload"]["picker"] == "OP1001"


def test_too_many_and_unknown_codes(floor: Floor) -> None:
    verify = _to_verify(floor, "3900000000000000001")
    assert scan(verify, "6901661318609").ok
    too_many = scan(verify, "6901661318609")
    assert too_many.code == "too_many" and too_many.alert
    verify.acknowledge()
    unknown = scan(verify, "NOPE-123")
    assert unknown.code == "unknown_code"
    verify.acknowledge()
    case = scan(verify, "6961760313721")  # a case of 6 mugs: the order wants 2
    assert case.code == "case_code"  # a case where fewer than a case are wanted: not counted
    assert order(floor, "3900000000000000001").lines[1].scanned == 0


def test_undo_takes_back_the_last_scan(floor: Floor) -> None:
    verify = _to_verify(floor, "3900000000000000002")
    assert scan(verify, "6952890786660").ok
    assert scan(verify, "CMD:UNDO").ok
    assert order(floor, "3900000000000000002").lines[1].scanned == 0
    assert scan(verify, "CMD:UNDO").code == "nothing_to_undo"


def test_basket_in_use_cannot_be_bound_twice(floor: Floor) -> None:
    pick = make_flow(floor, "pick", "P1")
    for code in ("OP1001", "B010", "3900000000000000000"):
        assert scan(pick, code).ok
    other = make_flow(floor, "pick", "P2")
    scan(other, "OP1001")
    refused = scan(other, "B010")  # refused as soon as it is scanned, not at the order
    assert refused.code == "basket_in_use"


def test_cancelled_order_is_intercepted_at_the_next_station(floor: Floor) -> None:
    no = "3900000000000000001"
    pick = make_flow(floor, "pick", "P1")
    for code in ("OP1001", "B003", no, "CMD:DONE"):
        assert scan(pick, code).ok
    with floor.engine.begin() as conn:
        conn.execute(ORDERS.update().where(ORDERS.c.order_no == no).values(state="cancelled"))
    verify = make_flow(floor, "verify", "V1")
    scan(verify, "OP2001")
    out = scan(verify, "B003")
    assert out.alert and out.code == "intercepted"
    assert "INTERCEPTED" in out.message


def test_weight_out_of_tolerance_holds_and_needs_a_supervisor(floor: Floor, config: Config) -> None:
    no = "3900000000000000002"
    verify = _to_verify(floor, no, basket="B004")
    scan(verify, "6901661318609")
    scan(verify, "CMD:QTY:2")
    assert scan(verify, "6952890786660").data.get("complete")
    pack = make_flow(floor, "pack", "K1")
    scan(pack, "OP3001"), scan(pack, no), scan(pack, "CMD:CARTON:S")
    weigh = make_flow(floor, "weigh", "W1")
    assert isinstance(weigh, WeighFlow)
    scan(weigh, "OP3001")
    scan(weigh, no)
    out = weigh.on_weight(1500, stable=True)
    assert out is not None and out.alert and out.code == "weight_out_of_tolerance"
    o = order(floor, no)
    assert o.state == "held" and "1500" in o.hold_reason
    assert scan(weigh, "CMD:OK").ok
    # an override by a non-supervisor is refused at the badge (issue 13.7)
    assert scan(weigh, "CMD:ACCEPT").ok
    refused = scan(weigh, "OP3001")
    assert refused.alert and refused.code == "not_supervisor" and weigh.pending is not None
    weigh.acknowledge()  # the override still waits for a supervisor's badge
    assert scan(weigh, "OP9001").ok and weigh.wants_pin
    assert weigh.enter_pin(SUPERVISOR_PIN).ok
    done = scan(weigh, "R:R1")  # as the prompt lists it, without CMD:
    assert done.ok, done.message
    assert done.message == "Weight accepted by supervisor"
    assert order(floor, no).state == "weighed"
    overrides = events(floor, "override")
    assert overrides[-1]["payload"]["supervisor"] == "OP9001"
    assert overrides[-1]["operator"] == "OP3001"


def test_wrong_step_and_not_logged_in(floor: Floor) -> None:
    verify = make_flow(floor, "verify", "V1")
    assert scan(verify, "3900000000000000000").code == "not_logged_in"
    verify.acknowledge()
    scan(verify, "OP2001")
    out = scan(verify, "3900000000000000000")  # still ready: belongs at pick
    assert out.code == "wrong_step" and "belongs at Pick" in out.message


def test_short_route_verify_weigh_ship(engine: Engine, tmp_path) -> None:  # noqa: ANN001
    from tests.conftest import make_config

    cfg = make_config(tmp_path, workflow={"route": ["verify", "weigh", "ship"]})
    seed(engine, orders=1)
    release(engine, cfg, Actor("D1", "clerk"))
    floor = Floor(engine, cfg)
    verify = make_flow(floor, "verify", "V1")
    scan(verify, "OP2001")
    assert scan(verify, "3900000000000000000").ok  # ready goes straight to verify
    scan(verify, "6901661318609")
    assert scan(verify, "6952890786660").code == ""
    assert scan(verify, "6952890786660").data.get("complete")
    weigh = make_flow(floor, "weigh", "W1")
    assert isinstance(weigh, WeighFlow)
    scan(weigh, "OP3001")
    assert scan(weigh, "3900000000000000000").ok
    assert weigh.on_weight(954, stable=True).ok  # type: ignore[union-attr]


def test_unknown_badge_and_unreadable_code(floor: Floor) -> None:
    verify = make_flow(floor, "verify", "V1")
    out = scan(verify, "OP4040")
    assert out.alert and out.code == "unknown_operator" and "OP4040" in out.message
    verify.acknowledge()
    scan(verify, "OP2001")
    bad = scan(verify, "6901661318600")  # EAN-13 with a wrong check digit
    assert bad.alert and bad.code == "invalid_code"
