"""`pickpack order release|hold|cancel|ack|edit|merge|split`: the desk's CLI twins.

Each prints one line (``--json``: one object) and refuses with one line and a non-zero exit when
the step is not allowed. Reason codes come from one table (pickpack.core.desk.reasons). A
supervisor's authority is ``--supervisor BADGE`` with the PIN from a prompt or ``PICKPACK_PIN``
(never a flag). ``--by BADGE`` names the clerk at the desk (else the OS user is recorded).

``order release KEY --supervisor BADGE --reason R1…R5`` (the station override codes) is still
taken: the supervisor's override ``release_hold`` as before.
"""

from __future__ import annotations

import argparse
from typing import Any

from sqlalchemy import Engine

from pickpack.cli.operators import authorise, os_user
from pickpack.cli.registry import add_command
from pickpack.config import Config, load_config
from pickpack.core.context import Floor
from pickpack.core.desk.holds import DeskChange, cancel_order, hold_order, release_order
from pickpack.core.desk.reasons import TABLES
from pickpack.core.events import Actor
from pickpack.core.lifecycle import state_name
from pickpack.core.operators import OperatorInfo, info, operator_row
from pickpack.core.orders import find_order_id
from pickpack.core.overrides import REASONS, override
from pickpack.i18n import N_, _
from pickpack.store import open_store
from pickpack.text import echo, json_text


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    orders = _subcommands(sub, "order")
    rel = _action(orders, "release", _("release a held order (the audit's own holds: `release`)"),
                  "release", supervisor=True)
    rel.set_defaults(handler=cmd_release)
    hold = _action(orders, "hold", _("put an order aside with a reason"), "hold")
    hold.add_argument("--note", default="", help=_("what the clerk should know"))
    hold.set_defaults(handler=cmd_hold)
    cancel = _action(orders, "cancel", _("cancel an order (on the floor: a supervisor)"), "cancel",
                     supervisor=True)
    cancel.set_defaults(handler=cmd_cancel)
    from pickpack.cli import order_changes  # its commands use this module's Desk

    order_changes.register(orders)


def _action(orders: argparse._SubParsersAction, name: str, help_text: str,  # type: ignore[type-arg]
            table: str, *, supervisor: bool = False) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = orders.add_parser(name, help=help_text)
    p.add_argument("key", help=_("order no., tracking no. or basket"))
    codes = TABLES[table]
    extra = _("; R1–R5 with --supervisor: the station override") if table == "release" else ""
    p.add_argument("--reason", required=True, metavar="CODE",
                   help="; ".join(f"{k}: {_(v)}" for k, v in codes.items()) + extra)
    if supervisor:
        p.add_argument("--supervisor", metavar="BADGE",
                       help=_("a supervisor's badge; the PIN is prompted for (or $PICKPACK_PIN)"))
    desk_args(p)
    return p


def desk_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--by", metavar="BADGE", help=_("the clerk's badge (default: the OS user)"))
    p.add_argument("--json", action="store_true")


def _subcommands(sub: argparse._SubParsersAction, name: str  # type: ignore[type-arg]
                 ) -> argparse._SubParsersAction:  # type: ignore[type-arg]
    """The sub-commands of ``pickpack NAME`` (made by another module, or here)."""
    parser = sub.choices.get(name)
    if parser is None:
        parser = add_command(sub, name)
        return parser.add_subparsers(dest=f"{name}_command", required=True)
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    return parser.add_subparsers(dest=f"{name}_command", required=True)


# -- the desk's context at the command line -----------------------------------------------------
class Desk:
    """Config, store, the order a KEY names, who acts (and the supervisor when asked for)."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.cfg: Config = load_config(args.config)
        self.engine: Engine = open_store(self.cfg)
        self.floor = Floor(self.engine, self.cfg)
        self.supervisor: OperatorInfo | None = None
        if getattr(args, "supervisor", None):
            self.supervisor = authorise(self.cfg, self.engine, args.supervisor)
        self.actor = self._actor(getattr(args, "by", None))

    def _actor(self, badge: str | None) -> Actor:
        if badge:
            with self.engine.connect() as conn:
                row = operator_row(conn, badge)
            if row is None or not row.active:
                raise ValueError(_('--by {badge}: no active operator with that badge').format(badge=badge))
            op = info(row)
            if not (op.holds("clerk") or op.holds("supervisor")):
                raise ValueError(_("--by {badge}: {name} is not a clerk (the desk's actions are a clerk's "
                                   "or a supervisor's)").format(badge=badge, name=op.name))
            return Actor(self.cfg.station.id, op.code, "clerk" if op.holds("clerk") else op.role)
        if self.supervisor is not None:
            return Actor(self.cfg.station.id, self.supervisor.code, "supervisor")
        return Actor(self.cfg.station.id, os_user()[:32], "clerk")

    def order_id(self, key: str) -> int:
        with self.engine.connect() as conn:
            oid = find_order_id(conn, key)
        if oid is None:
            raise ValueError(_('no order with order no., tracking no. or basket {key!r}').format(key=key))
        return oid


def show(args: argparse.Namespace, data: dict[str, Any], line: str) -> int:
    echo(json_text(data, indent=None) if args.json else line)
    return 0


# -- release, hold, cancel ------------------------------------------------------------------------
def _said(done: DeskChange, template: str) -> str:
    """One line for a desk change: ``template`` names the order, who (a supervisor), the reason
    and the state it is in now or was in."""
    by = _(" by supervisor {supervisor}").format(supervisor=done.supervisor) if done.supervisor else ""
    note = f" ({_(done.note)})" if done.note else ""
    return _(template).format(order_no=done.order_no, by=by, reason=done.reason,
                              reason_text=done.reason_text, state=state_name(done.state),
                              was=state_name(done.was)) + note


def cmd_release(args: argparse.Namespace) -> int:
    if args.reason.upper() in REASONS:
        return _override_release(args)
    desk = Desk(args)
    done = release_order(desk.floor, desk.actor, desk.order_id(args.key), args.reason,
                         desk.supervisor)
    said = _said(done, N_("order {order_no} released{by} ({reason}: {reason_text}): now {state}"))
    return show(args, done.to_json(), said)


def _override_release(args: argparse.Namespace) -> int:
    """R1–R5 with --supervisor: the station's override ``release_hold``, as before the desk."""
    if not args.supervisor:
        raise ValueError(_("reason {v} is a supervisor's override: --supervisor BADGE").format(
                             v=args.reason.upper()))
    desk = Desk(args)
    sup, reason = desk.supervisor, args.reason.upper()
    assert sup is not None
    view = override(desk.floor, Actor(desk.cfg.station.id, sup.code, "supervisor"), sup,
                    desk.order_id(args.key), "release_hold", reason)
    return show(args, {"order_no": view.order_no, "state": view.state, "supervisor": sup.code,
                       "reason": reason},
                _('order {order_no} released by {code} {name} ({reason}): now {state}').format(
                    order_no=view.order_no, code=sup.code, name=sup.name, reason=reason,
                    state=state_name(view.state)))


def cmd_hold(args: argparse.Namespace) -> int:
    desk = Desk(args)
    done = hold_order(desk.floor, desk.actor, desk.order_id(args.key), args.reason, args.note)
    said = _said(done, N_("order {order_no} held{by} ({reason}: {reason_text}), was {was}"))
    return show(args, done.to_json(), said)


def cmd_cancel(args: argparse.Namespace) -> int:
    desk = Desk(args)
    done = cancel_order(desk.floor, desk.actor, desk.order_id(args.key), args.reason,
                        desk.supervisor)
    said = _said(done, N_("order {order_no} cancelled{by} ({reason}: {reason_text}), was {was}"))
    return show(args, done.to_json(), said)
