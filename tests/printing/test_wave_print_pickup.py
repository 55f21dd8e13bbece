"""A wave holding local-pickup orders (自提: courier PICKUP, no waybill) prints: their packing
slip alone (no express slip) with the pick list, and the packing slip makes them printed, so
ship takes them by order number. The wave's slips are built from its orders read together."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, event, select, update

from db.engine import write_tx
from pickpack.core.context import Floor
from pickpack.core.couriers.pickup import packing_printed
from pickpack.core.couriers.rules import PICKUP
from pickpack.core.release import release
from pickpack.core.tables import EVENTS, MANIFESTS, ORDERS, PRINT_JOBS
from pickpack.core.waves.build import build_waves
from pickpack.core.waves.views import close_wave
from pickpack.printing.batch import print_wave, queue_wave
from pickpack.store import open_store
from tests.conftest import make_config
from tests.core.floorkit import seed, ship_through
from tests.core.wavekit import DESK, ready, store
from tests.printers.escpos_decode import decode
from tests.printing.loopback import LoopbackPrinter as Printer


@pytest.fixture
def printer() -> Iterator[Printer]:
    p = Printer()
    yield p
    p.off()


def _pickup(engine: Engine, order_id: int) -> None:
    """The order made local pickup as release leaves it: courier PICKUP, no waybill."""
    with write_tx(engine) as conn:
        conn.execute(update(ORDERS).where(ORDERS.c.id == order_id)
                     .values(courier=PICKUP, tracking_no=None))


def _printed(engine: Engine) -> list[dict[str, object]]:
    with engine.connect() as conn:
        return [json.loads(p) for p in conn.execute(
            select(EVENTS.c.payload).where(EVENTS.c.kind == "slip_printed")
            .order_by(EVENTS.c.id)).scalars()]


def test_a_pickup_wave_prints_packing_slips_and_the_pick_list(tmp_path: Path,
                                                               printer: Printer) -> None:
    engine, cfg, floor = store(tmp_path, printers={"express": printer.url,
                                                   "packing": printer.url})
    ids = [ready(engine, [("TEE-BK-XL", 1), ("MUG-WH", 1)]) for _ in range(2)]
    for oid in ids:
        _pickup(engine, oid)
    (wave,) = build_waves(floor, DESK)
    assert wave.courier == PICKUP
    printer.on()
    batch = print_wave(engine, cfg, DESK, wave.code)
    assert (batch.printed, batch.pending, batch.error) == (3, 0, "")
    jobs = [decode(job) for job in printer.received(3)]
    assert "拣货单" in jobs[0].text() and wave.code in jobs[0].barcodes()
    events = _printed(engine)
    assert [e["kind"] for e in events] == ["picklist", "packing", "packing"]
    assert [e.get("slot") for e in events[1:]] == [1, 2]
    with engine.connect() as conn:
        orders = {r.id: r for r in conn.execute(select(ORDERS))}
        for slot, oid in enumerate(ids, 1):
            assert orders[oid].order_no in jobs[slot].text()
            assert orders[oid].state == "printed"  # its packing slip stands for the express
            assert packing_printed(conn, oid)  # ship takes it by order number
        kinds = set(conn.execute(select(PRINT_JOBS.c.kind)).scalars())
    assert kinds == {"picklist", "packing"}


def test_a_courier_wave_with_one_order_turned_pickup_prints_its_packing_slip(
        tmp_path: Path, printer: Printer) -> None:
    engine, cfg, floor = store(tmp_path, printers={"express": printer.url,
                                                   "packing": printer.url})
    parcel, collected = (ready(engine, [("SOCK-3", 2)]) for _ in range(2))
    (wave,) = build_waves(floor, DESK)
    _pickup(engine, collected)  # the desk made it local pickup after the build
    printer.on()
    batch = print_wave(engine, cfg, DESK, wave.code)
    assert batch.printed == 4 and batch.error == ""
    events = _printed(engine)
    assert [(e["kind"], e.get("slot")) for e in events] == [
        ("picklist", None), ("express", 1), ("packing", 1), ("packing", 2)]
    with engine.connect() as conn:
        states = dict(conn.execute(select(ORDERS.c.id, ORDERS.c.state)).all())
    assert states == {parcel: "printed", collected: "printed"}


def _selects(tmp_path: Path, orders: int) -> int:
    """SELECT statements run while a wave of ``orders`` orders is queued for printing."""
    (tmp_path / str(orders)).mkdir()
    engine, cfg, floor = store(tmp_path / str(orders))
    for _ in range(orders):
        ready(engine, [("TEE-BK-XL", 1), ("MUG-WH", 2)])
    (wave,) = build_waves(floor, DESK)
    seen: list[str] = []

    def count(_conn, _cursor, statement: str, *_args) -> None:  # noqa: ANN001
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        queue_wave(engine, cfg, DESK, wave.code)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(seen)


def test_the_wave_reads_its_orders_together_not_per_slip(tmp_path: Path) -> None:
    few, many = _selects(tmp_path, 2), _selects(tmp_path, 8)
    assert many == few, f"{few} SELECTs for 2 orders, {many} for 8: a read per slip"


def test_print_slips_and_a_station_print_a_pickup_orders_packing_slip_alone(
        tmp_path: Path, printer: Printer) -> None:
    from pickpack.printing.batch import print_ready_slips
    from pickpack.printing.queue import PrintQueue

    engine, cfg, _floor = store(tmp_path, printers={"express": printer.url,
                                                    "packing": printer.url})
    at_desk, at_verify = (ready(engine, [("SOCK-3", 1)]) for _ in range(2))
    _pickup(engine, at_desk)
    _pickup(engine, at_verify)
    with write_tx(engine) as conn:  # the verify station's order is on the floor already
        conn.execute(update(ORDERS).where(ORDERS.c.id == at_verify).values(state="verified"))
    printer.on()
    batch = print_ready_slips(engine, cfg, DESK)
    assert (batch.orders, batch.printed, batch.error) == (1, 1, "")
    assert print_ready_slips(engine, cfg, DESK).orders == 0  # printed once
    queue = PrintQueue(engine, cfg, DESK)
    assert len(queue.enqueue_slips(at_verify, once=True)) == 1
    assert queue.enqueue_slips(at_verify, once=True) == []  # opened twice: once
    assert queue.run_once() == 1
    assert [e["kind"] for e in _printed(engine)] == ["packing", "packing"]
    with engine.connect() as conn:
        states = dict(conn.execute(select(ORDERS.c.id, ORDERS.c.state)).all())
        assert packing_printed(conn, at_desk) and packing_printed(conn, at_verify)
    assert states == {at_desk: "printed", at_verify: "verified"}


def test_a_pickup_order_printed_with_its_wave_is_handed_over_by_order_number(
        tmp_path: Path, printer: Printer) -> None:
    cfg = make_config(tmp_path, printers={"express": printer.url, "packing": printer.url})
    engine = open_store(cfg)
    try:
        parcel_no, pickup_no = seed(engine, orders=2)
        with write_tx(engine) as conn:
            conn.execute(update(ORDERS).where(ORDERS.c.order_no == pickup_no)
                         .values(courier=PICKUP))
        release(engine, cfg, DESK)
        floor = Floor(engine, cfg)
        waves = {w.courier: w for w in build_waves(floor, DESK)}
        printer.on()
        assert print_wave(engine, cfg, DESK, waves[PICKUP].code).printed == 2
        close_wave(floor, DESK, waves[PICKUP].code)  # its printed order picked on its own
        ship_through(floor, pickup_no, basket="B902")  # scanned onto the manifest by number
        with engine.connect() as conn:
            row = conn.execute(select(ORDERS).where(ORDERS.c.order_no == pickup_no)).one()
        assert (row.state, row.courier, row.tracking_no) == ("shipped", PICKUP, None)
        with engine.connect() as conn:
            courier = conn.execute(select(MANIFESTS.c.courier).where(
                MANIFESTS.c.id == row.manifest_id, MANIFESTS.c.closed_at.is_not(None))).scalar()
        assert courier == PICKUP  # closed by ship_through: its count matched the packing slip
        assert waves["ZTO"].orders == 1 and parcel_no  # the parcel waits in its own wave
    finally:
        engine.dispose()
