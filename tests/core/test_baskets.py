"""Baskets: bound at pick, free only once their goods have left them (put away when the order
was cancelled); twenty processes binding new codes at once; a picker verifying their own basket;
a hold at verify asks its reason."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, insert, select

from db.engine import write_tx
from pickpack.config import Config
from pickpack.core.context import Floor
from pickpack.core.events import Actor
from pickpack.core.flows import make_flow
from pickpack.core.release import release
from pickpack.core.tables import BASKETS, EVENTS, OPERATORS, ORDERS, SKUS
from pickpack.scan import Scan
from tests.conftest import make_config
from tests.core.bind_race import race
from tests.core.floorkit import seed


def test_twenty_processes_binding_new_baskets_on_sqlite(engine: Engine, tmp_path: Path) -> None:
    race(engine, str(engine.url), tmp_path)


# -- a basket is free only once its goods have left it ---------------------------------------

NO = "3900000000000000001"


@pytest.fixture
def floor(engine: Engine, config: Config) -> Floor:
    seed(engine, orders=3)
    assert release(engine, config, Actor("D1", "clerk")).ready == 3
    return Floor(engine, config)


def scan(flow, code: str):  # noqa: ANN001, ANN201 - test shorthand
    return flow.handle(Scan(code))


def _picked(floor: Floor, basket: str, order_no: str = NO) -> None:
    pick = make_flow(floor, "pick", "P1")
    for code in ("OP1001", basket, order_no, "CMD:DONE"):
        assert scan(pick, code).ok, code


def _kinds(floor: Floor, kind: str) -> list[dict]:
    with floor.engine.connect() as conn:
        return [json.loads(p) for p in conn.execute(
            select(EVENTS.c.payload).where(EVENTS.c.kind == kind).order_by(EVENTS.c.id)).scalars()]


def _bound(floor: Floor, basket: str) -> int | None:
    with floor.engine.connect() as conn:
        return conn.execute(select(BASKETS.c.order_id).where(BASKETS.c.code == basket)).scalar()


def _cancel(floor: Floor, order_no: str = NO) -> None:
    with floor.engine.begin() as conn:
        conn.execute(ORDERS.update().where(ORDERS.c.order_no == order_no)
                     .values(state="cancelled"))


def test_a_basket_holding_a_picked_order_is_refused_when_scanned(floor: Floor) -> None:
    _picked(floor, "B001")
    pick = make_flow(floor, "pick", "P2")
    scan(pick, "OP1001")
    out = scan(pick, "B001")
    assert out.alert and out.code == "basket_in_use"
    assert NO in out.message and "picked" in out.message
    assert pick.basket is None  # type: ignore[attr-defined]


def test_an_intercepted_orders_basket_is_put_away_and_freed(floor: Floor) -> None:
    _picked(floor, "B003")
    _cancel(floor)
    pick = make_flow(floor, "pick", "P2")
    scan(pick, "OP1001")
    offer = scan(pick, "B003")
    assert offer.ok and not offer.alert and NO in offer.message
    assert "CMD:PUTAWAY" in offer.prompt
    assert scan(pick, "3900000000000000002").code == "put_away_first"
    scan(pick, "CMD:OK")
    done = scan(pick, "CMD:PUTAWAY")
    assert done.ok and "3" in done.message  # 1 tee + 2 mugs back to their bins
    assert _bound(floor, "B003") is None
    [moved] = _kinds(floor, "put_away")
    assert moved["basket"] == "B003"
    assert moved["lines"] == [{"sku": "TEE-BK-XL", "qty": 1, "bin": "A-01-02"},
                              {"sku": "MUG-WH", "qty": 2, "bin": "C-02-01"}]
    with floor.engine.connect() as conn:  # stock leaves at ship: nothing left on hand
        assert conn.execute(select(SKUS.c.on_hand).where(SKUS.c.sku == "MUG-WH")).scalar() == 40
    # the freed basket takes the next order
    for code in ("B003", "3900000000000000002"):
        assert scan(pick, code).ok, code


def test_put_away_command_first_then_the_basket(floor: Floor) -> None:
    _picked(floor, "B004")
    _cancel(floor)
    pick = make_flow(floor, "pick", "P2")
    scan(pick, "OP1001")
    assert scan(pick, "CMD:PUTAWAY").prompt == "Scan the basket to put away"
    assert scan(pick, "B004").ok
    assert _bound(floor, "B004") is None and len(_kinds(floor, "put_away")) == 1


def test_put_away_of_an_order_in_progress_or_an_empty_basket_is_refused(floor: Floor) -> None:
    _picked(floor, "B005")
    pick = make_flow(floor, "pick", "P2")
    scan(pick, "OP1001")
    scan(pick, "CMD:PUTAWAY")
    out = scan(pick, "B005")
    assert out.code == "not_intercepted" and _bound(floor, "B005") is not None
    scan(pick, "CMD:OK")
    scan(pick, "CMD:PUTAWAY")
    assert scan(pick, "B099").code == "basket_empty"
    assert _kinds(floor, "put_away") == []


# -- a picker verifying their own basket ------------------------------------------------------

def _own_pick_floor(engine: Engine, tmp_path: Path, policy: str | None) -> Floor:
    workflow = {} if policy is None else {"verify_own_pick": policy}
    config = make_config(tmp_path, workflow=workflow)
    seed(engine, orders=2)
    with write_tx(engine) as conn:
        conn.execute(insert(OPERATORS).values(code="OP5001", name="周全能", role="picker",
                                              roles="picker,verifier", active=True))
    assert release(engine, config, Actor("D1", "clerk")).ready == 2
    floor = Floor(engine, config)
    pick = make_flow(floor, "pick", "P1")
    for code in ("OP5001", "B020", NO, "CMD:DONE"):
        assert scan(pick, code).ok, code
    return floor


def test_own_pick_warns_by_default_and_records_it(engine: Engine, tmp_path: Path) -> None:
    floor = _own_pick_floor(engine, tmp_path, None)
    verify = make_flow(floor, "verify", "V1")
    scan(verify, "OP5001")
    out = scan(verify, "B020")
    assert out.ok and not out.alert and "yourself" in out.data["notice"]
    assert _kinds(floor, "own_pick_warned") == [{"picker": "OP5001"}]


def test_own_pick_refused(engine: Engine, tmp_path: Path) -> None:
    floor = _own_pick_floor(engine, tmp_path, "refuse")
    verify = make_flow(floor, "verify", "V1")
    scan(verify, "OP5001")
    out = scan(verify, "B020")
    assert out.alert and out.code == "own_pick" and verify.order is None
    other = make_flow(floor, "verify", "V2")
    scan(other, "OP2001")
    assert scan(other, "B020").ok  # another verifier opens it


def test_own_pick_allowed(engine: Engine, tmp_path: Path) -> None:
    floor = _own_pick_floor(engine, tmp_path, "allow")
    verify = make_flow(floor, "verify", "V1")
    scan(verify, "OP5001")
    out = scan(verify, "B020")
    assert out.ok and "notice" not in out.data and _kinds(floor, "own_pick_warned") == []


# -- hold at verify asks a reason -------------------------------------------------------------

def test_hold_at_verify_asks_a_reason(floor: Floor) -> None:
    _picked(floor, "B006")
    verify = make_flow(floor, "verify", "V1")
    scan(verify, "OP2001")
    scan(verify, "B006")
    asked = scan(verify, "CMD:HOLD")
    assert asked.ok and "reason" in asked.prompt and "Scan the items" not in asked.prompt
    assert scan(verify, "6901661318609").code == "hold_needs_reason"  # not counted meanwhile
    scan(verify, "CMD:OK")
    held = scan(verify, "CMD:HOLD:H1")
    assert held.ok and verify.order is None and held.prompt.startswith("Scan the express slip")
    with floor.engine.connect() as conn:
        row = conn.execute(select(ORDERS.c.state, ORDERS.c.hold_reason)
                           .where(ORDERS.c.order_no == NO)).one()
    assert tuple(row) == ("held", "item damaged")


def test_hold_with_a_typed_reason_and_cancel(floor: Floor) -> None:
    _picked(floor, "B007")
    verify = make_flow(floor, "verify", "V1")
    scan(verify, "OP2001")
    scan(verify, "B007")
    scan(verify, "CMD:HOLD")
    assert scan(verify, "CMD:CANCEL").ok and verify.order is not None  # back to counting
    assert scan(verify, "6901661318609").ok
    scan(verify, "CMD:HOLD")
    held = verify.hold_order("箱子破了")  # type: ignore[attr-defined]
    assert held.ok and _kinds(floor, "held")[-1]["reason"] == "箱子破了"

def test_a_route_without_verify_frees_the_basket_when_packed(engine: Engine,
                                                             tmp_path: Path) -> None:
    config = make_config(tmp_path, workflow={"route": ["pick", "pack", "weigh", "ship"]})
    seed(engine, orders=1)
    assert release(engine, config, Actor("D1", "clerk")).ready == 1
    floor = Floor(engine, config)
    _picked(floor, "B030", "3900000000000000000")
    pack = make_flow(floor, "pack", "K1")
    for code in ("OP3001", "B030"):
        assert scan(pack, code).ok, code
    assert _bound(floor, "B030") is not None  # the goods are still in it
    assert scan(pack, "CMD:CARTON:M").ok
    assert _bound(floor, "B030") is None


def test_verified_goods_keep_their_basket_until_packed(floor: Floor) -> None:
    """On the whole-floor route the verified goods wait in their basket for the packer: a
    second picker must not take it, and packing frees it."""
    _picked(floor, "B040")
    verify = make_flow(floor, "verify", "V1")
    for code in ("OP2001", "B040", "6901661318609", "CMD:QTY:2", "6952890786660"):
        assert scan(verify, code).ok, code
    assert _bound(floor, "B040") is not None
    pick = make_flow(floor, "pick", "P2")
    assert scan(pick, "OP1001").ok
    assert not scan(pick, "B040").ok  # still holding the verified goods
    pack = make_flow(floor, "pack", "K1")
    for code in ("OP3001", "B040", "CMD:CARTON:M"):
        assert scan(pack, code).ok, code
    assert _bound(floor, "B040") is None


def test_a_route_without_pack_frees_the_basket_at_verify(engine: Engine, tmp_path: Path) -> None:
    config = make_config(tmp_path, workflow={"route": ["pick", "verify", "weigh", "ship"]})
    seed(engine, orders=1)
    assert release(engine, config, Actor("D1", "clerk")).ready == 1
    floor = Floor(engine, config)
    _picked(floor, "B041", "3900000000000000000")
    verify = make_flow(floor, "verify", "V1")
    for code in ("OP2001", "B041", "6901661318609", "CMD:QTY:2", "6952890786660"):
        assert scan(verify, code).ok, code
    assert _bound(floor, "B041") is None
