"""`pickpack devices list`, `pickpack scanner test`, `pickpack scale read`.

``register(sub)`` adds the commands to the main parser; each sets ``func`` to a handler that
takes the parsed args and returns the exit code. Errors: one line on stderr, non-zero exit.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import sys
import threading
from collections.abc import Callable
from typing import Any

from pickpack.cli.registry import add_command
from pickpack.config import ConfigError, load_config
from pickpack.devices.errors import DeviceError
from pickpack.i18n import _
from pickpack.scan import Scan

EXIT_ERROR, EXIT_TIMEOUT = 1, 3


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add `devices list`, `scanner test` and `scale read` to the main CLI."""
    from pickpack.devices.scale import PARSERS

    devices = add_command(sub, "devices")
    dsub = devices.add_subparsers(dest="devices_command", required=True)
    lst = dsub.add_parser("list", help=_("list scanners (input devices) and serial ports"))
    lst.add_argument("--json", action="store_true", help=_("one JSON object"))
    lst.set_defaults(func=_guard(cmd_devices_list))

    scanner = add_command(sub, "scanner")
    ssub = scanner.add_subparsers(dest="scanner_command", required=True)
    test = ssub.add_parser("test", help=_("print scans as they arrive (Ctrl+C ends)"))
    test.add_argument("--source", choices=["keyboard", "evdev", "serial"])
    test.add_argument("--device", help=_("evdev path/by-id/name/VID:PID or serial port/URL"))
    test.set_defaults(func=_guard(cmd_scanner_test))

    scale = add_command(sub, "scale")
    csub = scale.add_subparsers(dest="scale_command", required=True)
    read = csub.add_parser("read", help=_("print the first stable reading (or all with --watch)"))
    read.add_argument("--port", help=_("serial port, pyserial URL or 'sim'"))
    read.add_argument("--protocol", choices=sorted(PARSERS))
    read.add_argument("--baudrate", type=int)
    read.add_argument("--json", action="store_true", help=_("one JSON object per reading"))
    read.add_argument("--watch", action="store_true", help=_("every reading until Ctrl+C"))
    read.add_argument("--timeout", type=float, default=5.0, help=_("seconds (default 5)"))
    read.set_defaults(func=_guard(cmd_scale_read))


def _guard(handler: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except (ConfigError, DeviceError) as exc:
            print(_('pickpack: {exc}').format(exc=exc), file=sys.stderr)
            return EXIT_ERROR
        except KeyboardInterrupt:
            return 0

    run.__doc__ = handler.__doc__
    return run


def cmd_devices_list(args: argparse.Namespace) -> int:
    """Input devices (name, VID:PID, by-id links, access) and serial ports."""
    import evdev
    from serial.tools import list_ports

    from pickpack.devices.scanners.finder import list_inputs

    openable = set(evdev.list_devices())
    inputs: list[dict[str, Any]] = [
        {"path": i.path, "name": i.name, "vid_pid": f"{i.vid}:{i.pid}" if i.vid else "",
         "links": list(i.links), "access": i.path in openable}
        for i in list_inputs()
    ]
    by_id = {os.path.realpath(p): p for p in glob.glob("/dev/serial/by-id/*")}
    ports: list[dict[str, Any]] = [
        {"path": p.device, "description": p.description,
         "vid_pid": f"{p.vid:04x}:{p.pid:04x}" if p.vid is not None else "",
         "links": [by_id[p.device]] if p.device in by_id else [],
         "access": os.access(p.device, os.R_OK | os.W_OK)}
        for p in list_ports.comports()
    ]
    if args.json:
        print(json.dumps({"inputs": inputs, "serial": ports}, ensure_ascii=False))
        return 0
    print(_("Input devices (scanners: [scanner] source = \"evdev\"):"))
    for d in inputs:
        note = "" if d["access"] else _("  NO PERMISSION (see docs/HARDWARE.md: udev rule)")
        print(f"  {d['path']:<20} {d['vid_pid']:<10} {d['name']}{note}")
        for link in d["links"]:
            print(f"  {'':<20} {link}")
    if not inputs:
        print(_("  none found (is /dev/input there? containers often hide it)"))
    print(_("Serial ports (scales, serial scanners):"))
    for p in ports:
        note = "" if p["access"] else _("  NO PERMISSION (add the user to 'dialout')")
        said = _("no description") if p["description"] in ("", "n/a") else p["description"]
        print(f"  {p['path']:<20} {p['vid_pid']:<10} {said}{note}")  # pyserial says n/a
        for link in p["links"]:
            print(f"  {'':<20} {link}")
    if not ports:
        print(_("  none found"))
    return 0


def _print_scan(scan: Scan) -> None:
    sym = f" [{scan.symbology}]" if scan.symbology else ""
    print(f"{scan.source}{sym}: {scan.code!r}", flush=True)


def cmd_scanner_test(args: argparse.Namespace) -> int:
    """Print every scan from the configured (or given) scanner until Ctrl+C."""
    from pickpack.devices.scanners import make_scan, open_scanner

    cfg = load_config(args.config).scanner
    update = {k: v for k, v in (("source", args.source), ("device", args.device)) if v}
    cfg = cfg.model_copy(update=update)
    if cfg.source == "keyboard":
        print(_("keyboard wedge: scan into this terminal (Ctrl+C or Ctrl+D ends)"), file=sys.stderr)
        for line in sys.stdin:
            if line.strip("\r\n"):
                _print_scan(make_scan(line.rstrip("\r\n"), "keyboard"))
        return 0
    source = open_scanner(cfg)
    print(_('reading {source} scanner {device} (Ctrl+C ends)').format(
              source=cfg.source, device=cfg.device), file=sys.stderr)
    stop = threading.Event()
    scans = source.scans(stop)
    try:
        for scan in scans:
            _print_scan(scan)
    finally:
        stop.set()
        scans.close()
    return 0


def cmd_scale_read(args: argparse.Namespace) -> int:
    """The first stable reading (or every reading with --watch); exit 3 on timeout."""
    from pickpack.devices.scale import open_scale

    cfg = load_config(args.config).scale
    update = {
        k: v
        for k, v in (("port", args.port), ("protocol", args.protocol), ("baudrate", args.baudrate))
        if v
    }
    scale = open_scale(cfg.model_copy(update=update))
    stop = threading.Event()
    timer = threading.Timer(args.timeout, stop.set)
    readings = scale.readings(stop)
    if not args.watch:
        timer.start()
    try:
        for reading in readings:
            if args.json:
                print(json.dumps(reading.to_json(), ensure_ascii=False), flush=True)
            elif args.watch or reading.stable:
                state = _("stable") if reading.stable else _("moving")
                print(_('{weight_kg:10.3f} kg  {state:<6}  {raw}').format(
                          weight_kg=reading.weight_kg, state=state, raw=reading.raw), flush=True)
            if reading.stable and not args.watch:
                return 0
    finally:
        timer.cancel()
        stop.set()
        readings.close()
    if args.watch:
        return 0
    print(
        _('pickpack: no stable reading within {timeout:g} s ({status})').format(
            timeout=args.timeout, status=scale.status), file=sys.stderr
    )
    return EXIT_TIMEOUT
