"""Where the slip pair prints (``[workflow] print_at``), to a loopback network printer, and the
desk's batch ``pickpack print slips`` (issue 13, item 4)."""

from __future__ import annotations

import json
import socketserver
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from pickpack.config import Config, parse_config
from pickpack.core.context import Floor
from pickpack.core.events import Actor
from pickpack.core.flows import make_flow
from pickpack.core.release import release
from pickpack.core.tables import EVENTS, ORDERS, PRINT_JOBS
from pickpack.printing.where import print_at, print_step
from pickpack.scan import Scan
from pickpack.store import open_store
from tests.conftest import upgraded_store
from tests.core.floorkit import seed
from tests.stations.conftest import MUG, ORDER, SIZE, TEE, make_app, scan, settle, station_config
from tests.stations.test_stations import walk


@dataclass
class LoopbackPrinter:
    """A raw-port (9100-style) printer on 127.0.0.1: one entry per connection, read to its end."""

    url: str = ""
    jobs: list[bytes] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self) -> int:
        with self.lock:
            return len(self.jobs)


@pytest.fixture
def printer() -> Iterator[LoopbackPrinter]:
    found = LoopbackPrinter()

    class Handler(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            chunks = []
            while chunk := self.request.recv(65536):
                chunks.append(chunk)
            with found.lock:
                found.jobs.append(b"".join(chunks))

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    found.url = f"tcp://127.0.0.1:{server.server_address[1]}"
    try:
        yield found
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def printing_config(tmp_path: Path, printer: LoopbackPrinter, **sections: dict[str, object]
                    ) -> Config:
    return station_config(tmp_path, printers={"express": printer.url, "packing": printer.url},
                          **sections)


def without_verify(cfg: Config, route: list[str]) -> Config:
    """``cfg`` on a route without verify and ``print_at = "verify"`` kept, made past the
    loader (which may refuse that pair at load, naming the key)."""
    workflow = cfg.workflow.model_copy(update={"route": route, "print_at": "verify"})
    return cfg.model_copy(update={"workflow": workflow})


def printed_kinds(engine: Engine, order_no: str = ORDER) -> list[str]:
    with engine.connect() as conn:
        payloads = conn.execute(
            select(EVENTS.c.payload).join(ORDERS, ORDERS.c.id == EVENTS.c.order_id)
            .where(ORDERS.c.order_no == order_no, EVENTS.c.kind == "slip_printed")
            .order_by(EVENTS.c.id)).scalars()
        return [json.loads(p)["kind"] for p in payloads]


def released(cfg: Config) -> Engine:
    engine = open_store(cfg, create=True)
    seed(engine, orders=3)
    release(engine, cfg, Actor("D1", "clerk"))
    return engine


async def until_printed(pilot, printer: LoopbackPrinter, n: int) -> None:  # noqa: ANN001
    for _ in range(200):
        await settle(pilot)
        if printer.count() >= n and not any(w.group == "print" and w.is_running
                                            for w in pilot.app.workers):
            return
        await pilot.pause(0.02)
    raise AssertionError(f"the printer got {printer.count()} jobs, not {n}")


async def test_default_config_prints_the_pair_at_the_last_good_verify_scan(
        tmp_path: Path, printer: LoopbackPrinter) -> None:
    """The default config used to leave the print queue empty through the whole route."""
    cfg = printing_config(tmp_path, printer)
    engine = released(cfg)
    try:
        walk(cfg, engine, "verify")
        app = make_app(cfg, engine, "verify")
        async with app.run_test(size=SIZE) as pilot:
            for code in ("OP2001", "B001", TEE, "CMD:QTY:2"):
                await scan(pilot, code)
            assert printer.count() == 0  # nothing before the last good scan
            await scan(pilot, MUG)
            await until_printed(pilot, printer, 2)
        assert sorted(printed_kinds(engine)) == ["express", "packing"]
        assert all(job.startswith(b"\x1b@") for job in printer.jobs)  # ESC/POS, initialised
    finally:
        engine.dispose()


async def test_route_without_verify_prints_once_at_the_first_station_when_it_opens_the_order(
        tmp_path: Path, printer: LoopbackPrinter) -> None:
    cfg = without_verify(printing_config(tmp_path, printer), ["pick", "pack", "weigh", "ship"])
    assert print_step(cfg) == "pick"
    engine = released(cfg)
    try:
        app = make_app(cfg, engine, "pick")
        async with app.run_test(size=SIZE) as pilot:
            for code in ("OP1001", "B001", ORDER):
                await scan(pilot, code)
            await until_printed(pilot, printer, 2)
            await pilot.press("f3")  # CMD:DONE
            await settle(pilot)
        assert sorted(printed_kinds(engine)) == ["express", "packing"]
        assert printer.count() == 2
    finally:
        engine.dispose()


async def test_print_at_desk_prints_nothing_at_verify(
        tmp_path: Path, printer: LoopbackPrinter) -> None:
    cfg = printing_config(tmp_path, printer, workflow={"print_at": "desk"})
    engine = released(cfg)
    try:
        walk(cfg, engine, "verify")
        app = make_app(cfg, engine, "verify")
        async with app.run_test(size=SIZE) as pilot:
            for code in ("OP2001", "B001", TEE, "CMD:QTY:2", MUG):
                await scan(pilot, code)
            assert "Verified" in str(app.screen.query_one("#status").render())
        with engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(PRINT_JOBS)).scalar() == 0
    finally:
        engine.dispose()


def test_print_slips_prints_the_ready_orders_once_and_they_go_on_to_pick(
        tmp_path: Path, printer: LoopbackPrinter, capsys: pytest.CaptureFixture[str]) -> None:
    from pickpack.cli import main

    upgraded_store(tmp_path / "pp.db")
    cfg_file = tmp_path / "desk.toml"
    cfg_file.write_text(
        f'[store]\nurl = "sqlite:///{tmp_path / "pp.db"}"\n[station]\nid = "D1"\n'
        f'[workflow]\nprint_at = "desk"\n'
        f'[printers]\nexpress = "{printer.url}"\npacking = "{printer.url}"\n', encoding="utf-8")
    cfg = parse_config({"store": {"url": f"sqlite:///{tmp_path / 'pp.db'}"},
                        "workflow": {"print_at": "desk"}})
    released(cfg).dispose()
    assert main(["--config", str(cfg_file), "print", "slips"]) == 0
    assert "3 orders queued, 6 slips printed, 0 waiting" in capsys.readouterr().out
    assert printer.count() == 6
    assert main(["--config", str(cfg_file), "print", "slips"]) == 0  # never twice
    assert "0 orders queued" in capsys.readouterr().out
    engine = open_store(cfg, create=True)
    try:
        with engine.connect() as conn:
            states = set(conn.execute(select(ORDERS.c.state)).scalars())
            moves = conn.execute(select(func.count()).select_from(EVENTS)
                                 .where(EVENTS.c.kind == "printed")).scalar()
        assert states == {"printed"} and moves == 3
        pick = make_flow(Floor(engine, cfg), "pick", "P1")
        for code in ("OP1001", "B001", ORDER):
            assert pick.handle(Scan(code)).ok  # a printed order is picked like a ready one
    finally:
        engine.dispose()


def test_print_slips_says_in_one_line_that_the_printer_is_away(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import socket

    from pickpack.cli import main

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    upgraded_store(tmp_path / "pp.db")
    cfg_file = tmp_path / "desk.toml"
    cfg_file.write_text(
        f'[store]\nurl = "sqlite:///{tmp_path / "pp.db"}"\n'
        f'[printers]\nexpress = "tcp://127.0.0.1:{port}"\npacking = "tcp://127.0.0.1:{port}"\n',
        encoding="utf-8")
    released(parse_config({"store": {"url": f"sqlite:///{tmp_path / 'pp.db'}"}})).dispose()
    assert main(["--config", str(cfg_file), "print", "slips"]) == 1
    out = capsys.readouterr()
    assert "3 orders queued, 0 slips printed, 6 waiting" in out.out
    assert out.err.startswith("pickpack: printer:") and len(out.err.strip().splitlines()) == 1


def test_where_the_pair_prints(capsys: pytest.CaptureFixture[str]) -> None:
    assert print_at(parse_config({})) == "verify" and print_step(parse_config({})) == "verify"
    assert print_at(parse_config({"station": {"print_on_verify": True}})) == "verify"
    assert "deprecated" in capsys.readouterr().err  # the loader's one-line notice
    assert print_step(without_verify(parse_config({}), ["weigh", "ship"])) == "weigh"
    assert print_step(parse_config({"workflow": {"print_at": "desk"}})) is None


def test_an_express_slip_printed_at_the_cli_makes_the_order_printed(
        tmp_path: Path, printer: LoopbackPrinter, capsys: pytest.CaptureFixture[str]) -> None:
    from pickpack.cli import main

    upgraded_store(tmp_path / "pp.db")
    cfg_file = tmp_path / "desk.toml"
    cfg_file.write_text(f'[store]\nurl = "sqlite:///{tmp_path / "pp.db"}"\n', encoding="utf-8")
    cfg = parse_config({"store": {"url": f"sqlite:///{tmp_path / 'pp.db'}"}})
    engine = released(cfg)
    try:
        assert main(["--config", str(cfg_file), "print", "packing", ORDER,
                     "--printer", printer.url]) == 0
        assert printed_kinds(engine) == ["packing"]
        assert main(["--config", str(cfg_file), "print", "express", ORDER,
                     "--printer", printer.url]) == 0
        assert printed_kinds(engine) == ["packing", "express"] and printer.count() == 2
        with engine.connect() as conn:
            assert conn.execute(select(ORDERS.c.state).where(ORDERS.c.order_no == ORDER)
                                ).scalar() == "printed"
    finally:
        engine.dispose()
