"""Scales: protocol parsers (pure, fed bytes), the serial reading loop and a simulated scale.

``open_scale(cfg)`` returns a ``Scale``: iterate ``scale.readings(stop)`` in a thread worker;
``zero()``/``tare()`` raise ``UnsupportedCommand`` when the protocol has none.
"""

from __future__ import annotations

import threading
from collections.abc import Generator
from typing import Protocol, runtime_checkable

from pickpack.config import ScaleConfig
from pickpack.devices.errors import DeviceError
from pickpack.devices.scale import (  # noqa: F401  (registers the parsers)
    cas,
    mt_sics,
    pattern,
    reversed_frames,
    toledo_8217,
    toledo_continuous,
    xk3190,
)
from pickpack.devices.scale.protocol import PARSERS, ScaleParser
from pickpack.devices.scale.reader import SerialScale
from pickpack.devices.scale.reading import Reading
from pickpack.devices.scale.sim import SimulatedScale


@runtime_checkable
class Scale(Protocol):
    """What a station needs from a scale, real or simulated."""

    status: str
    last: Reading | None

    def readings(self, stop: threading.Event) -> Generator[Reading, None, None]: ...

    def zero(self) -> None: ...

    def tare(self) -> None: ...


def make_parser(cfg: ScaleConfig) -> ScaleParser:
    """The parser for ``cfg.protocol`` with the config's stability window and unit."""
    cls = PARSERS.get(cfg.protocol)
    if cls is None:
        raise DeviceError(f"unknown scale protocol {cfg.protocol!r}: one of {', '.join(PARSERS)}")
    unit = getattr(cfg, "unit", None) or cfg.pattern_unit
    if cls is pattern.PatternParser:
        return pattern.PatternParser(
            cfg.stable_window,
            unit,
            pattern=cfg.pattern,
            reversed_digits=cfg.pattern_reversed,
            decimals=cfg.pattern_decimals,
        )
    if cls is xk3190.Xk3190Parser:
        return xk3190.Xk3190Parser(cfg.stable_window, unit, check=cfg.check)
    parser = cls(cfg.stable_window, unit)
    if isinstance(parser, reversed_frames.ReversedParser):
        parser.width = cfg.reversed_width  # characters after "=" on this indicator
    return parser


def open_scale(cfg: ScaleConfig) -> Scale:
    """The configured scale: ``sim`` for the simulated one, else a port or pyserial URL."""
    if not cfg.port:
        raise DeviceError("no scale configured: set [scale] port (or 'sim')")
    if cfg.port == "sim":
        return SimulatedScale()
    return SerialScale(
        cfg.port,
        make_parser(cfg),
        baudrate=cfg.baudrate,
        bytesize=cfg.bytesize,
        parity=cfg.parity,
        stopbits=cfg.stopbits,
    )


__all__ = [
    "PARSERS", "Reading", "Scale", "ScaleParser", "SerialScale", "SimulatedScale",
    "make_parser", "open_scale",
]
