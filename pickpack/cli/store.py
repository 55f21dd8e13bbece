"""Store commands: db upgrade, release, order show/list (operators: pickpack.cli.operators)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from db.engine import make_engine, redacted
from db.migrate import upgrade
from pickpack.cli.registry import add_command
from pickpack.cli.words import courier_word, event_line, reason_words
from pickpack.config import load_config
from pickpack.core.events import Actor
from pickpack.core.lifecycle import state_name
from pickpack.core.orders import find_order_id, list_orders, load_order
from pickpack.core.release import release
from pickpack.i18n import _
from pickpack.store import open_store
from pickpack.text import echo, json_text


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    db = add_command(sub, "db")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    up = db_sub.add_parser("upgrade", help=_("migrate the store to this version's schema"))
    up.set_defaults(handler=cmd_db_upgrade)

    rel = add_command(sub, "release")
    rel.add_argument("--json", action="store_true")
    rel.set_defaults(handler=cmd_release)

    order = add_command(sub, "order")
    o_sub = order.add_subparsers(dest="order_command", required=True)
    show = o_sub.add_parser("show", help=_("one order by order no., tracking no. or basket"))
    show.add_argument("key")
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=cmd_order_show)
    lst = o_sub.add_parser("list", help=_("orders, first paid first"))
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
    echo(_('store {url}: schema {v} → {after}{note}').format(
             url=redacted(cfg.store.url), v=before or _('empty'), after=after, note=note))
    from pickpack.core.policy import seed_policy  # floor policy: config.toml seeds an empty one

    seeded = seed_policy(engine, cfg, Actor(cfg.station.id, "db upgrade"))
    if seeded:
        echo(_("floor policy: {seeded} settings from {v} (now the store's: pickpack policy show|set)").format(
                 seeded=seeded, v=cfg.source or _('the defaults')))
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
        held = ", ".join(f"{reason_words(k)}: {v}" for k, v in sorted(result.held.items())) \
            or _("none")
        echo(_('released {ready} orders; held {held_total} ({held}); {cleared} holds cleared by the '
               're-audit').format(
                 ready=result.ready, held_total=result.held_total, held=held, cleared=result.cleared))
    for line in result.pools_low:  # a warning per courier pool running low (courier pools)
        echo(line, file=sys.stderr)
    return 0


def cmd_order_show(args: argparse.Namespace) -> int:
    cfg = load_config(args.config)
    engine = open_store(cfg)
    with engine.connect() as conn:
        oid = find_order_id(conn, args.key)
        if oid is None:
            echo(_('pickpack: no order with order no., tracking no. or basket {key!r}').format(key=args.key),
                 file=sys.stderr)
            return 1
        view = load_order(conn, oid, with_events=True)
    if args.json:
        echo(json_text(view.to_json()))
        return 0
    echo(_order_text(view.to_json()))
    return 0


def _order_text(o: dict[str, Any]) -> str:
    out = [f"{o['order_no']}  {state_name(o['state'])}  {courier_word(o['courier'])} "
           f"{o['tracking_no'] or '-'}",
           f"  {o['receiver_name']} {o['receiver_phone']}  {o['address']}"]
    if o["buyer_remark"]:
        out.append(_("  buyer remark: {remark}").format(remark=o["buyer_remark"]))
    if o["seller_memo"]:
        out.append(_("  seller memo: {memo}").format(memo=o["seller_memo"]))
    if o["hold_reason"]:
        out.append(_("  held: {reason}").format(reason=reason_words(o["hold_reason"])))
    if o.get("parcel"):  # the desk's merge and split (docs/DESK.md)
        p = o["parcel"]
        out.append(_("  parcel {order_no} {state} {tracking_no}: orders {orders}").format(
            order_no=p["order_no"], state=state_name(p["state"]), tracking_no=p["tracking_no"] or "-",
            orders=", ".join(p["orders"])))
        for part in p["parcels"]:
            out.append(_("    parcel {order_no} {state} {tracking_no}").format(
                order_no=part["order_no"], state=state_name(part["state"]),
                tracking_no=part["tracking_no"] or "-"))
    for line in o["lines"]:
        out.append(f"  {line['sku']:<10} {line['scanned']}/{line['qty']}  {line['bin']:<8} "
                   f"{line['name']} {line['variant']}")
    out += [event_line(e) for e in o["events"]]
    return "\n".join(out)


def cmd_order_list(args: argparse.Namespace) -> int:
    cfg = load_config(args.config)
    with open_store(cfg).connect() as conn:
        orders = list_orders(conn, args.state)
    if args.json:
        echo(json_text(orders))
        return 0
    from pickpack.cli.reports import width

    for o in orders:
        state = state_name(o["state"])
        echo(f"{o['order_no']}  {state}{' ' * (9 - width(state))} {courier_word(o['courier']):<4} "
             f"{o['tracking_no'] or '-':<16} {o['receiver_name']}  "
             f"{reason_words(o['hold_reason']) if o['hold_reason'] else ''}")
    echo(_('{orders} orders').format(orders=len(orders)))
    return 0
