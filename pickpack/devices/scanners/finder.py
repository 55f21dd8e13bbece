"""Find an input device by path, /dev/input/by-id link, name or VID:PID.

Reads names and USB ids from sysfs too, so a device this user may not open is still found and
the permission error can name the exact udev rule that fixes it.
"""

from __future__ import annotations

import glob
import os
import re
from dataclasses import dataclass

from pickpack.devices.errors import DeviceNotFound

VIDPID = re.compile(r"^([0-9a-fA-F]{4}):([0-9a-fA-F]{4})$")


@dataclass(frozen=True, slots=True)
class InputInfo:
    """One /dev/input/event* node as `devices list` shows it."""

    path: str
    name: str
    vid: str
    pid: str
    links: tuple[str, ...] = ()
    readable: bool = True

    @property
    def kbd(self) -> bool:
        """udev names the keyboard interface of a USB device ``…-event-kbd``."""
        return any(link.endswith("-event-kbd") for link in self.links)


def _sysfs(path: str, sys_root: str, leaf: str) -> str:
    node = os.path.basename(path)
    try:
        with open(os.path.join(sys_root, node, "device", leaf), encoding="utf-8") as fh:
            return fh.read().strip()
    except OSError:
        return ""


def _links(by_id_dir: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for link in sorted(glob.glob(os.path.join(by_id_dir, "*"))):
        found.setdefault(os.path.realpath(link), []).append(link)
    return found


def list_inputs(
    input_dir: str = "/dev/input", sys_root: str = "/sys/class/input"
) -> list[InputInfo]:
    """Every event node with name, VID:PID and by-id links; ``readable`` says if we may open it."""
    links = _links(os.path.join(input_dir, "by-id"))
    infos = []
    for path in sorted(glob.glob(os.path.join(input_dir, "event*")), key=_node_number):
        infos.append(
            InputInfo(
                path=path,
                name=_sysfs(path, sys_root, "name"),
                vid=_sysfs(path, sys_root, "id/vendor"),
                pid=_sysfs(path, sys_root, "id/product"),
                links=tuple(links.get(os.path.realpath(path), ())),
                readable=os.access(path, os.R_OK | os.W_OK),
            )
        )
    return infos


def _node_number(path: str) -> int:
    digits = re.sub(r"\D", "", os.path.basename(path))
    return int(digits) if digits else 0


def match_input(selector: str, infos: list[InputInfo]) -> InputInfo | None:
    """The device ``selector`` names; among several, the keyboard interface first.

    A path or by-id link matches by its real path; ``1eab:0d10`` by USB ids; anything else by
    the device name (exact, then case-insensitive substring).
    """
    sel = selector.strip()
    if sel.startswith("/"):
        real = os.path.realpath(sel)
        hits = [i for i in infos if os.path.realpath(i.path) == real]
    elif m := VIDPID.match(sel):
        vid, pid = m.group(1).lower(), m.group(2).lower()
        hits = [i for i in infos if i.vid.lower() == vid and i.pid.lower() == pid]
    else:
        hits = [i for i in infos if i.name == sel]
        hits = hits or [i for i in infos if sel.lower() in i.name.lower()]
    hits.sort(key=lambda i: not i.kbd)
    return hits[0] if hits else None


def find_input(selector: str, input_dir: str = "/dev/input") -> InputInfo:
    """The matching device now; DeviceNotFound when it is not plugged in (yet)."""
    if not selector:
        raise DeviceNotFound("[scanner] device is empty: set a path, by-id link, name or VID:PID")
    if selector.startswith("/") and not os.path.exists(selector):
        raise DeviceNotFound(f"input device {selector} does not exist")
    info = match_input(selector, list_inputs(input_dir))
    if info is None and selector.startswith("/"):
        info = InputInfo(path=os.path.realpath(selector), name="", vid="", pid="")
    if info is None:
        raise DeviceNotFound(f"no input device matches {selector!r} (see `pickpack devices list`)")
    return info
