"""`pickpack operator badges [CODE...]`: the badge sheet, one barcode per active operator.

A badge is what an operator scans to log in, so the sheet is printed on the command-sheet layout
(label over a barcode) and the printing is on record: a ``badges_printed`` event names who
printed whose badges, and on which printer. A disabled operator gets no badge.
"""

from __future__ import annotations

import argparse
from typing import Any

from sqlalchemy import select

from db.engine import write_tx
from pickpack.cli.printing import print_layouts
from pickpack.config import load_config
from pickpack.core.events import Actor, append_event
from pickpack.core.operators import ROLE_NAMES, info
from pickpack.core.tables import OPERATORS
from pickpack.i18n import N_, _
from pickpack.store import open_store
from pickpack.text import echo, json_text

TITLE = N_("Operator badges: scan yours to log in")


def register_badges(op_sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    badges = op_sub.add_parser("badges", help=_("print the badge sheet of active operators"))
    badges.add_argument("codes", nargs="*", metavar="CODE", help=_("only these (default: all)"))
    badges.add_argument("--role", help=_("only operators holding this role"))
    badges.add_argument("--language", choices=("zh_CN", "en"), default="zh_CN")
    badges.add_argument("--printer", metavar="URL", help=_("printer URL (default: [printers] packing)"))
    badges.add_argument("--paper", type=int, choices=(58, 80), help=_("paper width in mm"))
    badges.add_argument("--json", action="store_true")
    badges.set_defaults(handler=cmd_badges)


def badge_rows(codes: list[str], role: str | None, engine: Any) -> list[dict[str, Any]]:
    """Active operators to print, by code; unknown or disabled codes asked for are refused."""
    with engine.connect() as conn:
        rows = [r for r in conn.execute(select(OPERATORS).order_by(OPERATORS.c.code))]
    by_code = {r.code: r for r in rows}
    for code in codes:
        if code not in by_code:
            raise ValueError(_('no operator {code}').format(code=code))
        if not by_code[code].active:
            raise ValueError(_('operator {code} is disabled: no badge for them').format(code=code))
    picked = [r for r in rows if r.active and (not codes or r.code in codes)]
    out = [{"code": r.code, "name": r.name, "roles": list(info(r).roles)} for r in picked]
    if role is not None:
        out = [o for o in out if role in o["roles"]]
    if not out:
        raise ValueError(_("no active operator to print a badge for"))
    return out


def cmd_badges(args: argparse.Namespace) -> int:
    from pickpack.cli.operators import os_user
    from pickpack.commands import translator
    from printers import CommandSheet

    cfg = load_config(args.config)
    engine = open_store(cfg)
    ops = badge_rows(list(args.codes), args.role, engine)
    tr = translator(args.language)
    sheet = CommandSheet(
        "badges",
        tuple((o["name"], o["code"]) for o in ops),
        tr.gettext(TITLE),
        tuple(" · ".join(tr.gettext(ROLE_NAMES.get(r, r)) for r in o["roles"]) for o in ops),
    )
    code = print_layouts([sheet], "commands", cfg, args)
    if code != 0:
        return code
    user = os_user()
    with write_tx(engine) as conn:
        append_event(conn, Actor(cfg.station.id, user[:32], ""), "badges_printed", None, {
            "codes": [o["code"] for o in ops], "os_user": user,
            "printer": args.printer or cfg.printers.packing})
    if args.json:
        echo(json_text(ops))
    else:
        echo(_('{ops} badges printed').format(ops=len(ops)))
    return 0
