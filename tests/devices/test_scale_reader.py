"""The scale reading loop through real pyserial, over pseudo-terminals."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from pickpack.config import ScaleConfig
from pickpack.devices.errors import DeviceError, UnsupportedCommand
from pickpack.devices.scale import SerialScale, SimulatedScale, make_parser, open_scale

from .conftest import PtyDevice
from .frames import toledo_cont, xk3190

STREAMS: dict[str, tuple[bytes, float]] = {
    "cas": (b"US,GS,+  1.100kg\r\nST,GS,+  1.234kg\r\n", 1.234),
    "toledo-continuous": (toledo_cont("000800", swb=0x38) + toledo_cont("002500"), 2.5),
    "xk3190-a9": (xk3190("+003000") + xk3190("+000010", bad=True), 3.0),
    "reversed": (b"=000.500", 5.0),
    "pattern": (b"WT:0006.500 ST\r\n", 6.5),
}


def wait_until(pred: Callable[[], bool], timeout: float = 3.0) -> None:
    deadline = time.monotonic() + timeout
    while not pred():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.01)


def scale_for(port: str, protocol: str, **cfg: object) -> SerialScale:
    parser = make_parser(ScaleConfig(protocol=protocol, stable_window=2, **cfg))  # type: ignore[arg-type]
    return SerialScale(port, parser, retry_s=0.05, poll_interval_s=0.05)


def streamer(dev: PtyDevice, data: bytes, stop: threading.Event) -> threading.Thread:
    """The scale streaming: the frames with noise and split writes, again and again."""

    def run() -> None:
        while not stop.is_set():
            chunk = b"\x00\xffnoise\r\n" + data
            try:
                dev.write(chunk[:7])
                time.sleep(0.01)
                dev.write(chunk[7:])
            except OSError:
                return
            time.sleep(0.03)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def responder(dev: PtyDevice, answer: Callable[[bytes], bytes], stop: threading.Event) -> None:
    """A request/response scale: answers each request it reads."""

    def run() -> None:
        while not stop.is_set():
            req = dev.read_available()
            for line in req.replace(b"\r\n", b"\n").split(b"\n") if req.endswith(b"\n") else [req]:
                if line:
                    try:
                        dev.write(answer(line))
                    except OSError:
                        return

    threading.Thread(target=run, daemon=True).start()


@pytest.mark.parametrize("protocol", sorted(STREAMS))
def test_streaming_protocols_over_a_pty(protocol: str, pty_device: PtyDevice, collect) -> None:
    data, expected = STREAMS[protocol]
    extra = {"pattern": r"WT:(?P<weight>[\d.]+) (?P<stable>ST)?"} if protocol == "pattern" else {}
    scale = scale_for(pty_device.path, protocol, **extra)
    reader = collect(scale.readings)
    writer_stop = threading.Event()
    streamer(pty_device, data, writer_stop)
    try:
        reading = reader.wait_for(lambda r: r.stable)
        reader.wait_for(lambda r: r.stable)  # a second round: noise and bad checks seen
    finally:
        writer_stop.set()
    assert reading.weight_kg == expected
    assert scale.parser.garbage >= 1
    if protocol == "xk3190-a9":
        assert scale.parser.bad_check >= 1


def test_mt_sics_polls_and_zeroes(pty_device: PtyDevice, collect) -> None:
    answers = iter([b"S D      0.900 kg\r\n", b"S I\r\n"])

    def answer(req: bytes) -> bytes:
        if req == b"SI":
            return next(answers, b"S S      0.950 kg\r\n")
        return {b"Z": b"Z A\r\n", b"T": b"T S      0.000 kg\r\n"}.get(req, b"ES\r\n")

    stop = threading.Event()
    responder(pty_device, answer, stop)
    scale = scale_for(pty_device.path, "mt-sics")
    reader = collect(scale.readings)
    try:
        first = reader.wait_for(lambda r: True)
        assert (first.weight_kg, first.stable) == (0.9, False)
        assert reader.wait_for(lambda r: r.stable).weight_kg == 0.95
        scale.zero()
        scale.tare()
        deadline = time.monotonic() + 3
        while b"Z\r\n" not in pty_device.received or b"T\r\n" not in pty_device.received:
            assert time.monotonic() < deadline, pty_device.received
            time.sleep(0.02)
    finally:
        stop.set()
    assert scale.parser.errors == []


def test_toledo_8217_sends_w_and_reads_motion_then_weight(pty_device: PtyDevice, collect) -> None:
    answers = iter([b"\x02?\x21\r", b"\x02?\x21\r"])
    stop = threading.Event()
    responder(pty_device, lambda req: next(answers, b"\x0202.345\r") if req == b"W" else b"", stop)
    scale = scale_for(pty_device.path, "toledo-8217")
    reader = collect(scale.readings)
    try:
        assert reader.wait_for(lambda r: not r.stable).weight_kg == 0.0
        assert reader.wait_for(lambda r: r.stable).weight_kg == 2.345
    finally:
        stop.set()
    assert pty_device.received.startswith(b"W")


def test_vanished_port_comes_back_under_another_name(by_id_link: Path, collect) -> None:
    first = PtyDevice()
    by_id_link.symlink_to(first.path)
    scale = scale_for(str(by_id_link), "cas")
    reader = collect(scale.readings)
    first_stop = threading.Event()
    streamer(first, b"ST,GS,+  1.000kg\r\n", first_stop)
    assert reader.wait_for(lambda r: r.weight_kg == 1.0)
    first_stop.set()
    first.close()  # cable pulled
    by_id_link.unlink()
    wait_until(lambda: "No such file" in scale.status)  # keeps trying while it is gone
    second = PtyDevice()  # plugged back: a new tty name behind the same by-id link
    try:
        by_id_link.symlink_to(second.path)
        stop = threading.Event()
        streamer(second, b"ST,GS,+  2.000kg\r\n", stop)
        assert reader.wait_for(lambda r: r.weight_kg == 2.0).stable
        stop.set()
        assert scale.connects == 2
    finally:
        reader.close()
        second.close()


def test_reader_ends_promptly_when_nothing_is_there(tmp_path: Path, collect) -> None:
    scale = scale_for(str(tmp_path / "no-such-tty"), "cas")
    reader = collect(scale.readings)
    time.sleep(0.2)
    assert "no-such-tty" in scale.status
    reader.close(timeout=1.0)


def test_zero_and_tare_unsupported_are_clear_errors(pty_device: PtyDevice) -> None:
    scale = scale_for(pty_device.path, "cas")
    with pytest.raises(UnsupportedCommand, match="cas protocol has no zero"):
        scale.zero()
    with pytest.raises(UnsupportedCommand, match="tare"):
        scale.tare()


def test_pyserial_url_works_too(collect) -> None:
    scale = scale_for("loop://", "mt-sics")  # loop:// echoes our own "SI" request back
    reader = collect(scale.readings)
    time.sleep(0.3)
    reader.close()
    assert scale.connects == 1 and "connected" in scale.status


def test_simulated_scale() -> None:
    sim = open_scale(ScaleConfig(port="sim"))
    assert isinstance(sim, SimulatedScale)
    sim.set_weight(1.5, stable=False)
    r = sim.read()
    assert (r.weight_kg, r.stable, r.unit) == (1.5, False, "kg") and r.raw.startswith("US,GS")
    sim.tare()
    sim.set_weight(2.0)
    assert sim.read().weight_kg == 0.5 and sim.read().net
    sim.zero()
    assert sim.read().weight_kg == 0.0 and not sim.read().net
    stop = threading.Event()
    stop.set()
    assert list(sim.readings(stop)) == []


def test_open_scale_without_port_is_an_error() -> None:
    with pytest.raises(DeviceError, match="no scale configured"):
        open_scale(ScaleConfig())
    assert isinstance(open_scale(ScaleConfig(port=os.devnull, protocol="cas")), SerialScale)


FIELD_STREAMS: dict[str, tuple[str, bytes, float]] = {  # issue 15.4: frames as the field sends them
    "xk3190-nibble": ("xk3190-a9", xk3190("+003000", nibble=True) + xk3190("+000010", bad=True), 3.0),
    "cas-no-comma": ("cas", b"ST,US,+   0.05kg\r\nST,GS    20.7g\r\n", 0.0207),
}


@pytest.mark.parametrize("variant", sorted(FIELD_STREAMS))
def test_field_frames_over_a_pty(variant: str, pty_device: PtyDevice, collect) -> None:
    protocol, data, expected = FIELD_STREAMS[variant]
    scale = scale_for(pty_device.path, protocol)
    reader = collect(scale.readings)
    writer_stop = threading.Event()
    streamer(pty_device, data, writer_stop)
    try:
        reading = reader.wait_for(lambda r: r.stable)
    finally:
        writer_stop.set()
    assert reading.weight_kg == expected


def test_toledo_8217_net_answer_over_a_pty(pty_device: PtyDevice, collect) -> None:
    stop = threading.Event()
    responder(pty_device, lambda req: b"\x0201.250N\r" if req == b"W" else b"", stop)
    scale = scale_for(pty_device.path, "toledo-8217")
    reader = collect(scale.readings)
    try:
        reading = reader.wait_for(lambda r: r.stable)
    finally:
        stop.set()
    assert (reading.weight_kg, reading.net) == (1.25, True)
