"""The shape every scale protocol parser has, and the name → parser registry.

A parser is pure: feed it bytes (any chunking, noise included), get the readings completed so
far. It never raises on garbage; it counts ``garbage`` and ``bad_check`` frames instead. The
reader loop (reader.py) owns the port and knows no protocol.
"""

from __future__ import annotations

from typing import ClassVar

from pickpack.devices.scale.reading import Reading, StableWindow

MAX_BUFFER = 512  # bytes without a complete frame: the rest is noise, drop it


class ScaleParser:
    """Base class: a byte buffer kept across ``feed`` calls, counters, optional commands.

    ``poll`` is the request a request/response protocol needs sent (None: the scale streams);
    ``zero_command``/``tare_command`` are None when the protocol has no such command.
    """

    name: ClassVar[str] = ""
    poll: ClassVar[bytes | None] = None
    zero_command: ClassVar[bytes | None] = None
    tare_command: ClassVar[bytes | None] = None

    def __init__(self, stable_window: int = 5, unit: str = "kg") -> None:
        self.buffer = bytearray()
        self.window = StableWindow(stable_window)
        self.unit = unit
        self.frames = 0
        self.garbage = 0
        self.bad_check = 0
        self.errors: list[str] = []
        """Error answers from the scale (MT-SICS ES/ET/EL…), newest last."""

    def feed(self, data: bytes) -> list[Reading]:
        """Feed received bytes; returns the readings of the frames they completed."""
        self.buffer += data
        readings: list[Reading] = []
        while (frame := self.next_frame()) is not None:
            try:
                reading = self.parse(frame)
            except ValueError:  # a weight no scale gives (to_kg): the frame is garbage
                self.garbage += 1
                continue
            if reading is None:
                continue
            self.frames += 1
            readings.append(reading)
        if len(self.buffer) > MAX_BUFFER:
            self.buffer.clear()
            self.garbage += 1
        return readings

    def next_frame(self) -> bytes | None:
        """Cut the next complete frame off ``buffer`` (None: wait for more bytes)."""
        raise NotImplementedError

    def parse(self, frame: bytes) -> Reading | None:
        """One frame to a Reading; None (after counting) for garbage, bad checks, acks."""
        raise NotImplementedError

    def take_line(self) -> bytes | None:
        """Line framing (CR, LF or CRLF); empty lines skipped."""
        while True:
            ends = [i for i in (self.buffer.find(b"\r"), self.buffer.find(b"\n")) if i >= 0]
            if not ends:
                return None
            end = min(ends)
            line = bytes(self.buffer[:end])
            del self.buffer[: end + 1]
            if line.strip():
                return line

    def take_between(self, start: bytes, end: bytes, max_len: int) -> bytes | None:
        """``start … end`` framing; bytes before ``start`` and overlong frames are garbage."""
        while True:
            begin = self.buffer.find(start)
            if begin < 0:
                if self.buffer:
                    self.garbage += 1
                    self.buffer.clear()
                return None
            if begin > 0:
                self.garbage += 1
                del self.buffer[:begin]
            stop = self.buffer.find(end, 1)
            restart = self.buffer.find(start, 1)
            if restart > 0 and (stop < 0 or restart < stop) and start != end:
                self.garbage += 1  # a frame cut short by the next one
                del self.buffer[:restart]
                continue
            if stop < 0:
                if len(self.buffer) > max_len:
                    self.garbage += 1
                    del self.buffer[:1]
                    continue
                return None
            if stop + 1 > max_len:  # overlong however it arrived, whole or byte by byte
                self.garbage += 1
                del self.buffer[: stop + 1]
                continue
            frame = bytes(self.buffer[: stop + 1])
            del self.buffer[: stop + 1]
            return frame


PARSERS: dict[str, type[ScaleParser]] = {}


def register(cls: type[ScaleParser]) -> type[ScaleParser]:
    """Class decorator: make a parser selectable by its ``name`` in config."""
    PARSERS[cls.name] = cls
    return cls
