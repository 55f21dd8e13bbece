"""Finding an evdev scanner, and the source's read/grab/reconnect loop.

This machine has no /dev/uinput, so no real input device can be made: the loop is run with a
stand-in device that reads kernel ``struct input_event`` records from a FIFO, a real path the
test makes disappear (unplug) and reappear (replug). Decoding uses real evdev.InputEvent values.
"""

from __future__ import annotations

import errno
import os
import struct
import time
from pathlib import Path

import pytest
from evdev import InputEvent, ecodes

from pickpack.devices.errors import DeviceNotFound, DevicePermissionError
from pickpack.devices.scanners.evdev import EvdevScanner
from pickpack.devices.scanners.finder import InputInfo, find_input, list_inputs, match_input

EVENT = struct.Struct("llHHi")  # struct input_event on 64-bit Linux


def fake_input_tree(tmp_path: Path) -> tuple[Path, Path]:
    dev, sys_root = tmp_path / "input", tmp_path / "sys"
    (dev / "by-id").mkdir(parents=True)
    devices = {
        "event2": ("AT Translated Set 2 keyboard", "0001", "0001", None),
        "event5": ("Honeywell Scanner Consumer", "0c2e", "0b61", "usb-Honeywell_1900-event-if01"),
        "event6": ("Honeywell Scanner", "0c2e", "0b61", "usb-Honeywell_1900-event-kbd"),
    }
    for node, (name, vid, pid, link) in devices.items():
        (dev / node).write_bytes(b"")
        ids = sys_root / node / "device" / "id"
        ids.mkdir(parents=True)
        (sys_root / node / "device" / "name").write_text(name + "\n")
        (ids / "vendor").write_text(vid + "\n")
        (ids / "product").write_text(pid + "\n")
        if link:
            (dev / "by-id" / link).symlink_to(f"../{node}")
    return dev, sys_root


def test_list_and_match_by_selector(tmp_path: Path) -> None:
    dev, sys_root = fake_input_tree(tmp_path)
    infos = list_inputs(str(dev), str(sys_root))
    assert [i.path.rsplit("/", 1)[1] for i in infos] == ["event2", "event5", "event6"]
    assert infos[2].kbd and infos[2].links[0].endswith("event-kbd")

    def path(selector: str) -> str | None:
        info = match_input(selector, infos)
        return info.path.rsplit("/", 1)[1] if info else None

    assert path("0C2E:0B61") == "event6"  # the keyboard interface of the two
    assert path("Honeywell Scanner") == "event6"  # exact name first
    assert path("consumer") == "event5"
    assert path(str(dev / "by-id" / "usb-Honeywell_1900-event-if01")) == "event5"
    assert path(str(dev / "event2")) == "event2"
    assert path("dead:beef") is None


def test_find_input_errors(tmp_path: Path) -> None:
    with pytest.raises(DeviceNotFound, match="empty"):
        find_input("")
    with pytest.raises(DeviceNotFound, match="does not exist"):
        find_input(str(tmp_path / "nope"))
    with pytest.raises(DeviceNotFound, match="devices list"):
        find_input("No Such Scanner", input_dir=str(tmp_path))


class FifoKeyboard:
    """Stands in for evdev.InputDevice on a FIFO carrying input_event records."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        self.grabbed = False
        self.held: list[int] = []
        self.polls = 0

    def active_keys(self) -> list[int]:
        self.polls += 1
        return self.held if self.polls < 3 else []  # a key is let go after a moment

    def grab(self) -> None:
        self.grabbed = True

    def ungrab(self) -> None:
        self.grabbed = False

    def read(self) -> list[InputEvent]:
        data = os.read(self.fd, EVENT.size * 64)
        if not data:  # the writer went away: what the kernel reports for an unplug
            raise OSError(errno.ENODEV, "No such device")
        return [InputEvent(*EVENT.unpack_from(data, i)) for i in range(0, len(data), EVENT.size)]

    def close(self) -> None:
        os.close(self.fd)


def key_bytes(text: str) -> bytes:
    out = b""
    for ch in text:
        code = ecodes.KEY_ENTER if ch == "\n" else getattr(ecodes, f"KEY_{ch.upper()}")
        out += EVENT.pack(1, 0, ecodes.EV_KEY, code, 1) + EVENT.pack(1, 0, ecodes.EV_KEY, code, 0)
    return out


def test_source_grabs_reads_and_survives_replug(tmp_path: Path, collect) -> None:
    fifo = tmp_path / "event9"
    os.mkfifo(fifo)
    plug = os.open(fifo, os.O_RDWR)  # the "device" end stays open while plugged in
    opened: list[FifoKeyboard] = []

    def opener(path: str) -> FifoKeyboard:
        opened.append(FifoKeyboard(path))
        opened[-1].held = [ecodes.KEY_A]
        return opened[-1]

    source = EvdevScanner(str(fifo), opener=opener, retry_s=0.05)
    reader = collect(source.scans)
    os.write(plug, key_bytes("abc1\n"))
    scan = reader.wait_for(lambda s: True)
    assert (scan.code, scan.source) == ("abc1", "evdev")
    assert opened[0].grabbed and opened[0].polls >= 3  # grabbed only once no key was held

    os.write(plug, key_bytes("zz"))  # half a code, then the cable is pulled
    time.sleep(0.1)
    os.close(plug)
    fifo.unlink()
    deadline = time.monotonic() + 3
    while "does not exist" not in source.status:
        assert time.monotonic() < deadline, source.status
        time.sleep(0.01)
    os.mkfifo(fifo)
    plug = os.open(fifo, os.O_RDWR)
    try:
        while source.connects < 2:
            assert time.monotonic() < deadline, source.status
            time.sleep(0.01)
        os.write(plug, key_bytes("x9\n"))
        assert reader.wait_for(lambda s: True).code == "x9"  # the half code was dropped
    finally:
        reader.close()
        os.close(plug)
    assert not opened[-1].grabbed  # released on stop


def test_permission_error_names_the_udev_rule(tmp_path: Path) -> None:
    def finder(selector: str) -> InputInfo:
        return InputInfo(path="/dev/input/event7", name="Scanner", vid="1EAB", pid="0D10")

    def opener(path: str) -> FifoKeyboard:
        raise PermissionError(errno.EACCES, "Permission denied", path)

    source = EvdevScanner("1eab:0d10", opener=opener, finder=finder)
    with pytest.raises(DevicePermissionError) as err:
        next(source.scans(__import__("threading").Event()))
    message = str(err.value)
    assert 'ATTRS{idVendor}=="1eab", ATTRS{idProduct}=="0d10", GROUP="scanner"' in message
    assert 'MODE="0660"' in message and "0666" not in message
