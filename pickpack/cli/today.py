"""`pickpack report today [--json]`: per courier, what must still ship today, against its
pickup time; the orders paid before the cut-off that will miss it."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from pickpack.cli.registry import add_command
from pickpack.cli.words import courier_word, reason_words
from pickpack.config import load_config
from pickpack.core.lifecycle import state_name
from pickpack.core.waves.today import COLUMNS, today_board
from pickpack.i18n import N_, _
from pickpack.store import open_store
from pickpack.text import echo, json_text

Handler = Callable[[argparse.Namespace], int]
HEADS = {"waiting": N_("to pick"), "picking": N_("picking"), "picked": N_("picked"),
         "verified": N_("verified"), "packed": N_("packed"), "weighed": N_("weighed"),
         "handed_over": N_("handed over")}
"""Column headings in text mode (``--json`` keeps the state names)."""
MISS_WORDS = {"not released": N_("not released"), "no courier": N_("no courier"),
              "pickup passed": N_("pickup passed")}
"""Why an order misses today's pickup, in words (``--json`` keeps core.waves.today's text)."""


def miss_words(reason: str) -> str:
    """core.waves.today's reason (``held: unknown SKU: GIFT-X``) as a person reads it."""
    if reason.startswith("held: "):
        return _("held: {reason}").format(reason=reason_words(reason.removeprefix("held: ")))
    return _(MISS_WORDS[reason]) if reason in MISS_WORDS else reason


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """``report today`` (see :func:`extend_report`)."""
    extend_report(sub)


def extend_report(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``today`` to ``pickpack report`` (made by pickpack.cli.reports, whose other
    reports keep their handler), or make ``report today`` alone where that is not installed."""
    rep = sub.choices.get("report")
    if rep is None:
        rep = add_command(sub, "report")
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
    echo(_("{date}  paid by {cutoff_paid}  handed over by {cutoff_handover}").format(
        date=board["date"], cutoff_paid=board["cutoff_paid"], cutoff_handover=board["cutoff_handover"]))
    echo(_("courier pickup  due  left  ") + "  ".join(_(HEADS[c]) for c in COLUMNS))
    for row in board["couriers"]:
        late = _(" passed") if row["pickup_passed"] else ""
        courier = courier_word(row["courier"])
        echo(f"{courier:<6} {row['pickup']}{late}  {row['due']:>4}  {row['to_ship']:>4}  "
             + "  ".join(f"{row[c]:>4}" for c in COLUMNS))
    missing = board["missing"]
    echo(_("orders that will miss today's pickup: {missing}").format(missing=len(missing)))
    for m in missing:
        echo(_('  {order_no}  {courier}  {state}  paid {paid_at}  {reason}').format(
                 order_no=m['order_no'], courier=courier_word(m['courier']), state=state_name(m['state']),
                 paid_at=m['paid_at'], reason=miss_words(m['reason'])))
    return 0
