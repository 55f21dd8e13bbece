"""Fixtures for printer tests: sample slips and a printer listening on 127.0.0.1."""

from __future__ import annotations

import socket
import socketserver
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

import pytest

from printers import ExpressSlip, PackingLine, PackingSlip


@pytest.fixture(autouse=True)
def _away_from_project_files(tmp_path_factory: pytest.TempPathFactory,
                             monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads the developer's config.toml or writes previews into the work tree."""
    monkeypatch.chdir(tmp_path_factory.mktemp("cwd"))
    monkeypatch.delenv("PICKPACK_CONFIG", raising=False)
    monkeypatch.delenv("PICKPACK_CJK_FONT", raising=False)


@pytest.fixture
def express() -> ExpressSlip:
    return ExpressSlip(
        courier_code="ZTO",
        courier_name="中通快递",
        tracking_no="731234567890",
        sort_code="浙A-012 34",
        receiver_name="张三",
        receiver_phone="13812341234",
        address="浙江省杭州市余杭区五常街道文一西路969号 西溪园区3号楼",
        sender="示例旗舰店 仓库",
        order_no="3921876543210987654",
        item_count=3,
        weight_kg=1.25,
    )


@pytest.fixture
def packing() -> PackingSlip:
    return PackingSlip(
        order_no="3921876543210987654",
        lines=(
            PackingLine("TS-001-WH-XL", "纯棉短袖T恤", "白色 XL", 2, "A-01-02", Decimal("59.00")),
            PackingLine("CUP-500-BL", "保温杯", "500ml 蓝色", 1, "B-12-03", Decimal("89.90")),
        ),
        buyer_remark="请尽快发货，谢谢！",
        gift_note="生日快乐！",
    )


@dataclass
class FakePrinter:
    """What a network printer on port 9100 received, one entry per connection."""

    url: str
    jobs: list[bytes] = field(default_factory=list)
    done: threading.Event = field(default_factory=threading.Event)

    def received(self, timeout: float = 5.0) -> bytes:
        assert self.done.wait(timeout), "the printer got no complete job"
        return b"".join(self.jobs)


@pytest.fixture
def tcp_printer() -> Iterator[FakePrinter]:
    """A raw-port printer on 127.0.0.1 (port 0): reads each connection to its end."""
    printer = FakePrinter("")

    class Handler(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            chunks = []
            while chunk := self.request.recv(65536):
                chunks.append(chunk)
            printer.jobs.append(b"".join(chunks))
            printer.done.set()

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    printer.url = f"tcp://127.0.0.1:{server.server_address[1]}"
    try:
        yield printer
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture
def refused_url() -> str:
    """A tcp:// URL on which nothing listens (the port was just released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"tcp://127.0.0.1:{port}"
