"""Scanner source for serial scanners: RS-232, USB-COM (/dev/ttyACM*) or any pyserial URL.

``LineFramer`` (pure) cuts the byte stream at the configured terminator and decodes each code:
UTF-8 first, then GB18030 (Chinese payloads from scanners set to GBK). Bytes are kept exactly,
including GS (ASCII 29); only the terminator is removed.
"""

from __future__ import annotations

import threading
from collections.abc import Generator

import serial

from pickpack.devices.errors import DeviceNotFound
from pickpack.devices.scanners import make_scan
from pickpack.devices.serialport import open_port
from pickpack.scan import Scan

TERMINATORS = {"CR": b"\r", "LF": b"\n", "CRLF": b"\r\n"}
MAX_CODE = 4096  # a runaway stream without terminators is dropped, not kept forever


def decode_code(data: bytes) -> str:
    """UTF-8 if it is valid UTF-8, else GB18030 (a superset of GBK)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


class LineFramer:
    """Bytes in, complete codes out. A CR scanner that also sends LF (or the reverse) still works:
    the stray half of CRLF is dropped at the edge of a code."""

    def __init__(self, terminator: str = "CR") -> None:
        if terminator not in TERMINATORS:
            raise ValueError(f"terminator must be one of {', '.join(TERMINATORS)}")
        self.terminator = TERMINATORS[terminator]
        self._buf = bytearray()
        self.dropped = 0

    def feed(self, data: bytes) -> list[str]:
        """Feed received bytes; returns the codes they completed (empty lines skipped)."""
        self._buf += data
        codes = []
        while (end := self._buf.find(self.terminator)) >= 0:
            frame = bytes(self._buf[:end])
            del self._buf[: end + len(self.terminator)]
            if self.terminator == b"\r":
                frame = frame.removeprefix(b"\n")
            elif self.terminator == b"\n":
                frame = frame.removesuffix(b"\r")
            if frame:
                codes.append(decode_code(frame))
        if len(self._buf) > MAX_CODE:
            self._buf.clear()
            self.dropped += 1
        return codes


class SerialScanner:
    """Reads codes from a serial scanner; survives the port going away and coming back."""

    name = "serial"

    def __init__(
        self, port: str, *, baudrate: int = 9600, terminator: str = "CR", retry_s: float = 1.0
    ) -> None:
        if not port:
            raise DeviceNotFound("[scanner] device is empty: set the serial port or pyserial URL")
        self.port = port
        self.baudrate = baudrate
        self.terminator = terminator
        self.retry_s = retry_s
        self.status = "not connected"
        self.connects = 0

    def scans(self, stop: threading.Event) -> Generator[Scan, None, None]:
        """Yield scans until ``stop`` is set (each read times out after 0.2 s)."""
        while not stop.is_set():
            try:
                conn = open_port(self.port, baudrate=self.baudrate)
            except DeviceNotFound as exc:
                self.status = str(exc)
                stop.wait(self.retry_s)
                continue
            self.connects += 1
            self.status = f"connected: {self.port}"
            framer = LineFramer(self.terminator)
            try:
                while not stop.is_set():
                    data = conn.read(max(1, conn.in_waiting))
                    for code in framer.feed(data):
                        yield make_scan(code, self.name)
            except (serial.SerialException, OSError) as exc:
                self.status = f"disconnected ({exc}); waiting for {self.port}"
                stop.wait(self.retry_s)
            finally:
                conn.close()
