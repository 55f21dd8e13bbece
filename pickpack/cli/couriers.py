"""`pickpack courier incident|pickup|proposals|pools [--json]`: couriers at the desk.

``incident TRACKING --action returned|transferred [--region "省 市"] [--new-tracking N]``
records that a courier could not deliver the parcel (超区, the event ``out_of_area``);
``pickup KEY [--undo]`` makes an order local pickup (自提: no waybill, pickpack.core.couriers.pickup);
``proposals`` lists the out-of-area entries those incidents propose (pickpack.core.couriers);
``pools`` the free waybill numbers per courier and platform pool.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Engine

from db.engine import write_tx
from pickpack.cli.operators import os_user
from pickpack.cli.registry import add_command
from pickpack.cli.words import change_note
from pickpack.config import Config, load_config
from pickpack.core.couriers.incidents import ACTIONS, proposals, record_incident
from pickpack.core.couriers.pickup import mark_pickup
from pickpack.core.couriers.pools import pools
from pickpack.core.events import Actor
from pickpack.i18n import _
from pickpack.store import open_store
from pickpack.text import echo, json_text


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    courier = add_command(sub, "courier")
    cmds = courier.add_subparsers(dest="courier_command", required=True, metavar="ACTION")
    inc = cmds.add_parser("incident", help=_("record a parcel its courier could not deliver (超区)"))
    inc.add_argument("tracking", help=_("the parcel's tracking number"))
    inc.add_argument("--action", required=True, choices=ACTIONS,
                     help=_("returned to the warehouse, or transferred to another courier"))
    inc.add_argument("--region", default="", help=_('"province city" (default: the order\'s)'))
    inc.add_argument("--new-tracking", default="", help=_("the transfer's new tracking number"))
    inc.add_argument("--by", help=_("who records it (default: your login name)"))
    inc.set_defaults(handler=cmd_incident)
    pick = cmds.add_parser("pickup", help=_("make an order local pickup (自提: no waybill)"))
    pick.add_argument("key", help=_("order no. or tracking no."))
    pick.add_argument("--undo", action="store_true", help=_("a courier parcel again"))
    pick.add_argument("--by", help=_("who decides it (default: your login name)"))
    pick.set_defaults(handler=cmd_pickup)
    prop = cmds.add_parser("proposals", help=_("out-of-area entries the incidents propose"))
    prop.set_defaults(handler=cmd_proposals)
    pls = cmds.add_parser("pools", help=_("free waybill numbers per courier and platform"))
    pls.set_defaults(handler=cmd_pools)
    for p in (inc, pick, prop, pls):
        p.add_argument("--json", action="store_true")


def _store(args: argparse.Namespace) -> tuple[Config, Engine]:
    """The config in force (config.toml overlaid with the store's policy) and the store."""
    from pickpack.core.policy import in_force

    cfg = load_config(args.config)
    engine = open_store(cfg)
    return in_force(engine, cfg), engine


def cmd_incident(args: argparse.Namespace) -> int:
    cfg, engine = _store(args)
    actor = Actor(cfg.station.id, (args.by or os_user())[:32], "clerk")
    with write_tx(engine) as conn:
        i = record_incident(conn, cfg, actor, args.tracking.strip(), args.action, args.region,
                            args.new_tracking.strip())
    if args.json:
        echo(json_text({"order_no": i.order_no, **i.payload()}))
        return 0
    new = f" → {i.new_courier or '?'} {i.new_tracking}" if i.new_tracking else ""
    echo(_('out of area: {order_no} {courier} {tracking_no} {province} {city} {action}{new}').format(
             order_no=i.order_no, courier=i.courier, tracking_no=i.tracking_no, province=i.province,
             city=i.city, action=i.action, new=new))
    return 0


def cmd_pickup(args: argparse.Namespace) -> int:
    cfg, engine = _store(args)
    actor = Actor(cfg.station.id, (args.by or os_user())[:32], "clerk")
    with write_tx(engine) as conn:
        note = mark_pickup(conn, cfg, actor, args.key, on=not args.undo)
    if args.json:
        echo(json_text({"key": args.key, "pickup": not args.undo, "note": note}))
    else:
        what = _("local pickup") if not args.undo else _("courier parcel")
        said = change_note(note) if note else _("new")
        echo(_("{key}: {what} ({note})").format(key=args.key, what=what, note=said))
    return 0


def _read(args: argparse.Namespace, what: Callable[[Connection, Config], list[Any]]) -> tuple[
        Config, list[Any]]:
    cfg, engine = _store(args)
    with engine.connect() as conn:
        return cfg, what(conn, cfg)


def cmd_proposals(args: argparse.Namespace) -> int:
    _cfg, found = _read(args, proposals)
    if args.json:
        echo(json_text([p.to_json() for p in found]))
        return 0
    for p in found:
        instead = ", ".join(f"{c} {n}" for c, n in p.instead.items()) or "-"
        echo(_('{courier}: add "{region}" to [couriers.{courier}] out ({incidents} incidents; delivered '
               'instead by {instead})').format(
                 courier=p.courier, region=p.region, incidents=p.incidents, instead=instead))
    if not found:
        echo(_("no proposals: fewer than 2 incidents of one courier in one city"))
    return 0


def cmd_pools(args: argparse.Namespace) -> int:
    cfg, found = _read(args, pools)
    if args.json:
        echo(json_text([p.to_json() for p in found]))
        return 0
    for p in found:
        low = "  " + _("LOW") if p.free < cfg.couriers.pool_low else ""
        echo(_('{courier:<6} {v:<8} free {free:>6}  used {used:>6}{low}').format(
                 courier=p.courier, v=p.platform or '-', free=p.free, used=p.used, low=low))
    return 0
