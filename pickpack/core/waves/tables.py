"""Core handles on the waves room's tables, and the wave code a pick list's barcode carries."""

from __future__ import annotations

import re

from db import models_waves
from pickpack.core.refusal import Refusal
from pickpack.core.tables import _t

WAVES = _t(models_waves.Wave)
WAVE_ORDERS = _t(models_waves.WaveOrder)

OPEN, PRINTED, PICKING, PICKED, CLOSED = "open", "printed", "picking", "picked", "closed"
WAVE_STATES = (OPEN, PRINTED, PICKING, PICKED, CLOSED)
WAVE_CODE = re.compile(r"W(\d{6,9})")
"""A wave's code as printed on its pick list (``W000123``)."""


def wave_code(wave_id: int) -> str:
    return f"W{wave_id:06d}"


def parse_wave(key: str) -> int:
    """A wave's id from its code (``W000123``) or its number; refused otherwise."""
    key = key.strip().upper()
    match = WAVE_CODE.fullmatch(key)
    if match:
        return int(match.group(1))
    if key.isascii() and key.isdigit() and len(key) <= 9:
        return int(key)
    raise Refusal("unknown_wave", "No wave {wave}", wave=key)
