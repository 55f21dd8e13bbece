"""`pickpack sync conflicts [--json]`: what stations did offline that the central store refused
at sync (first commit wins, the other is a conflict), for the desk to sort out."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import Any

from pickpack.cli.registry import add_command
from pickpack.cli.reports import table_lines
from pickpack.config import load_config
from pickpack.core.reports import local_time
from pickpack.i18n import N_, _
from pickpack.offline.conflicts import sync_conflicts
from pickpack.store import open_store
from pickpack.text import echo, json_text

HEADER = [N_("order_no"), N_("station"), N_("operator"), N_("refused"), N_("detail"), N_("done"),
          N_("found at"), N_("reason")]
"""Column headings in text mode (``--json`` keeps the field names)."""


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    sync = add_command(sub, "sync")
    what = sync.add_subparsers(dest="sync_command", required=True, metavar="WHAT")
    conflicts = what.add_parser("conflicts", help=_("offline work the central store refused"))
    conflicts.add_argument("--limit", type=int, help=_("only the newest N"))
    conflicts.add_argument("--json", action="store_true")
    conflicts.set_defaults(handler=cmd_conflicts)


def cmd_conflicts(args: argparse.Namespace) -> int:
    if args.limit is not None and args.limit < 1:
        raise ValueError(_('--limit must be 1 or more, not {limit}').format(limit=args.limit))
    cfg = load_config(args.config)
    engine = open_store(cfg)
    try:
        with engine.connect() as conn:
            found = sync_conflicts(conn, limit=args.limit)
    finally:
        engine.dispose()
    if args.json:
        rows: list[dict[str, Any]] = []
        for c in found:
            row = asdict(c)
            row["done_at"] = c.done_at.isoformat() if c.done_at else None
            row["found_at"] = c.found_at.isoformat()
            rows.append(row)
        echo(json_text(rows))
        return 0
    table = [[c.order_no or "-", c.station, c.operator, c.refused, c.detail,
              local_time(c.done_at, cfg) if c.done_at else "-", local_time(c.found_at, cfg),
              c.reason] for c in found]
    for line in table_lines([_(h) for h in HEADER], table):
        echo(line)
    echo(_('{table} conflicts').format(table=len(table)))
    return 0
