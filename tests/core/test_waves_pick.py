"""A wave handed out and walked at the pick station: the picker scans the pick list's code
(or CMD:NEXT), each unit says its slot, CMD:DONE picks every order; then through verify and
ship to the manifest. No two pickers hold one wave."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from pickpack.core.flows import make_flow
from pickpack.core.tables import ORDERS
from pickpack.core.waves.build import build_waves
from pickpack.core.waves.views import show_wave
from pickpack.printing.batch import print_wave
from pickpack.scan import Scan
from tests.core.wavekit import BARCODE, DESK, ready, store

ROUTE = {"route": ["pick", "verify", "ship"], "print_at": "desk"}


def _states(engine) -> dict[int, str]:  # noqa: ANN001
    with engine.connect() as conn:
        return {r.id: r.state for r in conn.execute(select(ORDERS.c.id, ORDERS.c.state))}


def test_a_multi_item_wave_from_pick_list_to_manifest(tmp_path: Path) -> None:
    engine, cfg, floor = store(tmp_path, workflow=ROUTE)
    ids = [ready(engine, [("TEE-BK-XL", 1), ("MUG-WH", 1)]) for _ in range(2)]
    wave = build_waves(floor, DESK)[0]
    pick = make_flow(floor, "pick", "P1")
    pick.handle(Scan("OP1001"))
    early = pick.handle(Scan(wave.code))
    assert early.alert and early.code == "wave_not_printed"  # slips go with the goods
    pick.handle(Scan("CMD:OK"))
    print_wave(engine, cfg, DESK, wave.code)
    took = pick.handle(Scan(wave.code))
    assert took.ok and "A-01-02" in took.prompt and "TEE-BK-XL" in took.prompt
    assert set(_states(engine).values()) == {"picking"}
    slots = []
    for code in (BARCODE["TEE-BK-XL"], BARCODE["TEE-BK-XL"], BARCODE["MUG-WH"],
                 BARCODE["MUG-WH"]):
        out = pick.handle(Scan(code))
        assert out.ok, out.message
        slots.append(out.data["slots"])
    assert slots == [[(1, 1)], [(2, 1)], [(1, 1)], [(2, 1)]]  # the screen says which slot
    too_many = pick.handle(Scan(BARCODE["MUG-WH"]))
    assert too_many.alert and too_many.code == "too_many"
    pick.handle(Scan("CMD:OK"))
    done = pick.handle(Scan("CMD:DONE"))
    assert done.ok and set(_states(engine).values()) == {"picked"}
    verify = make_flow(floor, "verify", "V1")
    verify.handle(Scan("OP2001"))
    with engine.connect() as conn:
        tracking = {r.id: r.tracking_no for r in conn.execute(select(ORDERS))}
    for oid in ids:
        assert verify.handle(Scan(tracking[oid])).ok
        assert verify.handle(Scan(BARCODE["TEE-BK-XL"])).ok
        assert verify.handle(Scan(BARCODE["MUG-WH"])).ok
    assert set(_states(engine).values()) == {"verified"}
    ship = make_flow(floor, "ship", "S1")
    ship.handle(Scan("OP3001"))
    for oid in ids:
        assert ship.handle(Scan(tracking[oid])).ok
    closed = ship.handle(Scan("CMD:CLOSE"))
    assert closed.ok and closed.data["manifest"].count == 2
    assert set(_states(engine).values()) == {"shipped"}
    with engine.connect() as conn:
        assert show_wave(conn, wave.id).state == "picked"


def test_a_single_item_wave_goes_into_one_tote_and_a_second_picker_is_refused(
        tmp_path: Path) -> None:
    engine, cfg, floor = store(tmp_path)  # print_at = verify: waves pick unprinted
    for _ in range(3):
        ready(engine, [("SOCK-3", 1)])
    wave = build_waves(floor, DESK)[0]
    assert wave.kind == "single"
    first = make_flow(floor, "pick", "P1")
    first.handle(Scan("OP1001"))
    assert "one tote" in first.handle(Scan("CMD:NEXT")).message
    other = make_flow(floor, "pick", "P2")
    other.handle(Scan("OP1002"))
    taken = other.handle(Scan(f"CMD:WAVE:{wave.code}"))
    assert taken.alert and taken.code == "wave_taken"
    other.handle(Scan("CMD:OK"))
    assert other.handle(Scan("CMD:NEXT")).message == "No wave is waiting"
    for _ in range(3):
        out = first.handle(Scan(BARCODE["SOCK-3"]))
        assert out.ok and "tote" in out.message
    not_done = first.handle(Scan("CMD:CANCEL"))  # steps away: the wave stays theirs
    assert not_done.ok and first.handle(Scan(wave.code)).ok  # and carries on where it was
    assert "CMD:DONE" in first.prompt()
    assert first.handle(Scan("CMD:DONE")).ok
    assert set(_states(engine).values()) == {"picked"}
    verify = make_flow(floor, "verify", "V1")  # each parcel: its slip, then one unit
    verify.handle(Scan("OP2001"))
    with engine.connect() as conn:
        slips = conn.execute(select(ORDERS.c.tracking_no)).scalars().all()
    for slip in slips:
        assert verify.handle(Scan(slip)).ok
        assert verify.handle(Scan(BARCODE["SOCK-3"])).ok
    assert set(_states(engine).values()) == {"verified"}


def test_a_cancelled_order_leaves_its_slot_empty(tmp_path: Path) -> None:
    engine, _cfg, floor = store(tmp_path)
    keep = ready(engine, [("TEE-BK-XL", 1), ("MUG-WH", 1)])
    gone = ready(engine, [("TEE-BK-XL", 1), ("MUG-WH", 1)])
    wave = build_waves(floor, DESK)[0]
    with engine.begin() as conn:
        conn.execute(ORDERS.update().where(ORDERS.c.id == gone).values(state="cancelled"))
    pick = make_flow(floor, "pick", "P1")
    pick.handle(Scan("OP1001"))
    took = pick.handle(Scan(wave.code))
    assert "slot 2 stays empty" in took.message
    for code in (BARCODE["TEE-BK-XL"], BARCODE["MUG-WH"]):
        assert pick.handle(Scan(code)).data["slots"] == [(1, 1)]
    assert pick.handle(Scan("CMD:DONE")).ok
    assert _states(engine) == {keep: "picked", gone: "cancelled"}


def test_an_order_in_a_wave_is_not_picked_alone_with_a_basket(tmp_path: Path) -> None:
    engine, _cfg, floor = store(tmp_path)
    ready(engine, [("SOCK-3", 2)])
    wave = build_waves(floor, DESK)[0]
    with engine.connect() as conn:
        order_no = show_wave(conn, wave.id).slots[0].order_no
    pick = make_flow(floor, "pick", "P1")
    pick.handle(Scan("OP1001"))
    pick.handle(Scan("B101"))
    out = pick.handle(Scan(order_no))
    assert out.alert and out.code == "in_wave" and wave.code in out.message
