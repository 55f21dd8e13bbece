"""Messages into the station app: small dataclasses named for what happened.

Thread workers (scanner sources, the scale, flow calls) never touch widgets; they post these.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from pickpack.core.flows.base import Outcome
from pickpack.devices.scale.reading import Reading
from pickpack.live import Change
from pickpack.scan import Scan


@dataclass
class ScanRead(Message):
    """A scan from any source (keyboard wedge, evdev, serial) or a code typed and submitted."""

    scan: Scan


@dataclass
class WeightRead(Message):
    """A scale reading. A newer reading replaces one still waiting: the UI stays calm at 50 Hz."""

    reading: Reading

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, WeightRead)


@dataclass
class StoreChanged(Message):
    """Changes committed to the store (by any station), from the live feed's worker."""

    changes: list[Change]


@dataclass
class DeviceState(Message):
    """A device's state changed: ``device`` is ``scale``, ``scanner``, ``printer`` or ``store``."""

    device: str
    state: str
    bad: bool = False
    """Shown red (besides states that start with ``offline`` or ``error``)."""


@dataclass
class SlipsWaiting(Message):
    """The store is back and the sync moved slips queued offline to its print queue."""

    count: int


@dataclass
class FlowDone(Message):
    """A flow call finished in its worker; ``outcome`` is what the station shows."""

    outcome: Outcome | None
    context: object = None
