"""Open a serial port the same way for scanners and scales.

A USB adapter may come back under another name after a replug, so the configured name (best a
``/dev/serial/by-id/…`` link) is resolved again on every attempt.
"""

from __future__ import annotations

import errno
import os

import serial

from pickpack.devices.errors import DeviceNotFound, DevicePermissionError

READ_TIMEOUT_S = 0.2


def resolve_port(port: str) -> str:
    """A pyserial URL as given; a device path with its symlinks (by-id links) resolved now."""
    if "://" in port:
        return port
    return os.path.realpath(port)


def open_port(
    port: str,
    *,
    baudrate: int = 9600,
    bytesize: int = 8,
    parity: str = "N",
    stopbits: int = 1,
    timeout: float = READ_TIMEOUT_S,
) -> serial.SerialBase:
    """Open ``port`` (path or pyserial URL) exclusively where the platform supports it.

    Raises DevicePermissionError (with the fix) or DeviceNotFound; never a bare SerialException.
    """
    target = resolve_port(port)
    settings = {
        "baudrate": baudrate,
        "bytesize": bytesize,
        "parity": parity,
        "stopbits": stopbits,
        "timeout": timeout,
        "write_timeout": 1.0,
    }
    try:
        try:
            return serial.serial_for_url(target, exclusive=True, **settings)
        except (TypeError, ValueError):  # URL handlers without exclusive locking
            return serial.serial_for_url(target, **settings)
    except PermissionError as exc:
        raise DevicePermissionError(_permission_hint(port)) from exc
    except (OSError, serial.SerialException) as exc:
        if getattr(exc, "errno", None) in (errno.EACCES, errno.EPERM):
            raise DevicePermissionError(_permission_hint(port)) from exc
        raise DeviceNotFound(f"serial port {port}: {exc}") from exc


def _permission_hint(port: str) -> str:
    return (
        f"permission denied on {port}: add the user to the 'dialout' group "
        "(sudo usermod -aG dialout $USER, then log in again)"
    )
