"""The trail keeps the raw scan at every step it opens an order or a parcel (issue 13, 12): the
verify and pack openings, the carton, the parcel onto and off a manifest and the close carry
``raw`` (the code as the scanner sent it, before it was trimmed or read as a key) and
``symbology`` (the scanner's AIM identifier, None when it sent none)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Engine, select, update

from db.engine import write_tx
from pickpack.config import Config
from pickpack.core.context import Floor
from pickpack.core.events import Actor
from pickpack.core.flows import make_flow
from pickpack.core.release import release
from pickpack.core.tables import EVENTS, ORDERS
from pickpack.printing.queue import PrintQueue
from pickpack.scan import Scan
from tests.core.floorkit import seed
from tests.pg.kit import TEE, picked_order

ORDER_NO = "3900000000000000777"
TRACKING = "SF002404860801"


def payload(engine: Engine, kind: str) -> dict[str, Any]:
    with engine.connect() as conn:
        rows = list(conn.execute(select(EVENTS.c.payload).where(EVENTS.c.kind == kind)
                                 .order_by(EVENTS.c.id)).scalars())
    assert len(rows) == 1, (kind, rows)
    return dict(json.loads(rows[0]))


def test_verify_opening_and_commands_keep_the_raw_scan(engine: Engine, config: Config) -> None:
    floor = Floor(engine, config)
    seed(engine, orders=0)
    picked_order(engine, ORDER_NO, qty=2)
    flow = make_flow(floor, "verify", "V1")
    assert flow.handle(Scan("OP2001")).ok
    # a scanner that sends a Code 128 AIM prefix and a trailing space: the key is trimmed
    assert flow.handle(Scan(f"{ORDER_NO} ", source="serial", symbology="]C0")).ok
    opened = payload(engine, "verify_opened")
    assert opened == {"key": ORDER_NO, "raw": f"{ORDER_NO} ", "symbology": "]C0"}
    assert flow.handle(Scan(TEE)).ok
    assert flow.handle(Scan("cmd:undo")).ok  # typed in lower case: read as UNDO
    assert payload(engine, "item_unscanned")["raw"] == "cmd:undo"
    assert flow.handle(Scan("CMD:RESET", symbology="]Q1")).ok
    assert payload(engine, "verify_reset") == {"raw": "CMD:RESET", "symbology": "]Q1"}


def test_pack_opening_and_the_carton_keep_the_raw_scan(engine: Engine, config: Config) -> None:
    floor = Floor(engine, config)
    seed(engine, orders=0)
    oid = picked_order(engine, ORDER_NO, qty=1)
    with write_tx(engine) as conn:
        conn.execute(update(ORDERS).where(ORDERS.c.id == oid).values(state="verified"))
    flow = make_flow(floor, "pack", "P1")
    assert flow.handle(Scan("OP3001")).ok
    assert flow.handle(Scan(f"\t{ORDER_NO}", symbology="]C0")).ok
    assert payload(engine, "pack_opened") == {"key": ORDER_NO, "raw": f"\t{ORDER_NO}",
                                              "symbology": "]C0"}
    assert flow.handle(Scan("cmd:carton:m")).ok
    packed = payload(engine, "packed")
    assert (packed["carton"], packed["raw"], packed["symbology"]) == ("M", "cmd:carton:m", None)


def test_a_parcel_on_and_off_a_manifest_and_the_close_keep_the_raw_scan(
        engine: Engine, config: Config) -> None:
    floor = Floor(engine, config)
    seed(engine, orders=0)
    oid = picked_order(engine, ORDER_NO, qty=1)
    with write_tx(engine) as conn:
        conn.execute(update(ORDERS).where(ORDERS.c.id == oid).values(
            state="weighed", weight_g=500, courier="SF", tracking_no=TRACKING))
    queue = PrintQueue(engine, config)
    queue.enqueue_slips(oid)
    assert queue.run_once() == 2
    flow = make_flow(floor, "ship", "S1")
    assert flow.handle(Scan("OP3001")).ok
    assert flow.handle(Scan(f"{TRACKING}\r", symbology="]C0")).ok
    on = payload(engine, "manifested")
    assert (on["key"], on["raw"], on["symbology"]) == (TRACKING, f"{TRACKING}\r", "]C0")
    assert flow.handle(Scan("CMD:REMOVE")).ok
    assert flow.handle(Scan(TRACKING)).ok
    off = payload(engine, "unmanifested")
    assert (off["key"], off["raw"], off["symbology"]) == (TRACKING, TRACKING, None)


def test_a_refused_opening_keeps_the_raw_scan(engine: Engine, config: Config) -> None:
    """A parcel refused at ship (its slip never printed): the refusal has the code as scanned."""
    floor = Floor(engine, config)
    seed(engine, orders=0)
    oid = picked_order(engine, ORDER_NO, qty=1)
    with write_tx(engine) as conn:
        conn.execute(update(ORDERS).where(ORDERS.c.id == oid).values(
            state="weighed", courier="SF", tracking_no=TRACKING))
    flow = make_flow(floor, "ship", "S1")
    assert flow.handle(Scan("OP3001")).ok
    assert flow.handle(Scan(f" {TRACKING}", symbology="]C0")).code == "slip_not_printed"
    refused = payload(engine, "refused")
    assert (refused["raw"], refused["symbology"]) == (f" {TRACKING}", "]C0")


def test_pick_start_and_confirm_keep_the_raw_scan(engine: Engine, config: Config) -> None:
    """The pick flow's events too: the basket or order scan that started the pick, CMD:DONE."""
    floor = Floor(engine, config)
    [order_no] = seed(engine, orders=1)
    release(engine, config, Actor("D1", "release"))
    flow = make_flow(floor, "pick", "P1")
    assert flow.handle(Scan("OP1001")).ok
    assert flow.handle(Scan("B001", symbology="]C0")).ok
    assert flow.handle(Scan(f"{order_no} ")).ok
    started = payload(engine, "pick_started")
    assert started["raw"] == f"{order_no} " and started["basket"] == "B001"
    assert flow.handle(Scan("cmd:done", symbology="]Q1")).ok
    picked = payload(engine, "picked")
    assert (picked["raw"], picked["symbology"], picked["to"]) == ("cmd:done", "]Q1", "picked")
