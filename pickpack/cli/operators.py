"""`pickpack operator add|list|role|disable|enable|pin|badges`: who may work, and who may say so.

Floor roles (picker, verifier, packer, weigher) are added by anyone at the command line, recorded
with the OS user who ran it. Creating or promoting a clerk or supervisor, changing roles,
disabling an operator and setting a PIN need ``--supervisor BADGE`` and that supervisor's PIN:
from a prompt on a terminal or ``PICKPACK_PIN``, never a flag. A PIN being set comes from a
prompt (twice) or ``PICKPACK_NEW_PIN``. Only while the store has no supervisor at all can the
first one be added without ``--supervisor``. A disabled badge logs in nowhere; ``badges`` prints
the badge sheet (one barcode per active operator) and records who printed whose badges. Every
command takes ``--json``.
"""

from __future__ import annotations

import argparse
import getpass
import os
import re
import sys
from typing import Any

from sqlalchemy import Connection, Engine, select

from db.engine import write_tx
from pickpack.cli.registry import add_command
from pickpack.config import Config, load_config
from pickpack.core.authority import (
    as_utc,
    check_pin_shape,
    hash_pin,
    prove_supervisor,
    set_pin,
    still_supervisor,
)
from pickpack.core.context import Floor
from pickpack.core.events import Actor, now
from pickpack.core.operators import (
    AUTHORITY_ROLES,
    ROLE_NAMES,
    ROLES,
    OperatorInfo,
    any_supervisor,
    info,
    keep_a_supervisor,
    operator_row,
    parse_roles,
    save_operator,
    set_active,
)
from pickpack.core.tables import OPERATORS
from pickpack.i18n import N_, _
from pickpack.store import open_store
from pickpack.text import echo, json_text

PIN_ENV = "PICKPACK_PIN"
NEW_PIN_ENV = "PICKPACK_NEW_PIN"


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    op = add_command(sub, "operator")
    op_sub = op.add_subparsers(dest="op_command", required=True)
    roles_help = _("one or more of {roles}, comma-separated").format(roles=", ".join(ROLES))

    add = op_sub.add_parser("add", help=_("add an operator (CODE is the badge barcode)"))
    add.add_argument("code")
    add.add_argument("name")
    add.add_argument("--role", default="verifier", help=roles_help)
    add.add_argument("--rename", action="store_true",
                     help=_("CODE exists: give it this NAME (nothing else changes)"))
    add.add_argument("--json", action="store_true")
    _supervisor_arg(add, required=False)
    add.set_defaults(handler=cmd_add)

    lst = op_sub.add_parser("list", help=_("every operator with roles, state and PIN"))
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(handler=cmd_list)

    role = op_sub.add_parser("role", help=_("set an operator's roles (a supervisor's authority)"))
    role.add_argument("code")
    role.add_argument("roles", help=roles_help)
    role.add_argument("--json", action="store_true")
    _supervisor_arg(role)
    role.set_defaults(handler=cmd_role)

    for name, text in (("disable", N_("an operator's badge stops working, at every station")),
                       ("enable", N_("a disabled badge works again"))):
        act = op_sub.add_parser(name, help=_(text))
        act.add_argument("code")
        act.add_argument("--json", action="store_true")
        _supervisor_arg(act)
        act.set_defaults(handler=cmd_disable if name == "disable" else cmd_enable)

    pin = op_sub.add_parser("pin", help=_("set or reset a supervisor's PIN (lifts a lock)"))
    pin.add_argument("code")
    pin.add_argument("--json", action="store_true")
    _supervisor_arg(pin)
    pin.set_defaults(handler=cmd_pin)

    from pickpack.cli.badges import register_badges

    register_badges(op_sub)


def _supervisor_arg(parser: argparse.ArgumentParser, *, required: bool = True) -> None:
    parser.add_argument("--supervisor", metavar="BADGE", required=required,
                        help=_('your supervisor badge; the PIN is prompted for (or ${PIN_ENV})').format(
                                 PIN_ENV=PIN_ENV))


# -- PINs from a person, never from the command line ------------------------------------------
def read_pin(label: str) -> str:
    """The authorising supervisor's PIN: ``PICKPACK_PIN``, else a prompt on a terminal."""
    pin = os.environ.get(PIN_ENV)
    if pin is None:
        if not sys.stdin.isatty():
            raise ValueError(_("{label}'s PIN is needed: run on a terminal or set {PIN_ENV}").format(
                                 label=label, PIN_ENV=PIN_ENV))
        pin = getpass.getpass(_('PIN of {label}: ').format(label=label))
    return pin.strip()


def read_new_pin(code: str) -> str:
    """The PIN being set: ``PICKPACK_NEW_PIN``, else typed twice at a prompt."""
    pin = os.environ.get(NEW_PIN_ENV)
    if pin is None:
        if not sys.stdin.isatty():
            raise ValueError(_("a new PIN for {code} is needed: run on a terminal or set "
                               "{NEW_PIN_ENV}").format(code=code, NEW_PIN_ENV=NEW_PIN_ENV))
        pin = getpass.getpass(_('New PIN for {code}: ').format(code=code)).strip()
        if getpass.getpass(_('New PIN for {code} again: ').format(code=code)).strip() != pin:
            raise ValueError(_('the two PINs for {code} differ: nothing changed').format(code=code))
    pin = pin.strip()
    check_pin_shape(pin)
    return pin


def os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container): say so, do not guess
        return f"uid {os.getuid()}"


def authorise(cfg: Config, engine: Engine, badge: str) -> OperatorInfo:
    """Badge + PIN, counted like a station's: a wrong PIN is an event and five lock."""
    floor = Floor(engine, cfg)
    return prove_supervisor(floor, Actor(cfg.station.id, badge, "supervisor"), badge,
                            read_pin(badge))


def _who(cfg: Config, sup: OperatorInfo | None) -> tuple[Actor, dict[str, str]]:
    user = os_user()
    if sup is None:
        return Actor(cfg.station.id, user[:32], ""), {"os_user": user}
    return Actor(cfg.station.id, sup.code, "supervisor"), {"supervisor": sup.code, "os_user": user}


def _existing(conn: Connection, code: str) -> OperatorInfo:
    row = operator_row(conn, code)
    if row is None:
        raise ValueError(_('no operator {code}').format(code=code))
    return info(row)


def _check_code(cfg: Config, code: str) -> None:
    pattern = cfg.barcodes.operator
    if not re.fullmatch(pattern, code):
        raise ValueError(_('operator code {code!r} does not match the badge pattern [barcodes] operator = '
                           '{pattern!r}: its badge would not scan as a badge').format(
                             code=code, pattern=pattern))


# -- commands ------------------------------------------------------------------------------
def cmd_add(args: argparse.Namespace) -> int:
    cfg = load_config(args.config)
    _check_code(cfg, args.code)
    roles = parse_roles(args.role)
    engine = open_store(cfg)
    with engine.connect() as conn:
        row = operator_row(conn, args.code)
        first = "supervisor" in roles and not any_supervisor(conn)
    if row is not None and not args.rename:
        raise ValueError(_('operator {code} exists ({name}): --rename renames them, `operator role` '
                           'changes roles').format(code=args.code, name=row.name))
    current = info(row) if row is not None else None
    needs = set(current.roles if args.rename and current else roles) & set(AUTHORITY_ROLES)
    sup: OperatorInfo | None = None
    if args.supervisor:
        sup = authorise(cfg, engine, args.supervisor)
    elif needs and not first:
        raise ValueError(_("adding a {v} needs --supervisor BADGE (and that supervisor's PIN)").format(
                             v='/'.join(sorted(needs))))
    pin = hash_pin(read_new_pin(args.code)) if "supervisor" in roles and row is None else None
    actor, by = _who(cfg, sup)
    with write_tx(engine) as conn:
        if sup is not None:
            still_supervisor(conn, sup)
        elif first and any_supervisor(conn):
            raise ValueError(_("another supervisor was added meanwhile: add this one with "
                             "--supervisor BADGE"))
        if current is not None:
            created = save_operator(conn, actor, args.code, args.name, current.roles, by=by,
                                    rename=True)
        else:
            created = save_operator(conn, actor, args.code, args.name, roles, by=by,
                                    pin_hash=pin)
    what = "added" if created else "renamed"
    final = list(current.roles if current else roles)
    said = (_("operator {code} {name} ({roles}) added") if created
            else _("operator {code} {name} ({roles}) renamed"))
    done(args, {"code": args.code, "name": args.name, "roles": final, "done": what,
                "pin_set": pin is not None},
         said.format(code=args.code, name=args.name, roles=",".join(final))
         + (_(" with a PIN") if pin else ""))
    return 0


def done(args: argparse.Namespace, data: dict[str, Any], line: str) -> None:
    """What a command did: one JSON object with ``--json``, else one line."""
    echo(json_text(data, indent=None) if getattr(args, "json", False) else line)


def cmd_list(args: argparse.Namespace) -> int:
    cfg = load_config(args.config)
    with open_store(cfg).connect() as conn:
        rows = conn.execute(select(OPERATORS).order_by(OPERATORS.c.code)).all()
    at = now()
    out: list[dict[str, Any]] = []
    for row in rows:
        until = as_utc(row.locked_until)
        out.append({"code": row.code, "name": row.name, "roles": list(info(row).roles),
                    "active": bool(row.active), "pin": bool(row.pin_hash),
                    "locked": until is not None and until > at})
    if args.json:
        echo(json_text(out))
        return 0
    from pickpack.cli.reports import width

    for o in out:
        flags = [] if o["active"] else [_("disabled")]
        flags += [_("locked")] if o["locked"] else []
        flags += [_("PIN set")] if o["pin"] else []
        roles = ",".join(_(ROLE_NAMES.get(r, r)) for r in o["roles"])
        name = o["name"] + " " * (10 - width(o["name"]))
        echo(f"{o['code']:<8} {name} {roles}{' ' * (24 - width(roles))} {' '.join(flags)}".rstrip())
    echo(_('{out} operators').format(out=len(out)))
    return 0


def cmd_role(args: argparse.Namespace) -> int:
    cfg = load_config(args.config)
    roles = parse_roles(args.roles)
    engine = open_store(cfg)
    with engine.connect() as conn:
        target = _existing(conn, args.code)
        row = operator_row(conn, args.code)
        needs_pin = "supervisor" in roles and row is not None and not row.pin_hash
    sup = authorise(cfg, engine, args.supervisor)
    pin = hash_pin(read_new_pin(args.code)) if needs_pin else None
    actor, by = _who(cfg, sup)
    with write_tx(engine) as conn:
        still_supervisor(conn, sup)
        if target.holds("supervisor") and "supervisor" not in roles:
            keep_a_supervisor(conn, args.code)
        save_operator(conn, actor, args.code, target.name, roles,
                      by={**by, "roles_before": ",".join(target.roles)}, pin_hash=pin)
    done(args, {"code": args.code, "name": target.name, "roles_before": list(target.roles),
                "roles": list(roles), "pin_set": pin is not None},
         f"operator {args.code} {target.name}: {','.join(target.roles)} → {','.join(roles)}")
    return 0


def cmd_disable(args: argparse.Namespace) -> int:
    return _set_active(args, False)


def cmd_enable(args: argparse.Namespace) -> int:
    return _set_active(args, True)


def _set_active(args: argparse.Namespace, active: bool) -> int:
    cfg = load_config(args.config)
    engine = open_store(cfg)
    with engine.connect() as conn:
        _existing(conn, args.code)
    if args.code == args.supervisor and not active:
        raise ValueError(_("a supervisor cannot disable their own badge: ask another"))
    sup = authorise(cfg, engine, args.supervisor)
    actor, by = _who(cfg, sup)
    with write_tx(engine) as conn:
        still_supervisor(conn, sup)
        target = set_active(conn, actor, args.code, active, by=by)
    said = _("operator {code} {name} enabled") if active else _("operator {code} {name} disabled")
    done(args, {"code": args.code, "name": target.name, "active": active, **by},
         said.format(code=args.code, name=target.name))
    return 0


def cmd_pin(args: argparse.Namespace) -> int:
    cfg = load_config(args.config)
    engine = open_store(cfg)
    with engine.connect() as conn:
        target = _existing(conn, args.code)
    if not target.holds("supervisor"):
        raise ValueError(_('operator {code} is not a supervisor: only supervisors have PINs').format(
                             code=args.code))
    sup = authorise(cfg, engine, args.supervisor)
    new = read_new_pin(args.code)
    actor, _by = _who(cfg, sup)
    with write_tx(engine) as conn:
        still_supervisor(conn, sup)
        set_pin(conn, actor, sup, args.code, new)
    done(args, {"code": args.code, "name": target.name, "pin_set": True,
                "supervisor": sup.code}, f"PIN of {args.code} {target.name} set")
    return 0
