"""Scanner source for an HID scanner read straight from /dev/input, grabbed exclusively.

Grabbing keeps scans out of the terminal and every other program. The grab waits until no key
is held (a key held at grab time would stay "down" for the rest of the system). Unplugging the
scanner is not fatal: the source waits and finds the device again by the same selector.
"""

from __future__ import annotations

import contextlib
import errno
import select
import threading
from collections.abc import Callable, Generator
from typing import Any

import evdev

from pickpack.devices.errors import DeviceError, DeviceNotFound, DevicePermissionError, udev_rule
from pickpack.devices.scanners import make_scan
from pickpack.devices.scanners.finder import InputInfo, find_input
from pickpack.devices.scanners.keys import KeyDecoder
from pickpack.scan import Scan

GONE = frozenset({errno.ENODEV, errno.EIO, errno.EBADF, errno.ENOENT})
POLL_S = 0.2


class EvdevScanner:
    """Reads one scanner by path, by-id link, name or VID:PID (``[scanner] device``).

    ``opener`` and ``finder`` default to ``evdev.InputDevice`` and ``find_input``; anything with
    the same ``fd``/``read``/``grab``/``ungrab``/``active_keys``/``close`` works.
    """

    name = "evdev"

    def __init__(
        self,
        selector: str,
        *,
        opener: Callable[[str], Any] = evdev.InputDevice,
        finder: Callable[[str], InputInfo] = find_input,
        retry_s: float = 1.0,
        grab: bool = True,
    ) -> None:
        self.selector = selector
        self.opener = opener
        self.finder = finder
        self.retry_s = retry_s
        self.grab = grab
        self.decoder = KeyDecoder()
        self.status = "not connected"
        self.connects = 0

    def scans(self, stop: threading.Event) -> Generator[Scan, None, None]:
        """Yield scans until ``stop`` is set; reconnects after an unplug."""
        while not stop.is_set():
            device = self._connect(stop)
            if device is None:
                return
            try:
                yield from self._read(device, stop)
            except OSError as exc:
                if exc.errno not in GONE:
                    raise
                self.status = f"disconnected ({exc.strerror}); waiting for {self.selector}"
                self.decoder.reset()
                stop.wait(self.retry_s)
            finally:
                _release(device)

    def _connect(self, stop: threading.Event) -> Any | None:
        while not stop.is_set():
            info = InputInfo(path=self.selector, name="", vid="", pid="")
            try:
                info = self.finder(self.selector)
                device = self.opener(info.path)
            except DeviceNotFound as exc:
                self.status = str(exc)
            except PermissionError as exc:
                raise DevicePermissionError(_permission_message(self.selector, info)) from exc
            except OSError as exc:
                if exc.errno not in GONE:
                    raise
                self.status = f"{self.selector}: {exc.strerror}"
            else:
                if self._grab(device, stop):
                    self.connects += 1
                    self.status = f"connected: {info.path}"
                    return device
                _release(device)
                return None
            stop.wait(self.retry_s)
        return None

    def _grab(self, device: Any, stop: threading.Event) -> bool:
        if not self.grab:
            return True
        while device.active_keys():  # a key is down: grabbing now would leave it stuck
            if stop.wait(0.05):
                return False
        try:
            device.grab()
        except OSError as exc:
            if exc.errno == errno.EBUSY:
                raise DeviceError(f"{self.selector} is grabbed by another program") from exc
            raise
        return True

    def _read(self, device: Any, stop: threading.Event) -> Generator[Scan, None, None]:
        while not stop.is_set():
            ready, _, _ = select.select([device.fd], [], [], POLL_S)
            if not ready:
                continue
            try:
                events = list(device.read())
            except BlockingIOError:
                continue
            for event in events:
                code = self.decoder.feed(event)
                if code is not None:
                    yield make_scan(code, self.name)


def _release(device: Any) -> None:
    with contextlib.suppress(OSError):  # not grabbed, or gone with the unplug
        device.ungrab()
    with contextlib.suppress(OSError):
        device.close()


def _permission_message(selector: str, info: InputInfo) -> str:
    rule = udev_rule(info.vid or "xxxx", info.pid or "yyyy")
    return (
        f"permission denied on {info.path} ({selector}): add to /etc/udev/rules.d/"
        f"70-pickpack-scanner.rules: {rule} ; then `sudo groupadd -f scanner; "
        "sudo usermod -aG scanner $USER; sudo udevadm control --reload; sudo udevadm trigger`"
    )
