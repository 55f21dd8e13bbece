"""`pickpack report floor|late|cutoff|errors` and `pickpack export shipped`."""

from __future__ import annotations

import argparse
import csv
import sys
import unicodedata
from datetime import timedelta
from pathlib import Path
from typing import Any

from pickpack.cli.registry import add_command
from pickpack.cli.words import reason_words
from pickpack.config import load_config
from pickpack.core.events import Actor, now
from pickpack.core.lifecycle import state_name
from pickpack.core.reports import (
    errors_by_person,
    export_shipped,
    floor_counts,
    late_orders,
    missed_cutoff,
)
from pickpack.i18n import N_, _, current_language
from pickpack.store import open_store
from pickpack.text import echo, json_text, sheet_cell, visible

MORE = ("productivity", "shipped", "weights", "overrides", "couriers")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    rep = add_command(sub, "report")
    rep.add_argument("what", choices=("floor", "late", "cutoff", "errors", "aftersales",
                                      *MORE))  # MORE: pickpack.cli.reports_more
    rep.add_argument("--days", type=int, help=_("errors: look back this many days (1); "
                     "productivity…couriers: the N days up to today"))
    rep.add_argument("--from", dest="since", help=_("productivity…couriers: first day YYYY-MM-DD"))
    rep.add_argument("--to", dest="until", help=_("productivity…couriers: last day YYYY-MM-DD"))
    rep.add_argument("--json", action="store_true")
    # aftersales: the day's register (pickpack.cli.aftersales)
    rep.add_argument("--day", help=_("aftersales: the register of this day YYYY-MM-DD (today)"))
    rep.add_argument("--xlsx", type=Path, help=_("aftersales: also write the register as xlsx"))
    rep.add_argument("--csv", type=Path, help=_("aftersales: also write the register as CSV"))
    rep.set_defaults(handler=cmd_report)
    exp = add_command(sub, "export")
    exp.add_argument("what", choices=("shipped",))
    exp.add_argument("--out", type=Path, help=_("CSV file (GB18030, as the seller centre takes it)"))
    exp.add_argument("--again", action="store_true", help=_("include orders exported before"))
    exp.add_argument("--json", action="store_true")
    exp.set_defaults(handler=cmd_export)


def cmd_report(args: argparse.Namespace) -> int:
    if args.what == "aftersales":
        from pickpack.cli.aftersales import report_aftersales

        return report_aftersales(args)
    if args.what in MORE:
        from pickpack.cli.reports_more import run

        return run(args)
    cfg = load_config(args.config)
    with open_store(cfg).connect() as conn:
        if args.what == "floor":
            data: object = floor_counts(conn)
        elif args.what == "late":
            data = late_orders(conn, cfg)
        elif args.what == "cutoff":
            data = missed_cutoff(conn, cfg)
        else:
            data = errors_by_person(conn, now() - timedelta(days=args.days or 1))
    if args.json:
        echo(json_text(data))
        return 0
    header, rows = report_table(args.what, data)
    for line in table_lines(header, rows):
        echo(line)
    echo(_('{rows} rows').format(rows=len(rows)))
    return 0


def report_table(what: str, data: Any) -> tuple[list[str], list[list[str]]]:
    """A report as a header row and text rows (times already local, see core.reports)."""
    if what == "floor":
        return [_("state"), _("orders")], [[state_name(state), str(n)]
                                           for state, n in sorted(data.items())]
    if what == "cutoff":
        return [_("order_no")], [[o] for o in data]
    if what == "late":
        return ([_("order_no"), _("state"), _("paid"), _("age_h"), _("status"), _("hold_reason")],
                [[o["order_no"], state_name(o["state"]), o["paid_at"][:16].replace("T", " "),
                  f"{o['age_h']:.1f}", _("LATE") if o["late"] else _("warn"),
                  reason_words(o["hold_reason"]) if o["hold_reason"] else "-"] for o in data])
    return ([_("operator"), _("code"), _("role"), _("count")],  # a case-confirmed error names its cases
            [[r["operator"], " ".join([error_words(r["code"]), *(f"C{c}" for c in r.get("cases", []))]),
              _(ERROR_ROLES[r["role"]]) if r["role"] in ERROR_ROLES else r["role"], str(r["count"])]
             for r in data])


ERROR_ROLES = {"caught": N_("caught"), "picked": N_("picked"), "passed": N_("passed"),
               "verified": N_("verified"), "packed": N_("packed"), "weighed": N_("weighed"),
               "handed over": N_("handed over")}
"""The step a person's part in an error was (core.reports, core.aftersales.errors), in words."""
ERROR_CODES = {
    "wrong_item": N_("wrong item"), "too_many": N_("too many"), "unknown_code": N_("unknown code"),
    "unexpected": N_("not expected here"), "case_code": N_("case barcode"),
    "ambiguous_code": N_("code of two items"), "invalid_code": N_("unreadable code"),
    "bad_qty": N_("wrong quantity"), "bad_weight": N_("weight out of tolerance"),
    "bad_carton": N_("unknown carton"), "no_order": N_("no such order"),
    "basket_first": N_("basket first"), "parcel_first": N_("parcel first"),
    "own_pick": N_("own pick"), "awaiting_ack": N_("remark not acknowledged"),
    "not_logged_in": N_("not logged in"), "unknown_command": N_("unknown command"),
}
"""Why a scan was refused, or what a case confirmed (the trail keeps the code), in words."""


def error_words(code: str) -> str:
    """A refused scan's code, or a confirmed case's kind, in Chinese words; English keeps the
    code itself (``wrong_item``, ``short``: what ``case open KIND`` takes and the trail keeps),
    as does a code neither table knows."""
    from pickpack.core.aftersales.cases import KINDS  # a case that confirmed the error

    words = ERROR_CODES.get(code) or KINDS.get(code)
    return _(words) if words and current_language() != "en" else code


def width(s: str) -> int:
    """Terminal cells ``s`` takes (CJK counts double)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def table_lines(header: list[str], rows: list[list[str]]) -> list[str]:
    """Columns padded to their widest cell (CJK counts double); control characters visible."""
    cells = [[visible(c) for c in row] for row in [header, *rows]]
    widths = [max(width(row[i]) for row in cells) for i in range(len(header))]
    return ["  ".join(c + " " * (w - width(c)) for c, w in zip(row, widths, strict=True)).rstrip()
            for row in cells]


def cmd_export(args: argparse.Namespace) -> int:
    cfg = load_config(args.config)
    rows = export_shipped(open_store(cfg), Actor(cfg.station.id, "export"), again=args.again)
    if args.json:
        echo(json_text(rows))
        return 0
    out = args.out.open("w", encoding="gb18030", newline="") if args.out else sys.stdout
    on_tty = not args.out and sys.stdout.isatty()  # on a terminal, control characters shown
    try:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(["订单编号", "物流公司", "运单号"])
        for r in rows:
            writer.writerow([sheet_cell(visible(v) if on_tty else v) for v in (
                r["order_no"], cfg.couriers.names.get(r["courier"], r["courier"]), r["tracking_no"])])
    finally:
        if args.out:
            out.close()
    if args.out:
        echo(_('exported {rows} shipped orders to {out}').format(rows=len(rows), out=args.out))
    return 0
