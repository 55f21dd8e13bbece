"""Frames as real scales send them, built the way each protocol says."""

from __future__ import annotations

from pickpack.devices.scale.toledo_continuous import checksum
from pickpack.devices.scale.xk3190 import nibble_check, xor_check


def xk3190(value: str, places: int = 3, *, bad: bool = False, nibble: bool = False) -> bytes:
    """``value`` like "+001234": sign and six digits; ``nibble``: the check as 0x30+nibble."""
    body = value.encode() + str(places).encode()
    check = b"00" if bad else nibble_check(body) if nibble else xor_check(body)
    return b"\x02" + body + check + b"\x03"


def toledo_cont(
    digits: str, *, point: int = 5, swb: int = 0x30, swc: int = 0x20, check: bool | None = None
) -> bytes:
    """Status A: 0x20 | increment x1 (0x08) | decimal code; B default kg, gross, stable."""
    frame = bytes([0x02, 0x28 | point, swb, swc]) + digits.encode() + b"000000\r"
    if check is None:
        return frame
    return frame + bytes([checksum(frame) if check else (checksum(frame) + 1) & 0x7F])
