"""`pickpack report today [--json]`: per courier, what must still ship today, against its
pickup time; the orders paid before the cut-off that will miss it."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from pickpack.config import load_config
from pickpack.core.waves.today import COLUMNS, today_board
from pickpack.store import open_store
from pickpack.text import echo, json_text

Handler = Callable[[argparse.Namespace], int]
HEADS = {"waiting": "待拣", "picking": "拣货中", "picked": "已拣", "verified": "已验",
         "packed": "已包", "weighed": "已称", "handed_over": "已交接"}


def extend_report(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``today`` to ``pickpack report`` (made by pickpack.cli.reports, whose other
    reports keep their handler), or make ``report today`` alone where that is not installed."""
    rep = sub.choices.get("report")
    if rep is None:
        rep = sub.add_parser("report", help="today's board")
        rep.add_argument("what", choices=("today",))
        rep.add_argument("--json", action="store_true")
        rep.set_defaults(handler=cmd_today)
        return
    for action in rep._actions:
        if action.dest == "what" and action.choices is not None:
            action.choices = (*action.choices, "today")
    other: Handler = rep.get_default("handler")

    def handler(args: argparse.Namespace) -> int:
        return cmd_today(args) if args.what == "today" else other(args)

    rep.set_defaults(handler=handler)


def cmd_today(args: argparse.Namespace) -> int:
    cfg = load_config(args.config)
    with open_store(cfg).connect() as conn:
        board = today_board(conn, cfg)
    if args.json:
        echo(json_text(board))
        return 0
    echo(f"{board['date']}  付款截止 {board['cutoff_paid']}  交接截止 {board['cutoff_handover']}")
    echo("快递   揽收    应发  未发  " + "  ".join(HEADS[c] for c in COLUMNS))
    for row in board["couriers"]:
        late = " 已过" if row["pickup_passed"] else ""
        echo(f"{row['courier']:<6} {row['pickup']}{late}  {row['due']:>4}  {row['to_ship']:>4}  "
             + "  ".join(f"{row[c]:>4}" for c in COLUMNS))
    missing = board["missing"]
    echo(f"今天赶不上的订单 (orders that will miss today's pickup): {len(missing)}")
    for m in missing:
        echo(f"  {m['order_no']}  {m['courier']}  {m['state']}  paid {m['paid_at']}  {m['reason']}")
    return 0
