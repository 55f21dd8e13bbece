"""Serial scanners through real pyserial over a pty: terminators, GBK, AIM identifiers."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from pickpack.config import ScannerConfig
from pickpack.devices.errors import DeviceError
from pickpack.devices.scanners import ScannerSource, open_scanner
from pickpack.devices.scanners.serial import LineFramer, SerialScanner, decode_code

from .conftest import PtyDevice

TERMS = {"CR": b"\r", "LF": b"\n", "CRLF": b"\r\n"}


def test_framer_keeps_bytes_and_splits_chunks() -> None:
    f = LineFramer("CRLF")
    assert f.feed(b"]C1010123\x1d10AB") == []
    assert f.feed(b"C\r\n\r\n69012\r") == ["]C1010123\x1d10ABC"]
    assert f.feed(b"\n") == ["69012"]


def test_framer_tolerates_the_other_half_of_crlf() -> None:
    assert LineFramer("CR").feed(b"A1\r\nB2\r\n") == ["A1", "B2"]
    assert LineFramer("LF").feed(b"A1\r\nB2\n") == ["A1", "B2"]
    with pytest.raises(ValueError):
        LineFramer("ETX")


def test_decode_utf8_then_gb18030() -> None:
    assert decode_code("仓库A".encode()) == "仓库A"
    assert decode_code("仓库A".encode("gbk")) == "仓库A"


@pytest.mark.parametrize("term", sorted(TERMS))
def test_serial_scanner_over_pty(term: Any, pty_device: PtyDevice, collect) -> None:
    source = open_scanner(ScannerConfig(source="serial", device=pty_device.path, terminator=term))
    assert isinstance(source, ScannerSource)
    reader = collect(source.scans)
    stop = threading.Event()
    payloads = [b"]E06901234567892", "货架B-01".encode("gbk"), b"]C1010123\x1d21ABC"]

    def write() -> None:
        while not stop.is_set():  # repeat: bytes sent before the port opened are flushed
            for p in payloads:
                pty_device.write(p + TERMS[term])
            time.sleep(0.1)

    threading.Thread(target=write, daemon=True).start()
    try:
        ean = reader.wait_for(lambda s: s.symbology == "]E0")
        gbk = reader.wait_for(lambda s: s.code.startswith("货"))
        gs1 = reader.wait_for(lambda s: s.symbology == "]C1")
    finally:
        stop.set()
    assert (ean.code, ean.source) == ("6901234567892", "serial")
    assert gbk.code == "货架B-01" and gbk.symbology is None
    assert gs1.code == "010123\x1d21ABC"


def test_serial_scanner_reconnects(pty_device: PtyDevice, collect) -> None:
    source = SerialScanner(pty_device.path, retry_s=0.05)
    reader = collect(source.scans)
    deadline = time.monotonic() + 3
    while source.connects < 1:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    pty_device.close()
    while "disconnected" not in source.status and "could not open" not in source.status:
        assert time.monotonic() < deadline, source.status
        time.sleep(0.01)
    reader.close(timeout=1.0)


def test_keyboard_has_no_device_source() -> None:
    with pytest.raises(DeviceError, match="keyboard wedge"):
        open_scanner(ScannerConfig(source="keyboard"))
    with pytest.raises(DeviceError, match="device is empty"):
        open_scanner(ScannerConfig(source="serial"))
