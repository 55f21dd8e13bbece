"""The print queue kept in the store: a printer that is off keeps its jobs; each prints once."""

from __future__ import annotations

import socket
import socketserver
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, update

from pickpack.config import Config
from pickpack.core.context import Floor
from pickpack.core.events import Actor, now
from pickpack.core.flows import make_flow
from pickpack.core.orders import find_order_id
from pickpack.core.release import release
from pickpack.core.tables import EVENTS, PRINT_JOBS
from pickpack.printing.queue import STALE_S, PrintQueue
from pickpack.scan import Scan
from tests.conftest import make_config
from tests.core.floorkit import seed
from tests.printers.escpos_decode import decode


class Printer:
    """A raw-port (9100-style) printer on 127.0.0.1 that can be switched off and on."""

    def __init__(self) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.jobs: list[bytes] = []
        self.server: socketserver.ThreadingTCPServer | None = None

    @property
    def url(self) -> str:
        return f"tcp://127.0.0.1:{self.port}"

    def on(self) -> None:
        jobs = self.jobs

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                chunks = []
                while chunk := self.request.recv(65536):
                    chunks.append(chunk)
                jobs.append(b"".join(chunks))

        socketserver.ThreadingTCPServer.allow_reuse_address = True
        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_jobs(self, n: int, timeout: float = 5.0) -> list[bytes]:
        """The jobs received, once ``n`` connections have been read to their end."""
        deadline = time.monotonic() + timeout
        while len(self.jobs) < n and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.05)  # and no more than n
        return self.jobs

    def off(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.server = None


@pytest.fixture
def printer() -> Iterator[Printer]:
    p = Printer()
    yield p
    p.off()


@pytest.fixture
def setup(tmp_path: Path, printer: Printer) -> tuple[Engine, Config]:
    cfg = make_config(tmp_path, printers={"express": printer.url, "packing": printer.url})
    from pickpack.store import open_store

    engine = open_store(cfg, create=True)
    seed(engine, orders=2)
    release(engine, cfg, Actor("D1", "clerk"))
    return engine, cfg


def order_id(engine: Engine, no: str) -> int:
    with engine.connect() as conn:
        oid = find_order_id(conn, no)
    assert oid is not None
    return oid


def test_printer_off_keeps_jobs_then_prints_each_once(setup, printer: Printer) -> None:  # noqa: ANN001
    engine, cfg = setup
    queue = PrintQueue(engine, cfg)
    oid = order_id(engine, "3900000000000000000")
    queue.enqueue_slips(oid)
    assert queue.run_once() == 0  # nothing listens: the printer is off
    assert queue.status.startswith("offline") and "127.0.0.1" in queue.status
    assert queue.state.pending == 2
    # a restart of the station: a new queue object on the same store still has the jobs
    printer.on()
    again = PrintQueue(engine, cfg)
    assert again.run_once() == 2
    assert again.status == "ok"
    assert again.run_once() == 0  # printed once, never twice
    assert len(printer.wait_jobs(2)) == 2
    express = decode(printer.jobs[0])
    with engine.connect() as conn:
        from pickpack.core.orders import load_order

        tracking = load_order(conn, oid).tracking_no
    assert tracking in express.barcodes()  # the tracking number as CODE128
    assert "中通快递" in express.text()
    assert express.cuts() >= 1
    with engine.connect() as conn:
        states = set(conn.execute(select(PRINT_JOBS.c.state)).scalars())
        printed = conn.execute(select(EVENTS).where(EVENTS.c.kind == "slip_printed")).all()
    assert states == {"printed"} and len(printed) == 2


def test_handover_refused_while_the_express_slip_never_printed(setup) -> None:  # noqa: ANN001
    engine, cfg = setup
    short = cfg.model_copy(update={"workflow": cfg.workflow.model_copy(update={"route": ["ship"]})})
    oid = order_id(engine, "3900000000000000001")
    PrintQueue(engine, short).enqueue_slips(oid, ("express",))
    ship = make_flow(Floor(engine, short), "ship", "S1")
    ship.handle(Scan("OP3001"))
    out = ship.handle(Scan("3900000000000000001"))
    assert out.alert and out.code == "slip_not_printed"


def test_reprint_queues_again(setup, printer: Printer) -> None:  # noqa: ANN001
    engine, cfg = setup
    printer.on()
    queue = PrintQueue(engine, cfg)
    oid = order_id(engine, "3900000000000000000")
    queue.enqueue_slips(oid)
    assert queue.run_once() == 2
    assert queue.last_order_printed() == oid
    queue.reprint(oid)
    assert queue.run_once() == 2
    assert len(printer.wait_jobs(4)) == 4


def test_each_station_prints_only_the_slips_it_queued(setup, printer: Printer, tmp_path: Path
                                                      ) -> None:  # noqa: ANN001
    """Stations sharing one store (PostgreSQL): a slip comes out of the printer of the station
    that asked for it, never out of another station's."""
    engine, cfg = setup
    printer.on()
    other = Printer()
    other.on()
    cfg_b = cfg.model_copy(update={
        "station": cfg.station.model_copy(update={"id": "V2"}),
        "printers": cfg.printers.model_copy(update={"express": other.url, "packing": other.url})})
    a, b = PrintQueue(engine, cfg), PrintQueue(engine, cfg_b)
    b.enqueue_slips(order_id(engine, "3900000000000000001"))
    a.enqueue_slips(order_id(engine, "3900000000000000000"))
    assert a.state.pending == 2 and b.state.pending == 2
    assert a.run_once() == 2 and b.run_once() == 2
    assert len(printer.wait_jobs(2)) == 2 and len(other.wait_jobs(2)) == 2
    assert "3900000000000000000" in decode(printer.jobs[0]).text()
    assert "3900000000000000001" in decode(other.jobs[0]).text()
    other.off()


def test_a_crashed_send_is_queued_again_counted_from_its_claim(setup, printer: Printer
                                                               ) -> None:  # noqa: ANN001
    """A job left ``sending`` by a crash prints again STALE_S after it was claimed; a job that
    waited long for its printer is not stale the moment it is claimed."""
    engine, cfg = setup
    queue = PrintQueue(engine, cfg)
    queue.enqueue_slips(order_id(engine, "3900000000000000000"), ("express",))
    long_ago = now() - timedelta(seconds=STALE_S * 10)
    with engine.begin() as conn:  # queued long ago (the printer was off), claimed just now
        conn.execute(update(PRINT_JOBS).values(created_at=long_ago, state="sending",
                                               claimed_at=now()))
    printer.on()
    assert queue.run_once() == 0  # another loop is sending it: not stale yet
    with engine.begin() as conn:  # that loop crashed STALE_S ago
        conn.execute(update(PRINT_JOBS).values(claimed_at=now() - timedelta(seconds=STALE_S + 1)))
    assert queue.run_once() == 1 and len(printer.wait_jobs(1)) == 1
