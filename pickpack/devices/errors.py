"""Errors a device source raises when the operator (not the code) has to do something."""

from __future__ import annotations


class DeviceError(Exception):
    """A device cannot be used; the message says what to do (one line, shown to the user)."""


class DevicePermissionError(DeviceError):
    """The device exists but this user may not open it; the message names the fix."""


class DeviceNotFound(DeviceError):
    """No device matches the configured selector (yet: sources keep looking)."""


class UnsupportedCommand(DeviceError):
    """The scale's protocol has no such command (zero or tare)."""


def udev_rule(vid: str, pid: str, subsystem: str = "input", group: str = "scanner") -> str:
    """The narrow udev rule that lets ``group`` open one device model, nothing else."""
    return (
        f'SUBSYSTEM=="{subsystem}", ATTRS{{idVendor}}=="{vid.lower()}", '
        f'ATTRS{{idProduct}}=="{pid.lower()}", GROUP="{group}", MODE="0660"'
    )
