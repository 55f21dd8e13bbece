"""Store commands: db upgrade, release, order show/list (operators: pickpack.cli.operators)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from db.engine import make_engine, redacted
from db.migrate import upgrade
from pickpack.config import load_config
from pickpack.core.events import Actor
from pickpack.core.orders import find_order_id, list_orders, load_order
from pickpack.core.release import release
from pickpack.store import open_store
from pickpack.text import echo, json_text


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    db = sub.add_parser("db", help="store schema")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    up = db_sub.add_parser("upgrade", help="migrate the store to this version's schema")
    up.set_defaults(handler=cmd_db_upgrade)

    rel = sub.add_parser("release", help="audit new orders; make the good ones ready")
    rel.add_argument("--json", action="store_true")
    rel.set_defaults(handler=cmd_release)

    order = sub.add_parser("order", help="look up orders")
    o_sub = order.add_subparsers(dest="order_command", required=True)
    show = o_sub.add_parser("show", help="one order by order no., tracking no. or basket")
    show.add_argument("key")
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=cmd_order_show)
    lst = o_sub.add_parser("list", help="orders, first paid first")
    lst.add_argument("--state")
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(handler=cmd_order_list)


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    cfg = load_config(args.config)
    engine = make_engine(cfg.store.url, connect_timeout_s=cfg.store.connect_timeout_s)
    from db.migrate import backup_sqlite

    backup = backup_sqlite(engine)
    before, after = upgrade(engine)
    note = f" (backup {backup})" if backup else ""
    echo(f"store {redacted(cfg.store.url)}: schema {before or 'empty'} → {after}{note}")
    from pickpack.core.policy import seed_policy  # floor policy: config.toml seeds an empty one

    seeded = seed_policy(engine, cfg, Actor(cfg.station.id, "db upgrade"))
    if seeded:
        echo(f"floor policy: {seeded} settings from {cfg.source or 'the defaults'} "
             "(now the store's: pickpack policy show|set)")
    return 0


def cmd_release(args: argparse.Namespace) -> int:
    from pickpack.core.policy import in_force

    cfg = load_config(args.config)
    engine = open_store(cfg)
    cfg = in_force(engine, cfg)  # the warehouse's policy in the store (couriers, cut-offs…)
    result = release(engine, cfg, Actor(cfg.station.id, "release"))
    if args.json:
        echo(json_text({"ready": result.ready, "held": result.held, "cleared": result.cleared},
                       indent=None))
    else:
        held = ", ".join(f"{k}: {v}" for k, v in sorted(result.held.items())) or "none"
        echo(f"released {result.ready} orders; held {result.held_total} ({held}); "
             f"{result.cleared} holds cleared by the re-audit")
    for line in result.pools_low:  # a warning per courier pool running low (courier pools)
        echo(line, file=sys.stderr)
    return 0


def cmd_order_show(args: argparse.Namespace) -> int:
    cfg = load_config(args.config)
    engine = open_store(cfg)
    with engine.connect() as conn:
        oid = find_order_id(conn, args.key)
        if oid is None:
            echo(f"pickpack: no order with order no., tracking no. or basket {args.key!r}",
                 file=sys.stderr)
            return 1
        view = load_order(conn, oid, with_events=True)
    if args.json:
        echo(json_text(view.to_json()))
        return 0
    echo(_order_text(view.to_json()))
    return 0


def _order_text(o: dict[str, Any]) -> str:
    out = [f"{o['order_no']}  {o['state']}  {o['courier'] or '-'} {o['tracking_no'] or '-'}",
           f"  {o['receiver_name']} {o['receiver_phone']}  {o['address']}"]
    if o["buyer_remark"]:
        out.append(f"  buyer remark: {o['buyer_remark']}")
    if o["seller_memo"]:
        out.append(f"  seller memo: {o['seller_memo']}")
    if o["hold_reason"]:
        out.append(f"  held: {o['hold_reason']}")
    if o.get("parcel"):  # the desk's merge and split (docs/DESK.md)
        p = o["parcel"]
        out.append(f"  parcel {p['order_no']} {p['state']} {p['tracking_no'] or '-'}: "
                   f"orders {', '.join(p['orders'])}")
        for part in p["parcels"]:
            out.append(f"    parcel {part['order_no']} {part['state']} {part['tracking_no'] or '-'}")
    for line in o["lines"]:
        out.append(f"  {line['sku']:<10} {line['scanned']}/{line['qty']}  {line['bin']:<8} "
                   f"{line['name']} {line['variant']}")
    for e in o["events"]:
        out.append(f"  {e['at'][:19]} {e['station']:<4} {e['operator']:<8} {e['kind']} "
                   f"{json.dumps(e['payload'], ensure_ascii=False)}")
    return "\n".join(out)


def cmd_order_list(args: argparse.Namespace) -> int:
    cfg = load_config(args.config)
    with open_store(cfg).connect() as conn:
        orders = list_orders(conn, args.state)
    if args.json:
        echo(json_text(orders))
        return 0
    for o in orders:
        echo(f"{o['order_no']}  {o['state']:<9} {o['courier'] or '-':<4} "
             f"{o['tracking_no'] or '-':<16} {o['receiver_name']}  {o['hold_reason']}")
    echo(f"{len(orders)} orders")
    return 0
