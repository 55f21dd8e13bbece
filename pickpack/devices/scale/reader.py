"""The loop that reads a scale's serial port. It knows no protocol: the parser does.

Opens the port exclusively, sends the parser's poll request for request/response protocols,
feeds every byte to the parser and yields readings. Every read times out after 0.2 s and the
loop checks ``stop``, so it always ends. When the cable goes, it waits and opens the port again
(resolving a /dev/serial/by-id link anew: the adapter may come back as another ttyUSB).
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Generator

import serial

from pickpack.devices.errors import DeviceNotFound, UnsupportedCommand
from pickpack.devices.scale.protocol import ScaleParser
from pickpack.devices.scale.reading import Reading
from pickpack.devices.serialport import open_port


class SerialScale:
    """A scale on a serial port or pyserial URL, read through one protocol parser."""

    def __init__(
        self,
        port: str,
        parser: ScaleParser,
        *,
        baudrate: int = 9600,
        bytesize: int = 8,
        parity: str = "N",
        stopbits: int = 1,
        poll_interval_s: float = 0.2,
        retry_s: float = 1.0,
    ) -> None:
        self.port = port
        self.parser = parser
        self.settings = {
            "baudrate": baudrate, "bytesize": bytesize, "parity": parity, "stopbits": stopbits,
        }
        self.poll_interval_s = poll_interval_s
        self.retry_s = retry_s
        self.status = "not connected"
        self.connects = 0
        self.last: Reading | None = None
        self._commands: queue.SimpleQueue[bytes] = queue.SimpleQueue()

    def readings(self, stop: threading.Event) -> Generator[Reading, None, None]:
        """Yield readings until ``stop`` is set; reconnects when the port comes back."""
        while not stop.is_set():
            try:
                conn = open_port(self.port, **self.settings)  # type: ignore[arg-type]
            except DeviceNotFound as exc:
                self.status = str(exc)
                stop.wait(self.retry_s)
                continue
            self.connects += 1
            self.status = f"connected: {self.port}"
            self.parser.buffer.clear()
            self.parser.window.reset()
            try:
                yield from self._read(conn, stop)
            except (serial.SerialException, OSError) as exc:
                self.status = f"disconnected ({exc}); waiting for {self.port}"
                stop.wait(self.retry_s)
            finally:
                conn.close()

    def _read(self, conn: serial.SerialBase, stop: threading.Event) -> Generator[Reading, None, None]:
        last_poll = 0.0
        while not stop.is_set():
            while not self._commands.empty():
                conn.write(self._commands.get())
            if self.parser.poll and time.monotonic() - last_poll >= self.poll_interval_s:
                conn.write(self.parser.poll)
                last_poll = time.monotonic()
            data = conn.read(max(1, conn.in_waiting))
            for reading in self.parser.feed(data):
                self.last = reading
                yield reading

    def zero(self) -> None:
        """Ask the scale to zero (sent by the reading loop)."""
        self._send(self.parser.zero_command, "zero")

    def tare(self) -> None:
        """Ask the scale to tare (sent by the reading loop)."""
        self._send(self.parser.tare_command, "tare")

    def _send(self, command: bytes | None, what: str) -> None:
        if command is None:
            raise UnsupportedCommand(
                f"the {self.parser.name} protocol has no {what} command: use the scale's key"
            )
        self._commands.put(command)
