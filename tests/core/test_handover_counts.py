"""Handover counts (issue 17, 7): closing a manifest compares its parcels, warehouse-wide for the
courier, with the parcels whose express slip printed (print queue or ``slip_printed`` event)
and that are packed or weighed since the courier's last closed manifest; the difference is
listed both ways; a close with a difference needs a supervisor (badge, typed PIN) and a reason;
the manifest prints with the count and signature lines."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, delete, insert, select, update

from db.engine import write_tx
from pickpack.config import Config
from pickpack.core.context import Floor
from pickpack.core.events import Actor, now
from pickpack.core.flows import make_flow
from pickpack.core.flows.base import StationFlow
from pickpack.core.handover import VOID_WAYBILLS, count_handover
from pickpack.core.release import release
from pickpack.core.tables import EVENTS, MANIFESTS, ORDERS, PRINT_JOBS, WAYBILLS
from pickpack.printing.queue import PrintQueue
from pickpack.scan import Scan
from tests.conftest import make_config
from tests.core.floorkit import SUPERVISOR_PIN, seed

SF = [f"SF0024048608{i:02d}" for i in range(3)]
ZTO = [f"7300000000{i:04d}" for i in range(2)]


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return make_config(tmp_path, printers={"express": f"preview://{tmp_path / 'slips'}",
                                           "packing": f"preview://{tmp_path / 'slips'}"})


@pytest.fixture
def floor(engine: Engine, config: Config) -> Floor:
    return five_parcels(engine, config)


def five_parcels(engine: Engine, config: Config) -> Floor:
    """Five weighed parcels, slips printed: three SF, two ZTO."""
    seed(engine, orders=5)
    assert release(engine, config, Actor("D1", "clerk")).ready == 5
    with write_tx(engine) as conn:
        ids = list(conn.execute(select(ORDERS.c.id).order_by(ORDERS.c.id)).scalars())
        conn.execute(update(ORDERS).values(state="weighed", weight_g=954))
        for oid, (courier, tracking) in zip(ids, [("SF", t) for t in SF] + [("ZTO", t) for t in ZTO],
                                            strict=True):
            conn.execute(update(ORDERS).where(ORDERS.c.id == oid)
                         .values(courier=courier, tracking_no=tracking))
            if courier == "SF":
                conn.execute(insert(WAYBILLS).values(tracking_no=tracking, courier="SF"))
    queue = PrintQueue(engine, config)
    for oid in ids:
        queue.enqueue_slips(oid)
    assert queue.run_once() == 10
    return Floor(engine, config)


def ship_station(floor: Floor) -> StationFlow:
    flow = make_flow(floor, "ship", "S1")
    assert flow.handle(Scan("OP3001")).ok
    return flow


def closed_payloads(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        return [json.loads(p) for p in conn.execute(select(EVENTS.c.payload).where(
            EVENTS.c.kind == "manifest_closed").order_by(EVENTS.c.id)).scalars()]


def states(engine: Engine, tracking: list[str]) -> list[str]:
    with engine.connect() as conn:
        return [str(conn.execute(select(ORDERS.c.state).where(ORDERS.c.tracking_no == t))
                    .scalar()) for t in tracking]


def manifest_text(floor: Floor, config: Config) -> str:
    """The manifest slip the close queued, printed on the station's preview printer."""
    queue = PrintQueue(floor.engine, config, Actor("S1", "OP3001"))
    assert queue.run_once() == 1
    slips = Path(config.printers.express.removeprefix("preview://"))
    (text,) = [p for p in slips.glob("manifest-*.txt")]
    return text.read_text(encoding="utf-8")


def test_a_matching_count_closes_and_prints_with_the_count_and_signatures(
        floor: Floor, config: Config) -> None:
    flow = ship_station(floor)
    for tracking in SF:
        assert flow.handle(Scan(tracking)).ok
    out = flow.handle(Scan("CMD:CLOSE"))
    assert out.ok and not out.alert, out.message
    assert "3 slips printed for SF" in out.message
    assert states(floor.engine, SF) == ["shipped"] * 3
    (closed,) = closed_payloads(floor.engine)
    assert closed["handover"] == {"printed": 3, "handed": 3, "elsewhere": 0, "since": None,
                                  "missing": [], "unslipped": []}
    text = manifest_text(floor, config)
    assert "面单已打印：3" in text and "交接：3" in text
    assert "交接人签字" in text and "快递员签字" in text and SF[2] in text


def test_a_difference_needs_a_supervisor_and_a_reason(floor: Floor, config: Config) -> None:
    flow = ship_station(floor)
    for tracking in SF[:2]:
        assert flow.handle(Scan(tracking)).ok
    out = flow.handle(Scan("CMD:CLOSE"))
    assert out.alert and out.code == "handover_difference"
    assert SF[2] in out.message and "2 parcels, 3 slips printed" in out.message
    assert states(floor.engine, SF[:2]) == ["weighed"] * 2  # not handed over
    assert flow.handle(Scan("CMD:OK")).ok
    assert "supervisor" in flow.prompt().lower()
    out = flow.handle(Scan("OP3001"))  # the packer's own badge is no supervisor's
    assert not out.ok and out.code == "not_supervisor"
    assert flow.pending is not None, "the close still waits for a supervisor's badge"
    assert flow.handle(Scan("CMD:OK")).ok
    assert flow.handle(Scan("OP9001")).ok and flow.wants_pin
    assert flow.enter_pin(SUPERVISOR_PIN).ok
    assert "CMD:DIFF:D1" in flow.prompt()
    out = flow.handle(Scan("CMD:DIFF:D1"))
    assert out.ok, out.message
    assert states(floor.engine, SF) == ["shipped", "shipped", "weighed"]
    (closed,) = closed_payloads(floor.engine)
    assert (closed["supervisor"], closed["reason"]) == ("OP9001", "D1")
    assert closed["handover"]["missing"] == [SF[2]] and closed["handover"]["printed"] == 3
    text = manifest_text(floor, config)
    assert "已打印未交接（1）" in text and SF[2] in text and "主管确认：OP9001" in text
    with floor.engine.connect() as conn:
        refused = [json.loads(p)["code"] for p in conn.execute(select(EVENTS.c.payload).where(
            EVENTS.c.kind == "refused")).scalars()]
    assert refused.count("handover_difference") == 1  # the refused close is in the trail


def test_cancel_keeps_the_manifest_open(floor: Floor) -> None:
    flow = ship_station(floor)
    assert flow.handle(Scan(SF[0])).ok
    assert flow.handle(Scan("CMD:CLOSE")).code == "handover_difference"
    assert flow.handle(Scan("CMD:OK")).ok
    assert flow.handle(Scan("CMD:CANCEL")).ok and flow.pending is None
    assert flow.handle(Scan("CMD:DIFF:D1")).code == "no_close_asked"
    with floor.engine.connect() as conn:
        assert conn.execute(select(MANIFESTS.c.closed_at)).scalar() is None


def test_handed_over_without_a_slip_and_printed_since_the_last_close(floor: Floor) -> None:
    """A waybill voided after its parcel went on the manifest is handed over without a slip;
    a cancelled parcel is owed nobody; after a close only slips printed since count."""
    flow = ship_station(floor)
    for tracking in SF[:2]:
        assert flow.handle(Scan(tracking)).ok
    with write_tx(floor.engine) as conn:
        oid = conn.execute(select(ORDERS.c.id).where(ORDERS.c.tracking_no == SF[0])).scalar()
        conn.execute(insert(VOID_WAYBILLS).values(tracking_no=SF[0], order_id=oid, courier="SF",
                                                  reason="address changed",
                                                  voided_at=now()))
        conn.execute(update(ORDERS).where(ORDERS.c.tracking_no == SF[2])
                     .values(state="cancelled"))
    with floor.engine.connect() as conn:
        mid = int(conn.execute(select(MANIFESTS.c.id)).scalar_one())
        count = count_handover(conn, "SF", mid)
    assert [p.tracking_no for p in count.unslipped] == [SF[0]]
    assert count.missing == [] and (count.handed, count.printed) == (2, 1)


def test_slips_known_by_print_job_or_by_event_both_count(floor: Floor) -> None:
    """One ZTO parcel's slip is known only from the print queue, the other's only from a
    ``slip_printed`` event (as a wave prints them): both are counted printed."""
    with write_tx(floor.engine) as conn:
        first, second = conn.execute(select(ORDERS.c.id).where(ORDERS.c.courier == "ZTO")
                                     .order_by(ORDERS.c.id)).scalars()
        conn.execute(delete(EVENTS).where(EVENTS.c.order_id == first,
                                          EVENTS.c.kind == "slip_printed"))
        conn.execute(delete(PRINT_JOBS).where(PRINT_JOBS.c.order_id == second))
    flow = ship_station(floor)
    for tracking in ZTO:
        assert flow.handle(Scan(tracking)).ok, tracking
    out = flow.handle(Scan("CMD:CLOSE"))
    assert out.ok and not out.alert, out.message
    assert closed_payloads(floor.engine)[0]["handover"]["printed"] == 2


def test_parcels_on_another_stations_open_manifest_are_counted_apart(floor: Floor) -> None:
    one, two = ship_station(floor), make_flow(floor, "ship", "S2")
    assert two.handle(Scan("OP3001")).ok
    assert one.handle(Scan(SF[0])).ok and one.handle(Scan(SF[1])).ok
    assert two.handle(Scan(SF[2])).ok
    out = one.handle(Scan("CMD:CLOSE"))
    assert out.ok and not out.alert, out.message
    handover = closed_payloads(floor.engine)[0]["handover"]
    assert (handover["printed"], handover["handed"], handover["elsewhere"]) == (2, 2, 1)
