"""The board's web server: the standard library's threading HTTP server and Server-Sent Events.

Three routes, every one behind the token (``?token=`` or ``Authorization: Bearer``, compared
with :func:`hmac.compare_digest`; without it 401): ``/`` the page, ``/live`` the live channel
(one JSON board per change), ``/board.json`` the board once. One watcher thread follows the
store with :class:`pickpack.live.LiveFeed` (NOTIFY on PostgreSQL, polling on SQLite), reads the
board again after each batch of changes (and every :data:`CLOCK_S` for the clock: a pickup
passes without an event) and wakes every open channel. Requests are logged without their query
string: the token never reaches a log.
"""

from __future__ import annotations

import hmac
import json
import logging
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from pickpack.board.data import read_board
from pickpack.board.page import render_page
from pickpack.config import Config
from pickpack.live import LiveFeed

log = logging.getLogger(__name__)
CLOCK_S = 30.0
"""Read the board again at least this often, changes or not."""
PING_S = 15.0
"""An open channel gets a comment line this often, so a dead screen's socket is noticed."""


class Board:
    """The latest board as JSON, its version, and the condition the channels wait on."""

    def __init__(self, engine: Engine, cfg: Config) -> None:
        self.engine, self.cfg = engine, cfg
        self.version = 0
        self.payload = b"{}"
        self.read_at = 0.0
        """``time.perf_counter()`` when the latest board was read (benchmarks)."""
        self.stopping = False
        self.changed = threading.Condition()

    def refresh(self) -> None:
        """Read the board from the store and wake the channels; a store away keeps the last
        board on the wall (logged), the next change or clock tick tries again."""
        try:
            with self.engine.connect() as conn:
                view = read_board(conn, self.cfg)
        except SQLAlchemyError as exc:
            log.warning("board: the store is away, the wall keeps its last board: %s",
                        exc.__class__.__name__)
            return
        with self.changed:
            self.version += 1
            body = view.to_json() | {"version": self.version}
            self.payload = json.dumps(body, ensure_ascii=False).encode()
            self.read_at = time.perf_counter()
            self.changed.notify_all()

    def wait_newer(self, version: int, timeout: float) -> tuple[int, bytes]:
        with self.changed:
            self.changed.wait_for(lambda: self.version != version or self.stopping, timeout)
            return self.version, self.payload

    def stop(self) -> None:
        with self.changed:
            self.stopping = True
            self.changed.notify_all()


class BoardServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, engine: Engine, cfg: Config, token: str, host: str, port: int) -> None:
        self.board = Board(engine, cfg)
        self.token = token.encode()
        self.page = render_page(cfg.station.language)
        self._feed: LiveFeed | None = None
        self._watcher: threading.Thread | None = None
        super().__init__((host, port), BoardRequest)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}/"

    def start(self) -> None:
        """Read the board once and start following the store (the watcher thread)."""
        self._feed = LiveFeed(self.board.engine)
        self.board.refresh()
        self._watcher = threading.Thread(target=self._watch, name="board-watch", daemon=True)
        self._watcher.start()

    def _watch(self) -> None:
        feed = self._feed
        assert feed is not None
        last = time.monotonic()
        while not self.board.stopping:
            try:
                changes = feed.wait(CLOCK_S)
            except SQLAlchemyError as exc:
                log.warning("board: the live feed failed (%s); retrying", exc.__class__.__name__)
                with self.board.changed:
                    self.board.changed.wait_for(lambda: self.board.stopping, 1.0)
                continue
            if self.board.stopping:
                return
            if changes or time.monotonic() - last >= CLOCK_S:
                self.board.refresh()
                last = time.monotonic()

    def stop(self) -> None:
        """Close every channel, stop the watcher and the server."""
        self.board.stop()
        if self._feed is not None:
            self._feed.close()
        self.shutdown()
        self.server_close()
        if self._watcher is not None:
            self._watcher.join(timeout=5)

    def allowed(self, given: str) -> bool:
        return bool(given) and hmac.compare_digest(given.encode(), self.token)


class BoardRequest(BaseHTTPRequestHandler):
    server: BoardServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        parts = urlsplit(self.path)
        if not self.server.allowed(self._token(parts.query)):
            self._plain(HTTPStatus.UNAUTHORIZED, "token required\n",
                        {"WWW-Authenticate": 'Bearer realm="pickpack board"'})
            return
        if parts.path == "/":
            self._send(HTTPStatus.OK, "text/html; charset=utf-8", self.server.page)
        elif parts.path == "/board.json":
            self._send(HTTPStatus.OK, "application/json; charset=utf-8",
                       self.server.board.payload)
        elif parts.path == "/live":
            self._live()
        else:
            self._plain(HTTPStatus.NOT_FOUND, "not found\n")

    def _token(self, query: str) -> str:
        header = self.headers.get("Authorization", "")
        if header.startswith("Bearer "):
            return header[len("Bearer "):].strip()
        return (parse_qs(query).get("token") or [""])[0]

    def _live(self) -> None:
        board = self.server.board
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        version, payload = board.wait_newer(-1, 0)
        try:
            self._event(payload)
            while not board.stopping:
                newer, payload = board.wait_newer(version, PING_S)
                if board.stopping:
                    return
                if newer == version:
                    self.wfile.write(b": ping\n\n")
                else:
                    version = newer
                    self._event(payload)
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return  # the screen went away

    def _event(self, payload: bytes) -> None:
        self.wfile.write(b"data: " + payload + b"\n\n")
        self.wfile.flush()

    def _send(self, status: HTTPStatus, kind: str, body: bytes,
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Security-Policy",
                         "default-src 'none'; style-src 'unsafe-inline'; "
                         "script-src 'unsafe-inline'; connect-src 'self'")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _plain(self, status: HTTPStatus, text: str, headers: dict[str, str] | None = None) -> None:
        self._send(status, "text/plain; charset=utf-8", text.encode(), headers)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (stdlib's name)
        """Logged without the query string (the token)."""
        log.info("board %s %s %s", self.address_string(), self.command,
                 urlsplit(self.path).path)
