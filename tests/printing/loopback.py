"""A raw-port (9100-style) printer on 127.0.0.1 that a test switches off and on, as a module
of its own (tests that need no station flow import it without the flows)."""

from __future__ import annotations

import socket
import socketserver
import threading
import time


class LoopbackPrinter:
    def __init__(self) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.jobs: list[bytes] = []
        self._lock = threading.Lock()
        self.server: socketserver.ThreadingTCPServer | None = None

    @property
    def url(self) -> str:
        return f"tcp://127.0.0.1:{self.port}"

    def on(self) -> None:
        printer = self

        class Job(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                data = self.rfile.read()
                with printer._lock:
                    printer.jobs.append(data)

        socketserver.ThreadingTCPServer.allow_reuse_address = True
        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", self.port), Job)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def off(self) -> None:
        """Stop listening: the next connection is refused (a printer switched off)."""
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def received(self, n: int, timeout: float = 5.0) -> list[bytes]:
        """The jobs, once ``n`` have been read to their end (the reader threads may lag the
        sender by a moment); fails the test if they do not arrive."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                if len(self.jobs) >= n:
                    return list(self.jobs)
            if time.monotonic() > deadline:
                raise AssertionError(f"the printer received {len(self.jobs)} jobs, not {n}")
            time.sleep(0.01)
