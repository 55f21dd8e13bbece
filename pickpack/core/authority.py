"""Supervisor authority: a badge and a PIN, always.

A badge is a barcode and a barcode can be photocopied, so a badge alone proves nothing: a
supervisor types a PIN after it, at a station (the PIN field owns its keys) and at the command
line (from a prompt or ``PICKPACK_PIN``, never a flag). No setting turns this off.

PINs live only in the central store, hashed with scrypt (the cost comes from
``PICKPACK_PIN_KDF_COST``, log2 of scrypt's N, so tests can lower it; the cost a hash was made with
is kept in it). ``MAX_TRIES`` wrong PINs in a row lock that supervisor for ``LOCK_MINUTES``;
another supervisor's PIN reset lifts the lock. Every wrong PIN and every lock is an event.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from pickpack.core.context import Floor
from pickpack.core.events import Actor, append_event, now
from pickpack.core.operators import OperatorInfo, info, operator_row
from pickpack.core.refusal import Refusal
from pickpack.core.tables import OPERATORS

MAX_TRIES = 5
"""Wrong PINs in a row that lock a supervisor."""
LOCK_MINUTES = 15
"""How long a locked supervisor stays locked (unless another supervisor resets the PIN)."""
DEFAULT_COST = 14
"""log2 of scrypt's N: 2**14 with r=8 takes 16 MiB and some tens of milliseconds per try."""
COST_ENV = "PICKPACK_PIN_KDF_COST"
PIN_DIGITS = (4, 12)


def kdf_cost() -> int:
    raw = os.environ.get(COST_ENV, "")
    if not raw:
        return DEFAULT_COST
    if not raw.isdigit() or not 1 <= int(raw) <= 20:
        raise ValueError(f"{COST_ENV}={raw!r}: log2 of scrypt's N, a whole number 1–20")
    return int(raw)


def check_pin_shape(pin: str) -> None:
    low, high = PIN_DIGITS
    if not (pin.isascii() and pin.isdigit() and low <= len(pin) <= high):
        raise ValueError(f"a PIN is {low}–{high} digits")


def _scrypt(pin: str, salt: bytes, log_n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(pin.encode(), salt=salt, n=2 ** log_n, r=r, p=p, dklen=32,
                          maxmem=256 * r * 2 ** log_n + 1024 * 1024)


def hash_pin(pin: str) -> str:
    """``scrypt$log2N$r$p$salt$hash`` of a PIN of the right shape."""
    check_pin_shape(pin)
    log_n, r, p = kdf_cost(), 8, 1
    salt = secrets.token_bytes(16)
    return f"scrypt${log_n}${r}${p}${salt.hex()}${_scrypt(pin, salt, log_n, r, p).hex()}"


def pin_matches(pin: str, stored: str) -> bool:
    try:
        scheme, log_n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        got = _scrypt(pin, bytes.fromhex(salt), int(log_n), int(r), int(p))
    except ValueError:
        return False  # a damaged hash proves nothing
    return hmac.compare_digest(got, bytes.fromhex(digest))


def as_utc(when: datetime | None) -> datetime | None:
    """A stored time as an aware UTC time (SQLite may hand back a naive one)."""
    if when is None or when.tzinfo is not None:
        return when
    return when.replace(tzinfo=UTC)


def _minutes_left(until: datetime) -> int:
    return max(1, int((until - now()).total_seconds() // 60) + 1)


def check_badge(conn: Connection, badge: str) -> OperatorInfo:
    """The badge step: refuse at once a badge that is not an active supervisor's, a locked
    supervisor and one with no PIN yet (the PIN step follows)."""
    row = operator_row(conn, badge)
    if row is None or not row.active:
        raise Refusal("unknown_operator", "Unknown badge {scanned}", scanned=badge)
    op = info(row)
    if not op.holds("supervisor"):
        raise Refusal("not_supervisor", "{name} is not a supervisor", name=op.name,
                      scanned=badge)
    until = as_utc(row.locked_until)
    if until is not None and until > now():
        raise Refusal("supervisor_locked",
                      "Supervisor {name} is locked after {n} wrong PINs: {m} more minutes",
                      name=op.name, n=MAX_TRIES, m=_minutes_left(until), scanned=badge)
    if not row.pin_hash:
        raise Refusal("no_pin", "Supervisor {name} has no PIN here: another supervisor sets it "
                      "(pickpack operator pin)", name=op.name, scanned=badge)
    return op


def verify_supervisor(conn: Connection, badge: str, pin: str, *,
                      actor: Actor | None = None) -> OperatorInfo:
    """Badge + PIN proves a supervisor; a Refusal otherwise (unknown badge, not a supervisor,
    locked, no PIN, wrong PIN).

    A wrong PIN is counted, and the fifth in a row locks the supervisor, on ``conn`` with an
    event: the caller's transaction must commit even though this raises (see
    :func:`prove_supervisor`, which does). The slow KDF runs here: keep it out of transactions
    that hold other rows locked.
    """
    op = check_badge(conn, badge)
    row = operator_row(conn, badge)
    assert row is not None and row.pin_hash
    who = actor or Actor("", badge, "supervisor")
    if pin_matches(pin, row.pin_hash):
        if row.failed_pins or row.locked_until is not None:
            conn.execute(OPERATORS.update().where(OPERATORS.c.code == badge)
                         .values(failed_pins=0, locked_until=None))
        return op
    tries = int(row.failed_pins or 0) + 1
    payload: dict[str, Any] = {"supervisor": badge, "tries": tries}
    if tries >= MAX_TRIES:
        until = now() + timedelta(minutes=LOCK_MINUTES)
        conn.execute(OPERATORS.update().where(OPERATORS.c.code == badge)
                     .values(failed_pins=0, locked_until=until))
        append_event(conn, who, "supervisor_locked", None,
                     {**payload, "until": until.isoformat(), "minutes": LOCK_MINUTES})
        raise Refusal("supervisor_locked",
                      "Supervisor {name} is locked after {n} wrong PINs: {m} more minutes",
                      name=op.name, n=MAX_TRIES, m=LOCK_MINUTES, scanned=badge)
    conn.execute(OPERATORS.update().where(OPERATORS.c.code == badge).values(failed_pins=tries))
    append_event(conn, who, "pin_refused", None, payload)
    raise Refusal("bad_pin", "Wrong PIN for {name}: {left} tries left before the lock",
                  name=op.name, left=MAX_TRIES - tries, scanned=badge)


def prove_supervisor(floor: Floor, actor: Actor, badge: str, pin: str) -> OperatorInfo:
    """:func:`verify_supervisor` in a transaction of its own that commits the count of a wrong
    PIN before the refusal is raised."""
    refused: list[Refusal] = []

    def tx(conn: Connection) -> OperatorInfo | None:
        try:
            return verify_supervisor(conn, badge, pin, actor=actor)
        except Refusal as refusal:
            refused.append(refusal)
            return None

    op = floor.run(actor, tx)
    if refused:
        raise refused[0]
    assert op is not None
    return op


def still_supervisor(conn: Connection, sup: OperatorInfo) -> OperatorInfo:
    """Inside the transaction that uses a proven supervisor's authority: still an active,
    unlocked supervisor (no PIN asked again)."""
    row = operator_row(conn, sup.code)
    until = as_utc(row.locked_until) if row is not None else None
    if row is None or not row.active or not info(row).holds("supervisor") or (
            until is not None and until > now()):
        raise Refusal("not_supervisor", "{name} is not a supervisor", name=sup.name)
    return info(row)


def set_pin(conn: Connection, actor: Actor, by: OperatorInfo | None, code: str,
            new_pin: str) -> None:
    """Set (or reset) ``code``'s PIN, which also lifts a lock; ``by`` is the proven supervisor
    (None only for the store's first supervisor). Recorded as ``pin_set``."""
    row = operator_row(conn, code)
    if row is None:
        raise ValueError(f"no operator {code}")
    conn.execute(OPERATORS.update().where(OPERATORS.c.code == code)
                 .values(pin_hash=hash_pin(new_pin), failed_pins=0, locked_until=None))
    append_event(conn, actor, "pin_set", None,
                 {"code": code, "supervisor": by.code if by else None,
                  "unlocked": as_utc(row.locked_until) is not None})
