"""A wave prints as one batch: its pick list, then express + packing pairs in slot order; every
slip is a ``slip_printed`` event; a printer switched off mid-batch prints the rest later, each
slip once; a reprint is recorded as a reprint."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from pickpack.core.refusal import Refusal
from pickpack.core.tables import EVENTS, ORDERS, PRINT_JOBS
from pickpack.core.waves.build import build_waves
from pickpack.core.waves.views import show_wave
from pickpack.printing.batch import drain, print_wave
from pickpack.printing.queue import PrintQueue
from tests.core.wavekit import DESK, ready, store
from tests.printers.escpos_decode import decode
from tests.printing.loopback import LoopbackPrinter as Printer


@pytest.fixture
def printer() -> Iterator[Printer]:
    p = Printer()
    yield p
    p.off()


def _wave(tmp_path: Path, printer: Printer, orders: int = 3):  # noqa: ANN202
    engine, cfg, floor = store(tmp_path, printers={"express": printer.url,
                                                   "packing": printer.url})
    ids = [ready(engine, [("TEE-BK-XL", 1), ("MUG-WH", 2)]) for _ in range(orders)]
    wave = build_waves(floor, DESK)[0]
    return engine, cfg, wave, ids


def _printed(engine) -> list[dict[str, object]]:  # noqa: ANN001
    with engine.connect() as conn:
        return [json.loads(p) for p in conn.execute(
            select(EVENTS.c.payload).where(EVENTS.c.kind == "slip_printed")
            .order_by(EVENTS.c.id)).scalars()]


def test_pick_list_then_matched_pairs_in_slot_order(tmp_path: Path, printer: Printer) -> None:
    engine, cfg, wave, ids = _wave(tmp_path, printer)
    printer.on()
    batch = print_wave(engine, cfg, DESK, wave.code)
    assert (batch.printed, batch.pending, batch.error) == (7, 0, "")
    jobs = [decode(job) for job in printer.received(7)]
    assert len(jobs) == 7
    assert "拣货单" in jobs[0].text() and wave.code in jobs[0].barcodes()
    assert "A-01-02" in jobs[0].text() and "格 1 2 3" in jobs[0].text()  # TEE: one to each slot
    assert "格 1×2 2×2 3×2" in jobs[0].text()  # MUG: two to each slot
    with engine.connect() as conn:
        orders = {r.id: r for r in conn.execute(select(ORDERS))}
        assert show_wave(conn, wave.id).state == "printed"
    for slot, oid in enumerate(ids, 1):
        express, packing = jobs[2 * slot - 1], jobs[2 * slot]
        assert orders[oid].tracking_no in express.barcodes()
        assert orders[oid].order_no in packing.text()
        assert orders[oid].state == "printed"
    events = _printed(engine)
    assert [e["kind"] for e in events] == ["picklist"] + ["express", "packing"] * 3
    assert [e.get("slot") for e in events[1:]] == [1, 1, 2, 2, 3, 3]
    assert all(e["reprint"] is False and e["printer"] == printer.url and e["station"] == "S1"
               and e["wave"] == wave.code for e in events)
    assert [e["tracking_no"] for e in events[1::2]] == [orders[i].tracking_no for i in ids]


def test_printer_off_mid_batch_prints_the_rest_later_each_slip_once(tmp_path: Path,
                                                                    printer: Printer) -> None:
    engine, cfg, wave, _ids = _wave(tmp_path, printer)
    printer.on()
    taken: list[int] = []

    def paper_out(job_id: int) -> None:
        taken.append(job_id)
        if len(taken) == 3:  # the pick list and the first pair came out; then the printer is off
            printer.off()

    batch = print_wave(engine, cfg, DESK, wave.code, progress=paper_out)
    assert batch.printed == 3 and batch.pending == 4 and "127.0.0.1" in batch.error
    assert len(printer.received(3)) == 3
    printer.on()
    again = print_wave(engine, cfg, DESK, wave.code)  # `wave print` again: the rest only
    assert (again.jobs, again.printed, again.pending) == (batch.jobs[3:], 4, 0)
    assert drain(PrintQueue(engine, cfg, DESK)) == 0  # the station's loop finds nothing left
    assert len(printer.received(7)) == 7
    events = _printed(engine)
    assert sorted(e["job"] for e in events) == batch.jobs  # every slip printed once
    with engine.connect() as conn:
        assert set(conn.execute(select(PRINT_JOBS.c.state)).scalars()) == {"printed"}
        assert set(conn.execute(select(ORDERS.c.state)).scalars()) == {"printed"}


def test_a_wave_prints_once_then_only_as_a_reprint(tmp_path: Path, printer: Printer) -> None:
    engine, cfg, wave, _ids = _wave(tmp_path, printer, orders=1)
    printer.on()
    print_wave(engine, cfg, DESK, wave.code)
    with pytest.raises(Refusal) as refused:
        print_wave(engine, cfg, DESK, wave.code)
    assert refused.value.code == "wave_printed"
    again = print_wave(engine, cfg, DESK, wave.code, reprint=True)
    assert again.printed == 3 and len(printer.received(6)) == 6
    events = _printed(engine)
    assert [e["reprint"] for e in events] == [False] * 3 + [True] * 3
    with engine.connect() as conn:
        kinds = conn.execute(select(EVENTS.c.kind).where(EVENTS.c.kind.like("wave_%"))
                             .order_by(EVENTS.c.id)).scalars().all()
    assert kinds == ["wave_built", "wave_printed", "wave_reprinted"]


def test_a_printed_wave_closed_unpicked_prints_again_as_reprints(tmp_path: Path,
                                                                 printer: Printer) -> None:
    from pickpack.core.context import Floor
    from pickpack.core.waves.views import close_wave

    engine, cfg, wave, ids = _wave(tmp_path, printer, orders=2)
    printer.on()
    print_wave(engine, cfg, DESK, wave.code)
    floor = Floor(engine, cfg)
    assert [s.order_id for s in close_wave(floor, DESK, wave.code).slots] == []
    (again,) = build_waves(floor, DESK)  # the printed orders are waved again
    print_wave(engine, cfg, DESK, again.code)
    printer.received(10)
    pairs = [e for e in _printed(engine) if e["kind"] != "picklist"]
    assert [e["reprint"] for e in pairs] == [False] * 4 + [True] * 4
    assert [e["wave"] for e in pairs][-1] == again.code


def test_print_slips_leaves_waved_orders_to_their_wave(tmp_path: Path, printer: Printer) -> None:
    from pickpack.printing.batch import print_ready_slips

    engine, cfg, _built, _ids = _wave(tmp_path, printer, orders=2)
    alone = ready(engine, [("SOCK-3", 1)])  # not in a wave: `print slips` takes it
    printer.on()
    batch = print_ready_slips(engine, cfg, DESK)
    assert (batch.orders, batch.printed) == (1, 2)
    assert {e["tracking_no"] for e in _printed(engine)} == {_tracking(engine, alone)}


def _tracking(engine, order_id: int) -> str:  # noqa: ANN001
    with engine.connect() as conn:
        return str(conn.execute(select(ORDERS.c.tracking_no)
                                .where(ORDERS.c.id == order_id)).scalar())


def test_older_slips_sent_along_are_not_counted_as_the_wave(tmp_path: Path,
                                                           printer: Printer) -> None:
    """Field test: "9 张单据已打印 10 张". The station's queue sends its older waiting slips with
    the wave's; the wave's count is its own slips only."""
    engine, cfg, wave, ids = _wave(tmp_path, printer, orders=1)
    queue = PrintQueue(engine, cfg, DESK)
    queue.enqueue_slips(ids[0])  # an older pair, waiting while the printer was off
    assert queue.run_once() == 0
    printer.on()
    batch = print_wave(engine, cfg, DESK, wave.code)
    assert (len(batch.jobs), batch.printed, batch.pending, batch.error) == (3, 3, 0, "")
    assert len(printer.received(5)) == 5  # the older pair came out too
