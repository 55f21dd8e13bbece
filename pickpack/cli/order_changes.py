"""`pickpack order ack|edit|merge|split`: remarks acknowledged and orders changed at the desk."""

from __future__ import annotations

import argparse

from pickpack.cli.orders import Desk, desk_args, show
from pickpack.cli.words import change_note
from pickpack.core.desk.parcels import ParcelChange
from pickpack.core.desk.reasons import EDIT_REASONS
from pickpack.core.desk.remarks import RemarkAction
from pickpack.i18n import N_, _


def register(orders: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    ack = orders.add_parser("ack", help=_("acknowledge a remark's suggested actions (edit by flags)"))
    ack.add_argument("key", help=_("order no., tracking no. or basket"))
    ack.add_argument("--dry-run", action="store_true", help=_("show the suggestions, change nothing"))
    ack.add_argument("--gift", action="append", metavar="SKU[*N]",
                     help=_("the gift(s) to add instead of those suggested"))
    ack.add_argument("--no-gift", action="store_true", help=_("no gift line"))
    for flag, help_text in (("invoice", N_("an invoice goes in the parcel")),
                            ("urgent", N_("urgent (加急)"))):
        group = ack.add_mutually_exclusive_group()
        group.add_argument(f"--{flag}", dest=flag, action="store_true", default=None,
                           help=_(help_text))
        group.add_argument(f"--no-{flag}", dest=flag, action="store_false")
    price = ack.add_mutually_exclusive_group()
    price.add_argument("--no-price", dest="no_price", action="store_true", default=None,
                       help=_("the packing slip without prices"))
    price.add_argument("--prices", dest="no_price", action="store_false")
    ack.add_argument("--courier", metavar="CODE", help=_("the courier the buyer asked for"))
    ack.add_argument("--no-courier", action="store_true", help=_("ignore a courier request"))
    ack.add_argument("--drop", action="append", default=[], metavar="KIND",
                     help=_("leave out a suggested action of this kind"))
    ack.add_argument("--gift-message", help=_("the buyer's gift message for the packing slip"))
    desk_args(ack)
    ack.set_defaults(handler=cmd_ack)

    edit = orders.add_parser("edit", help=_("change the receiver or address (courier chosen "
                             "again; after printing, a new waybill)"))
    edit.add_argument("key", help=_("order no., tracking no. or basket"))
    edit.add_argument("--reason", required=True, metavar="CODE",
                      help="; ".join(f"{k}: {_(v)}" for k, v in EDIT_REASONS.items()))
    for name, column in (("name", "receiver_name"), ("phone", "receiver_phone"),
                         ("province", "province"), ("city", "city"), ("district", "district"),
                         ("street", "street"), ("postcode", "postcode")):
        edit.add_argument(f"--{name}", dest=column)
    edit.add_argument("--note", default="", help=_("why, in the clerk's words"))
    desk_args(edit)
    edit.set_defaults(handler=cmd_edit)

    merge = orders.add_parser("merge", help=_("orders of one buyer to one address into one parcel "
                              "(until its express slip prints)"))
    merge.add_argument("keys", nargs="+", metavar="KEY", help=_("the orders (two or more)"))
    merge.add_argument("--undo", action="store_true",
                       help=_("take the parcel of KEY apart again (one KEY)"))
    desk_args(merge)
    merge.set_defaults(handler=cmd_merge)

    split = orders.add_parser("split", help=_("lines of an order into a parcel of their own"))
    split.add_argument("key", help=_("order no., tracking no. or basket"))
    split.add_argument("--lines", metavar="LINE[:QTY],…",
                       help=_("line ids (order show --json) to move, :QTY for part of a line"))
    split.add_argument("--undo", action="store_true",
                       help=_("join the split parcel KEY (…-2) back into its order"))
    desk_args(split)
    split.set_defaults(handler=cmd_split)


def edited_actions(suggested: list[RemarkAction], args: argparse.Namespace) -> list[RemarkAction]:
    """The suggested actions with the clerk's edits from the flags."""
    out = [a for a in suggested if a.kind not in {d.lower() for d in args.drop}]

    def replace(kind: str, *new: RemarkAction, only: bool | None = None) -> None:
        out[:] = [a for a in out if a.kind != kind or (only is not None and a.negated != only)]
        out.extend(new)

    if args.gift or args.no_gift:
        replace("gift", *(RemarkAction("gift", g, source="clerk") for g in args.gift or ()))
    if args.invoice is not None:
        replace("invoice", RemarkAction("invoice", "", not args.invoice, "clerk"))
    if args.urgent is not None:
        replace("urgent", RemarkAction("urgent", "", not args.urgent, "clerk"))
    if args.no_price is not None:
        replace("no_price", *([RemarkAction("no_price", source="clerk")] if args.no_price else []))
    if args.no_courier:
        replace("courier")
    if args.courier:
        replace("courier", RemarkAction("courier", args.courier.upper(), source="clerk"),
                only=True)
    return out


def cmd_ack(args: argparse.Namespace) -> int:
    from pickpack.core.desk.ack import acknowledge, suggested

    desk = Desk(args)
    oid = desk.order_id(args.key)
    with desk.engine.connect() as conn:
        reading = suggested(conn, oid, desk.cfg)
    actions = edited_actions(reading, args)
    from pickpack.core.desk.view import action_words
    from pickpack.core.lifecycle import state_name

    words = ", ".join(action_words(a) for a in actions) or _("nothing to act on")
    if args.dry_run:
        return show(args, {"key": args.key, "actions": [a.to_json() for a in actions]},
                    f"{args.key}: {words}")
    done = acknowledge(desk.floor, desk.actor, oid, actions, args.gift_message)
    tail = f" ({done.note})" if done.note else ""
    return show(args, done.to_json(), _('order {order_no} remark acknowledged by {acked_by}: {words}; now '
                                        '{state}{tail}').format(
                                          order_no=done.order_no, acked_by=done.acked_by, words=words,
                                          state=state_name(done.state), tail=tail))


def cmd_edit(args: argparse.Namespace) -> int:
    from pickpack.core.desk.address import FIELDS, edit_address

    changes = {k: getattr(args, k) for k in FIELDS if getattr(args, k) is not None}
    desk = Desk(args)
    done = edit_address(desk.floor, desk.actor, desk.order_id(args.key), changes, args.reason,
                        args.note)
    what = ", ".join(f"{k} {old or '-'} → {new}" for k, (old, new) in done.changes.items())
    return show(args, done.to_json(), _('order {order_no} changed ({reason}): {what}; {note}').format(
                                          order_no=done.order_no, reason=done.reason, what=what,
                                          note=change_note(done.note)))


def _parcel_line(done: ParcelChange) -> str:
    tail = f" ({done.note})" if done.note else ""
    what = _({"merge": N_("merged into parcel"), "unmerge": N_("merge undone: parcel"),
              "split": N_("split: parcel"), "unsplit": N_("split undone: parcel")}[done.action])
    parcels = _("; parcels {parcels}").format(parcels=", ".join(done.parcels)) if done.parcels else ""
    return (f"{what} {done.parcel} ({', '.join(done.orders)}): {done.state} "
            f"{done.tracking_no or '-'}{parcels}{tail}")


def cmd_merge(args: argparse.Namespace) -> int:
    from pickpack.core.desk.parcels import merge_orders, unmerge

    desk = Desk(args)
    ids = [desk.order_id(k) for k in args.keys]
    if args.undo:
        if len(ids) != 1:
            raise ValueError(_("merge --undo takes one KEY: the parcel or an order in it"))
        done = unmerge(desk.floor, desk.actor, ids[0])
    else:
        done = merge_orders(desk.floor, desk.actor, ids)
    return show(args, done.to_json(), _parcel_line(done))


def cmd_split(args: argparse.Namespace) -> int:
    from pickpack.core.desk.split import parse_lines, split_order, unsplit

    desk = Desk(args)
    oid = desk.order_id(args.key)
    if args.undo:
        done = unsplit(desk.floor, desk.actor, oid)
    else:
        if not args.lines:
            raise ValueError(_("split needs --lines LINE[:QTY],… (or --undo)"))
        done = split_order(desk.floor, desk.actor, oid, parse_lines(args.lines))
    return show(args, done.to_json(), _parcel_line(done))
