"""Overrides at a station: badge (refused at once if not a supervisor's), typed PIN, reason code;
logins only at stations serving the operator's roles; the idle logout (issues 13.7, 13.9, 14.9)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select

from pickpack.config import Config
from pickpack.core.authority import MAX_TRIES
from pickpack.core.context import Floor
from pickpack.core.events import Actor
from pickpack.core.flows import make_flow
from pickpack.core.flows.modes import WeighFlow
from pickpack.core.release import release
from pickpack.core.tables import SKUS
from pickpack.printing.queue import PrintQueue
from tests.conftest import make_config
from tests.core.floorkit import SUPERVISOR_PIN, seed
from tests.core.test_lifecycle import _to_verify, events, order, scan

NO = "3900000000000000001"


@pytest.fixture
def floor(engine: Engine, config: Config) -> Floor:
    seed(engine, orders=3)
    release(engine, config, Actor("D1", "clerk"))
    return Floor(engine, config)


def _override(flow, command: str, pin: str = SUPERVISOR_PIN):  # noqa: ANN001, ANN202
    assert scan(flow, command).ok
    badge = scan(flow, "OP9001")
    assert badge.ok and flow.wants_pin and badge.data == {"pin": True}
    return flow.enter_pin(pin)


def stock(floor: Floor, sku: str) -> int:
    with floor.engine.connect() as conn:
        return int(conn.execute(select(SKUS.c.on_hand).where(SKUS.c.sku == sku)).scalar_one())


def test_a_supervisor_badge_alone_ships_nothing(floor: Floor) -> None:
    verify = _to_verify(floor, NO)
    assert scan(verify, "CMD:SHORT").ok
    assert scan(verify, "OP9001").ok
    refused = scan(verify, "CMD:R:R3")  # the PIN was skipped: no authority
    assert refused.alert and refused.code == "pin_not_scanned"
    assert order(floor, NO).state == "picked" and verify.pending is None
    verify.acknowledge()
    scan(verify, "CMD:SHORT"), scan(verify, "OP9001")
    assert scan(verify, "9001").code == "pin_not_scanned"  # a PIN is never a scan


def test_a_wrong_pin_ends_the_override_and_counts(floor: Floor) -> None:
    verify = _to_verify(floor, NO)
    wrong = _override(verify, "CMD:SHORT", "0000")
    assert wrong.alert and wrong.code == "bad_pin" and verify.pending is None
    assert events(floor, "pin_refused")[-1]["payload"]["tries"] == 1
    verify.acknowledge()
    for _ in range(MAX_TRIES - 1):
        verify.acknowledge()
        last = _override(verify, "CMD:SHORT", "0000")
    assert last.code == "supervisor_locked"
    verify.acknowledge()
    assert scan(verify, "CMD:SHORT").ok
    locked = scan(verify, "OP9001")  # refused at the badge while locked
    assert locked.alert and locked.code == "supervisor_locked"


@pytest.mark.parametrize("reason", ["CMD:R:R3", "R:R3", "r:r3"])
def test_ship_short_ships_and_takes_out_of_stock_what_was_counted(floor: Floor, reason: str
                                                                   ) -> None:
    verify = _to_verify(floor, NO)
    assert scan(verify, "6901661318609").ok  # the tee; 0 of 2 mugs
    asked = _override(verify, "CMD:SHORT")
    assert asked.ok and "R:R3" in asked.prompt
    done = scan(verify, reason)
    assert done.ok and done.message == "Shipped short by supervisor", done.message
    payload = events(floor, "override")[-1]["payload"]
    assert payload["override"] == "ship_short" and payload["supervisor"] == "OP9001"
    assert [(o["sku"], o["ordered"], o["counted"], o["missing"]) for o in payload["owed"]] == [
        ("MUG-WH", 2, 0, 2)]
    shipped = order(floor, NO)
    assert [(line.sku, line.qty) for line in shipped.lines] == [("TEE-BK-XL", 1), ("MUG-WH", 0)]
    tee, mug = stock(floor, "TEE-BK-XL"), stock(floor, "MUG-WH")
    slips = PrintQueue(floor.engine, floor.config, Actor("V1", "OP2001"))
    slips.enqueue_slips(shipped.id)  # what the station does after the last verify
    assert slips.run_once() == 2
    pack = make_flow(floor, "pack", "K1")
    for code in ("OP3001", NO, "CMD:CARTON:S"):
        assert scan(pack, code).ok, code
    weigh = make_flow(floor, "weigh", "W1")
    assert isinstance(weigh, WeighFlow)
    scan(weigh, "OP3001"), scan(weigh, NO)
    assert weigh.expected is not None
    assert weigh.on_weight(weigh.expected.weight_g, stable=True).ok  # type: ignore[union-attr]
    ship = make_flow(floor, "ship", "S1")
    scan(ship, "OP3001"), scan(ship, NO)
    assert scan(ship, "CMD:CLOSE").ok
    assert (stock(floor, "TEE-BK-XL"), stock(floor, "MUG-WH")) == (tee - 1, mug)


def test_release_at_weigh_says_what_the_trail_records(floor: Floor) -> None:
    verify = _to_verify(floor, NO)
    scan(verify, "6901661318609"), scan(verify, "CMD:QTY:2"), scan(verify, "6952890786660")
    pack = make_flow(floor, "pack", "K1")
    for code in ("OP3001", NO, "CMD:CARTON:S"):
        scan(pack, code)
    weigh = make_flow(floor, "weigh", "W1")
    assert isinstance(weigh, WeighFlow)
    scan(weigh, "OP3001"), scan(weigh, NO)
    assert weigh.on_weight(1500, stable=True).alert  # type: ignore[union-attr]
    weigh.acknowledge()
    assert _override(weigh, "CMD:RELEASE").ok
    done = scan(weigh, "CMD:R:R2")
    assert done.ok and done.message == "Hold released by supervisor"
    assert events(floor, "override")[-1]["payload"]["override"] == "release_hold"
    assert order(floor, NO).state == "packed"


def test_a_station_refuses_operators_it_does_not_serve(floor: Floor) -> None:
    pick = make_flow(floor, "pick", "P1")
    refused = scan(pick, "OP2001")  # a verifier at pick
    assert refused.alert and refused.code == "wrong_role" and pick.operator is None
    pick.acknowledge()
    assert scan(pick, "OP1001").ok
    assert scan(make_flow(floor, "verify", "V1"), "OP9001").ok  # a supervisor lends a hand
    assert events(floor, "refused")[-1]["payload"]["code"] == "wrong_role"


def test_idle_logout_after_the_configured_minutes(engine: Engine, tmp_path) -> None:  # noqa: ANN001
    cfg = make_config(tmp_path, station={"idle_logout_min": 2})
    seed(engine, orders=1)
    release(engine, cfg, Actor("D1", "clerk"))
    verify = make_flow(Floor(engine, cfg), "verify", "V1")
    t = [1000.0]
    verify.clock = lambda: t[0]
    scan(verify, "OP2001")
    t[0] += 119
    assert verify.check_idle() is None
    assert scan(verify, "CMD:OK").ok and verify.operator is not None  # a scan restarts the clock
    t[0] += 121
    gone = scan(verify, "3900000000000000000")
    assert gone.alert and gone.code == "idle_logout" and verify.operator is None
    verify.acknowledge()
    assert scan(verify, "OP2001").ok
    t[0] += 121
    out = verify.check_idle()
    assert out is not None and "2 minutes" in out.message and verify.operator is None
    with engine.connect() as conn:
        from pickpack.core.tables import EVENTS

        reasons = [r for (r,) in conn.execute(select(EVENTS.c.payload)
                                              .where(EVENTS.c.kind == "logout"))]
    assert reasons.count('{"reason": "idle"}') == 2


def test_no_override_while_the_store_is_away(floor: Floor, tmp_path) -> None:  # noqa: ANN001
    from pickpack.offline.journal import open_journal
    from pickpack.offline.switch import ResilientFloor, StoreSwitch

    switch = StoreSwitch(floor.engine, open_journal(tmp_path / "journal.db"))
    resilient = ResilientFloor(switch, floor.config)
    verify = _to_verify(resilient, NO)
    scan(verify, "6901661318609")
    switch.go_offline(OSError("store away"))
    assert scan(verify, "CMD:SHORT").ok
    refused = scan(verify, "OP9001")
    assert refused.alert and refused.code == "override_offline" and verify.pending is None
    switch.journal.dispose()
