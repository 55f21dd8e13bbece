"""A simulated scale (``[scale] port = "sim"``): the demo and laptops without hardware use it.

Weight is set from code (``set_weight(1.234)``, or ``stable=False`` while a parcel settles);
it streams readings of the same ``Reading`` type as a real scale, ten a second.
"""

from __future__ import annotations

import threading
from collections.abc import Generator

from pickpack.devices.scale.reading import Reading


class SimulatedScale:
    """Thread-safe: set the weight from one thread while another reads."""

    name = "sim"

    def __init__(self, interval_s: float = 0.1) -> None:
        self.interval_s = interval_s
        self.status = "connected: simulated scale"
        self._lock = threading.Lock()
        self._gross = 0.0
        self._zero = 0.0
        self._tare = 0.0
        self._stable = True
        self._lifted = False
        self.last: Reading | None = None

    def set_weight(self, kg: float, stable: bool = True) -> None:
        """What lies on the platform now, in kilograms."""
        with self._lock:
            self._gross, self._stable = kg, stable

    def place(self, kg: float) -> None:
        """Take what lies on the platform off, then put ``kg`` on: the next reading is the
        empty platform, the ones after it ``kg`` (a parcel swapped for the next one)."""
        with self._lock:
            self._gross, self._stable, self._lifted = kg, True, True

    def read(self) -> Reading:
        """The reading right now (no waiting)."""
        with self._lock:
            gross, self._lifted = (0.0 if self._lifted else self._gross), False
            weight = round(gross - self._zero - self._tare, 6)
            stable, net = self._stable, self._tare != 0.0
        state, kind = ("ST" if stable else "US"), ("NT" if net else "GS")
        raw = f"{state},{kind},{'-' if weight < 0 else '+'}{abs(weight):8.3f}kg"
        self.last = Reading(weight, stable, "kg", raw, net=net)
        return self.last

    def readings(self, stop: threading.Event) -> Generator[Reading, None, None]:
        """A reading every ``interval_s`` until ``stop`` is set."""
        while not stop.is_set():
            yield self.read()
            stop.wait(self.interval_s)

    def zero(self) -> None:
        """The current gross weight becomes zero (clears the tare)."""
        with self._lock:
            self._zero, self._tare = self._gross, 0.0

    def tare(self) -> None:
        """The current weight becomes the tare: readings are net from now on."""
        with self._lock:
            self._tare = self._gross - self._zero
