"""Pseudo-terminals standing in for the far end of a serial cable."""

from __future__ import annotations

import contextlib
import os
import queue
import select
import threading
import time
import tty
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest


class PtyDevice:
    """The device side of a pty: the code under test opens ``path`` (the slave) with pyserial."""

    def __init__(self) -> None:
        self.master, self._slave = os.openpty()
        tty.setraw(self._slave)  # no echo or CR→LF before pyserial has configured the port
        self.path = os.ttyname(self._slave)
        self.received = bytearray()

    def write(self, data: bytes) -> None:
        os.write(self.master, data)

    def read_available(self, timeout: float = 0.05) -> bytes:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return b""
        try:
            data = os.read(self.master, 1024)
        except OSError:
            return b""
        self.received += data
        return data

    def close(self) -> None:
        """Unplug: the open port sees EIO, the pts node goes away."""
        for fd in (self.master, self._slave):
            with contextlib.suppress(OSError):  # already closed
                os.close(fd)


@pytest.fixture
def pty_device() -> Iterator[PtyDevice]:
    dev = PtyDevice()
    yield dev
    dev.close()


@pytest.fixture
def by_id_link(tmp_path: Path) -> Path:
    """Where a /dev/serial/by-id style link to the current pty is kept."""
    return tmp_path / "usb-1a86_USB_Serial-if00-port0"


class Collector:
    """Runs a device's generator in a thread (as a station worker would) and collects items."""

    def __init__(self, make_iter: Callable[[threading.Event], Iterator[Any]]) -> None:
        self.stop = threading.Event()
        self.items: queue.Queue[Any] = queue.Queue()
        self.error: BaseException | None = None
        self._iter = make_iter(self.stop)
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            for item in self._iter:
                self.items.put(item)
        except BaseException as exc:  # handed to the test, which asserts on it
            self.error = exc

    def wait_for(self, pred: Callable[[Any], bool], timeout: float = 5.0) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                item = self.items.get(timeout=0.05)
            except queue.Empty:
                if self.error:
                    raise AssertionError("the reader failed") from self.error
                continue
            if pred(item):
                return item
        raise AssertionError("timed out waiting for an item")

    def close(self, timeout: float = 2.0) -> None:
        self.stop.set()
        self.thread.join(timeout)
        assert not self.thread.is_alive(), "reader did not end after stop was set"


@pytest.fixture
def collect() -> Iterator[Callable[..., Collector]]:
    made: list[Collector] = []

    def start(make_iter: Callable[[threading.Event], Iterator[Any]]) -> Collector:
        made.append(Collector(make_iter))
        return made[-1]

    yield start
    for c in made:
        c.close()
