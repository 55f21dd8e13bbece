"""Operators: badges, roles, login.

An operator may hold several roles (a small shop's one person picks and verifies); a station
takes logins only of operators holding a role it serves. Who may create, promote, disable an
operator or set a PIN is :mod:`pickpack.core.authority`'s business; this module keeps the rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, Row, select

from db.engine import write_tx
from pickpack.core.events import Actor, append_event
from pickpack.core.refusal import Refusal
from pickpack.core.tables import OPERATORS
from pickpack.i18n import N_, _

FLOOR_ROLES = ("picker", "verifier", "packer", "weigher")
"""Roles anyone at the command line may give (recorded with the OS user)."""
AUTHORITY_ROLES = ("clerk", "supervisor")
"""Roles only a supervisor (badge + PIN) may give."""
ROLES = (*FLOOR_ROLES, *AUTHORITY_ROLES)
ROLE_NAMES = {"picker": N_("picker"), "verifier": N_("verifier"), "packer": N_("packer"),
              "weigher": N_("weigher"), "clerk": N_("clerk"), "supervisor": N_("supervisor")}
"""Each role's name, marked for the catalog (a badge sheet prints them translated)."""

SECRET_COLUMNS = frozenset({"pin_hash", "failed_pins", "locked_until"})
"""Operator columns that stay in the central store: a station journal never copies them."""

STATION_ROLES: dict[str, tuple[str, ...]] = {
    "pick": ("picker",),
    "verify": ("verifier",),
    "pack": ("packer",),
    "weigh": ("weigher", "packer"),
    "ship": ("packer", "weigher", "clerk"),
    "returns": ("clerk",),
    "desk": ("clerk",),
}
"""Who a station of each mode serves; a supervisor may log in anywhere (lending a hand)."""


@dataclass(frozen=True, slots=True)
class OperatorInfo:
    code: str
    name: str
    role: str
    roles: tuple[str, ...] = ()

    def holds(self, role: str) -> bool:
        return role in (self.roles or (self.role,))


def parse_roles(text: str | list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """``"picker,verifier"`` (or a list) as known roles, in order, each once."""
    parts = text.split(",") if isinstance(text, str) else list(text)
    roles: list[str] = []
    for part in (p.strip().lower() for p in parts):
        if not part:
            continue
        if part not in ROLES:
            raise ValueError(_("unknown role {role!r}: one of {roles}").format(
                role=part, roles=", ".join(ROLES)))
        if part not in roles:
            roles.append(part)
    if not roles:
        raise ValueError(f"an operator needs a role: one of {', '.join(ROLES)}")
    return tuple(roles)


def info(row: Row[Any]) -> OperatorInfo:
    roles = tuple(r for r in (row.roles or row.role).split(",") if r)
    return OperatorInfo(row.code, row.name, roles[0] if roles else row.role, roles)


def operator_row(conn: Connection, code: str) -> Row[Any] | None:
    return conn.execute(select(OPERATORS).where(OPERATORS.c.code == code)).first()


def find_operator(conn: Connection, code: str) -> OperatorInfo:
    row = operator_row(conn, code)
    if row is None or not row.active:
        raise Refusal("unknown_operator", "Unknown badge {scanned}", scanned=code)
    return info(row)


def any_supervisor(conn: Connection) -> bool:
    """Whether the store has any supervisor at all (active or not)."""
    for roles, role in conn.execute(select(OPERATORS.c.roles, OPERATORS.c.role)):
        if "supervisor" in (roles or role).split(","):
            return True
    return False


def save_operator(conn: Connection, actor: Actor, code: str, name: str,
                  roles: tuple[str, ...], *, by: dict[str, str], rename: bool = False,
                  pin_hash: str | None = None) -> bool:
    """Create an operator or change one's roles, in the caller's transaction, with its event
    (``by`` names who did it). An existing operator is not renamed unless ``rename``, and a
    disabled one stays disabled (:func:`set_active` enables). Returns True when created."""
    if not code.strip() or not name.strip():
        raise ValueError("operator code and name must not be empty")
    row = operator_row(conn, code)
    values: dict[str, Any] = {"role": roles[0], "roles": ",".join(roles)}
    if pin_hash is not None:
        values.update(pin_hash=pin_hash, failed_pins=0, locked_until=None)
    if row is None:
        conn.execute(OPERATORS.insert().values(code=code, name=name, active=True, **values))
    else:
        if row.name != name and not rename:
            raise ValueError(f"operator {code} is {row.name!r}, not {name!r}: "
                             "add --rename to rename them")
        conn.execute(OPERATORS.update().where(OPERATORS.c.code == code)
                     .values(name=name, **values))
    append_event(conn, actor, "operator_saved", None,
                 {"code": code, "name": name, "roles": list(roles), **by,
                  **({"pin_set": True} if pin_hash is not None else {})})
    return row is None


def keep_a_supervisor(conn: Connection, code: str) -> None:
    """Refuse to leave the store with no active supervisor (anyone could then make one)."""
    others = [info(r) for r in conn.execute(select(OPERATORS).where(
        OPERATORS.c.active.is_(True), OPERATORS.c.code != code))]
    if not any(o.holds("supervisor") for o in others):
        raise ValueError(f"{code} is the store's last active supervisor: add another first")


def set_active(conn: Connection, actor: Actor, code: str, active: bool, *,
               by: dict[str, str]) -> OperatorInfo:
    """Disable an operator's badge (it logs in nowhere, also offline once the station's journal
    copy is refreshed) or enable it again, with an ``operator_disabled`` / ``operator_enabled``
    event naming who (``by``). The store's last active supervisor is not disabled."""
    row = operator_row(conn, code)
    if row is None:
        raise ValueError(f"no operator {code}")
    op = info(row)
    if bool(row.active) == active:
        raise ValueError(f"operator {code} {op.name} is already {'active' if active else 'disabled'}")
    if not active and op.holds("supervisor"):
        keep_a_supervisor(conn, code)
    conn.execute(OPERATORS.update().where(OPERATORS.c.code == code).values(active=active))
    append_event(conn, actor, "operator_enabled" if active else "operator_disabled", None,
                 {"code": code, "name": op.name, **by})
    return op


def add_operator(engine: Engine, code: str, name: str, role: str, *, station: str = "desk",
                 pin: str | None = None) -> bool:
    """Create or update an operator with no authority check (the demo and tests seed with it;
    the CLI goes through :mod:`pickpack.cli.operators`). ``role`` may list several roles."""
    from pickpack.core.authority import hash_pin

    roles = parse_roles(role)
    with write_tx(engine) as conn:
        return save_operator(conn, Actor(station, "seed"), code, name, roles,
                             by={"by": "seed"}, rename=True,
                             pin_hash=hash_pin(pin) if pin is not None else None)


def check_serves(op: OperatorInfo, mode: str) -> None:
    """Refuse a login at a station that serves none of the operator's roles."""
    serves = STATION_ROLES.get(mode)
    if serves is None or op.holds("supervisor") or any(op.holds(r) for r in serves):
        return
    def words(roles: tuple[str, ...]) -> str:  # roles in the station's language
        return ", ".join(_(ROLE_NAMES[r]) if r in ROLE_NAMES else r for r in roles)

    raise Refusal("wrong_role", "{name} ({roles}) cannot log in at {station}: it serves {serves}",
                  name=op.name, roles=words(op.roles or (op.role,)), station=mode,
                  serves=words(serves), scanned=op.code)


def login(engine: Engine, station: str, badge: str, mode: str | None = None) -> OperatorInfo:
    """An operator scans their badge at a station; the login is recorded. With ``mode``, an
    operator holding none of the roles that station serves is refused (and recorded)."""
    with engine.connect() as conn:
        op = find_operator(conn, badge)
    if mode is not None:
        try:
            check_serves(op, mode)
        except Refusal as refusal:
            from pickpack.core.context import record_refusal

            record_refusal(engine, Actor(station, op.code, op.role), refusal, None)
            raise
    with write_tx(engine) as conn:
        append_event(conn, Actor(station, op.code, op.role), "login", None,
                     {"name": op.name, **({"mode": mode} if mode else {})})
        return op


def logout(engine: Engine, actor: Actor, *, reason: str = "") -> None:
    with write_tx(engine) as conn:
        append_event(conn, actor, "logout", None, {"reason": reason} if reason else {})
