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
from pickpack.config import Config, load_config
from pickpack.core.couriers.incidents import ACTIONS, proposals, record_incident
from pickpack.core.couriers.pickup import mark_pickup
from pickpack.core.couriers.pools import pools
from pickpack.core.events import Actor
from pickpack.store import open_store
from pickpack.text import echo, json_text


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    courier = sub.add_parser("courier", help="couriers: out-of-area incidents, rule proposals, "
                                             "waybill pools")
    cmds = courier.add_subparsers(dest="courier_command", required=True, metavar="ACTION")
    inc = cmds.add_parser("incident", help="record a parcel its courier could not deliver (超区)")
    inc.add_argument("tracking", help="the parcel's tracking number")
    inc.add_argument("--action", required=True, choices=ACTIONS,
                     help="returned to the warehouse, or transferred to another courier")
    inc.add_argument("--region", default="", help='"province city" (default: the order\'s)')
    inc.add_argument("--new-tracking", default="", help="the transfer's new tracking number")
    inc.add_argument("--by", help="who records it (default: your login name)")
    inc.set_defaults(handler=cmd_incident)
    pick = cmds.add_parser("pickup", help="make an order local pickup (自提: no waybill)")
    pick.add_argument("key", help="order no. or tracking no.")
    pick.add_argument("--undo", action="store_true", help="a courier parcel again")
    pick.add_argument("--by", help="who decides it (default: your login name)")
    pick.set_defaults(handler=cmd_pickup)
    prop = cmds.add_parser("proposals", help="out-of-area entries the incidents propose")
    prop.set_defaults(handler=cmd_proposals)
    pls = cmds.add_parser("pools", help="free waybill numbers per courier and platform")
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
    echo(f"out of area: {i.order_no} {i.courier} {i.tracking_no} {i.province} {i.city} "
         f"{i.action}{new}")
    return 0


def cmd_pickup(args: argparse.Namespace) -> int:
    cfg, engine = _store(args)
    actor = Actor(cfg.station.id, (args.by or os_user())[:32], "clerk")
    with write_tx(engine) as conn:
        note = mark_pickup(conn, cfg, actor, args.key, on=not args.undo)
    if args.json:
        echo(json_text({"key": args.key, "pickup": not args.undo, "note": note}))
    else:
        echo(f"{args.key}: {'local pickup' if not args.undo else 'courier parcel'} ({note or 'new'})")
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
        echo(f"{p.courier}: add \"{p.region}\" to [couriers.{p.courier}] out "
             f"({p.incidents} incidents; delivered instead by {instead})")
    if not found:
        echo("no proposals: fewer than 2 incidents of one courier in one city")
    return 0


def cmd_pools(args: argparse.Namespace) -> int:
    cfg, found = _read(args, pools)
    if args.json:
        echo(json_text([p.to_json() for p in found]))
        return 0
    for p in found:
        low = "  LOW" if p.free < cfg.couriers.pool_low else ""
        echo(f"{p.courier:<6} {p.platform or '-':<8} free {p.free:>6}  used {p.used:>6}{low}")
    return 0
