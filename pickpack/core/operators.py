"""Operators: badges, roles, login."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, Engine, select

from db.engine import write_tx
from pickpack.core.events import Actor, append_event
from pickpack.core.refusal import Refusal
from pickpack.core.tables import OPERATORS

ROLES = ("picker", "verifier", "packer", "clerk", "supervisor")


@dataclass(frozen=True, slots=True)
class OperatorInfo:
    code: str
    name: str
    role: str


def add_operator(engine: Engine, code: str, name: str, role: str, *, station: str = "desk") -> bool:
    """Create or update an operator; returns True when created."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}: one of {', '.join(ROLES)}")
    if not code.strip() or not name.strip():
        raise ValueError("operator code and name must not be empty")
    with write_tx(engine) as conn:
        exists = conn.execute(select(OPERATORS.c.code).where(OPERATORS.c.code == code)).first()
        if exists:
            conn.execute(OPERATORS.update().where(OPERATORS.c.code == code)
                         .values(name=name, role=role, active=True))
        else:
            conn.execute(OPERATORS.insert().values(code=code, name=name, role=role, active=True))
        append_event(conn, Actor(station, "admin"), "operator_saved", None,
                     {"code": code, "name": name, "role": role})
        return exists is None


def find_operator(conn: Connection, code: str) -> OperatorInfo:
    row = conn.execute(select(OPERATORS).where(OPERATORS.c.code == code)).first()
    if row is None or not row.active:
        raise Refusal("unknown_operator", "Unknown badge {scanned}", scanned=code)
    return OperatorInfo(row.code, row.name, row.role)


def login(engine: Engine, station: str, badge: str) -> OperatorInfo:
    """An operator scans their badge at a station; the login is recorded."""
    with write_tx(engine) as conn:
        op = find_operator(conn, badge)
        append_event(conn, Actor(station, op.code, op.role), "login", None, {"name": op.name})
        return op


def logout(engine: Engine, actor: Actor) -> None:
    with write_tx(engine) as conn:
        append_event(conn, actor, "logout", None, {})


def require_supervisor(conn: Connection, badge: str) -> OperatorInfo:
    op = find_operator(conn, badge)
    if op.role != "supervisor":
        raise Refusal("not_supervisor", "{name} is not a supervisor", name=op.name)
    return op
