"""`pickpack return register|receive|list|refunds|intercept|intercepts`: returns at the desk.

``receive`` does at the command line what the returns station does by scan: the parcel (its
tracking no., or the original order's), each item with its grade, then the end of the
return (a difference from the declaration opens a case; finance gets a refund instruction).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from pickpack.cli.operators import os_user
from pickpack.cli.orders import _subcommands
from pickpack.config import load_config
from pickpack.core.aftersales.awaited import export_finance, finance_queue, list_returns
from pickpack.core.aftersales.intercepts import list_intercepts, settle_intercept
from pickpack.core.aftersales.returns import (
    GRADES,
    ReturnView,
    arrive,
    finish_return,
    receive_item,
    register_return,
)
from pickpack.core.aftersales.words import in_words, os_why
from pickpack.core.context import Floor
from pickpack.core.events import Actor
from pickpack.core.orders import require_order_id
from pickpack.i18n import _
from pickpack.store import open_store
from pickpack.text import echo, json_text


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    ret = _subcommands(sub, "return")
    sub.choices["return"].help = _("returns: register, receive, list; finance's refund queue")
    reg = ret.add_parser("register", help=_("a return the buyer announced (the desk, by hand)"))
    reg.add_argument("order", help=_("the original order's no. or tracking no."))
    reg.add_argument("--tracking", default="", help=_("the return parcel's tracking no."))
    reg.add_argument("--reason", default="", help=_("the buyer's stated reason"))
    reg.add_argument("--item", action="append", default=[], metavar="SKU[:QTY]")
    _common(reg, cmd_register)
    rec = ret.add_parser("receive", help=_("receive a return parcel: its items with their grades"))
    rec.add_argument("parcel", help=_("return tracking no., or the original order's no./tracking"))
    rec.add_argument("--item", action="append", default=[], required=True,
                     metavar="BARCODE[:GRADE[:QTY]]", help=_('grade: {v} (default restock)').format(
                                                               v=', '.join(GRADES)))
    rec.add_argument("--note", default="", help=_("a note kept with each item"))
    _common(rec, cmd_receive)
    ls = ret.add_parser("list", help=_("returns; --late: awaited past [aftersales] return_wait_days"))
    ls.add_argument("--state", choices=("expected", "receiving", "received", "all"),
                    default="all")
    ls.add_argument("--late", action="store_true")
    _common(ls, cmd_list)
    fin = ret.add_parser("refunds", help=_("finance's queue of refunds to pay (received returns)"))
    fin.add_argument("--out", type=Path, help=_("export the pending ones (.xlsx or .csv) and mark "
                     "them exported"))
    _common(fin, cmd_refunds)
    ic = ret.add_parser("intercept", help=_("the courier's answer to an intercept (快递拦截) "
                        "asked after a refund; intercepted: the parcel is expected back"))
    ic.add_argument("order", help=_("order no. or tracking no."))
    how = ic.add_mutually_exclusive_group(required=True)
    how.add_argument("--intercepted", action="store_true")
    how.add_argument("--failed", action="store_true")
    ic.add_argument("--note", default="", help=_("what the courier said"))
    _common(ic, cmd_intercept)
    ics = ret.add_parser("intercepts", help=_("intercepts asked of couriers, with their outcome"))
    _common(ics, cmd_intercepts)


def _common(parser: argparse.ArgumentParser, handler: Any) -> None:
    parser.add_argument("--by", default="", metavar="OPERATOR",
                        help=_("who does it (default: your login name)"))
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(handler=handler)


def _floor(args: argparse.Namespace) -> tuple[Floor, Actor]:
    cfg = load_config(args.config)
    return Floor(open_store(cfg), cfg), Actor(cfg.station.id, (args.by or os_user())[:32], "clerk")


def parse_received(value: str) -> tuple[str, str, int]:
    """``BARCODE[:GRADE[:QTY]]`` (ValueError naming a bad one)."""
    code, grade, qty = ([*value.split(":"), "", ""])[:3]
    grade = grade.lower() or "restock"
    if not code or grade not in GRADES or (qty and (not qty.isdigit() or qty == "0")):
        raise ValueError(_('--item {value!r}: BARCODE[:GRADE[:QTY]] with GRADE one of {v} and QTY a whole '
                           'number ≥ 1').format(value=value, v=', '.join(GRADES)))
    return code, grade, int(qty or 1)


def cmd_register(args: argparse.Namespace) -> int:
    from pickpack.cli.aftersales import parse_items

    floor, actor = _floor(args)
    items = parse_items(args.item)

    def tx(conn: Any) -> int:
        oid = require_order_id(conn, args.order)
        return register_return(conn, actor, oid, tracking_no=args.tracking, reason=args.reason,
                               declared=items, source="desk")

    return_id = floor.run(actor, tx)
    echo(json_text({"return": return_id}) if args.json else _('return R{return_id} registered').format(
                                                                return_id=return_id))
    return 0


def cmd_receive(args: argparse.Namespace) -> int:
    floor, actor = _floor(args)
    received = [parse_received(v) for v in args.item]
    parcel = arrive(floor, actor, args.parcel)
    flagged = []
    for code, grade, qty in received:
        parcel, sku, differs = receive_item(floor, actor, parcel.id, code, grade, args.note, qty)
        if differs:
            flagged.append(sku)
    done = finish_return(floor, actor, parcel.id)
    if args.json:
        echo(json_text(return_json(done)))
        return 0
    echo(_('return R{id} received for order {v}: ').format(id=done.id, v=done.order_no or '-')
         + ", ".join(f"{i['sku']}×{i['qty']} {_(i['grade'])}" for i in done.received))
    if done.flags or done.source == "station":
        echo(_('case C{case_id}: {v}').format(
                 case_id=done.case_id, v=in_words('; '.join(done.flags))
                 or _("return parcel with no registration")))
    return 0


def return_json(view: ReturnView) -> dict[str, Any]:
    return {"id": view.id, "state": view.state, "order_no": view.order_no,
            "tracking_no": view.tracking_no, "reason": view.reason, "source": view.source,
            "declared": view.declared, "received": view.received, "flags": view.flags,
            "case": view.case_id}


def cmd_list(args: argparse.Namespace) -> int:
    floor, actor = _floor(args)
    state = None if args.state == "all" else args.state
    rows = floor.run(actor, lambda conn: list_returns(conn, floor.config, state=state))
    if args.late:
        rows = [r for r in rows if r["late"]]
    if args.json:
        echo(json_text(rows))
        return 0
    for r in rows:
        items = ", ".join(f"{i['sku']}×{i.get('qty', 1)}" for i in r["declared"]) or "-"
        late = _("LATE") + " " if r["late"] else ""
        echo(f"R{r['id']:<4} {_(r['state']):<9} {late}{r['order_no'] or '-'}"
             f"  {r['tracking_no'] or '-'}  {items}  {r['reason']}")
    echo(_('{rows} returns').format(rows=len(rows)))
    return 0


def cmd_intercept(args: argparse.Namespace) -> int:
    floor, actor = _floor(args)
    view = settle_intercept(floor, actor, args.order,
                            "intercepted" if args.intercepted else "failed", args.note)
    said = _("intercept of {tracking_no}: {status}").format(tracking_no=view.tracking_no,
                                                             status=_(view.status))
    if view.status == "intercepted":
        said += _(" — the parcel is expected back as a return")
    echo(json_text(view.to_json()) if args.json else said)
    return 0


def cmd_intercepts(args: argparse.Namespace) -> int:
    floor, actor = _floor(args)
    views = floor.run(actor, lambda conn: list_intercepts(conn))
    if args.json:
        echo(json_text([v.to_json() for v in views]))
        return 0
    for v in views:
        echo(_('{tracking_no}  refund {v}  {status}  {outcome}').format(
                 tracking_no=v.tracking_no, v=v.refund_no or '-', status=_(v.status),
                 outcome=v.outcome))
    echo(_('{views} intercepts').format(views=len(views)))
    return 0


def cmd_refunds(args: argparse.Namespace) -> int:
    floor, actor = _floor(args)
    if args.out:
        try:
            n = export_finance(floor.engine, floor.config, actor, args.out)
        except OSError as exc:
            raise ValueError(_("cannot write {file}: {why}").format(file=args.out,
                                                                    why=os_why(exc))) from None
        echo(json_text({"exported": n, "file": str(args.out)}) if args.json
             else _('{n} refund instructions exported to {out}').format(n=n, out=args.out))
        return 0
    queue = floor.run(actor, lambda conn: finance_queue(conn))
    if args.json:
        echo(json_text([{**q, "created_at": q["created_at"].isoformat()} for q in queue]))
        return 0
    for q in queue:
        echo(f"{q['refund_no'] or '-'}  {q['order_no'] or '-'}  {q['amount']:.2f}  R{q['return']}"
             f"  {in_words(q['note'])}")
    echo(_('{queue} refunds to pay').format(queue=len(queue)))
    return 0
