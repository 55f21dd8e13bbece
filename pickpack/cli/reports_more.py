"""`pickpack report productivity|shipped|weights|overrides|couriers [--day D | --from D --to D |
--days N] [--json | --csv F | --xlsx F]`: the shift's reports, from the event trail."""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from pickpack.cli.words import reason_words
from pickpack.config import Config, load_config
from pickpack.core.lifecycle import event_name, state_name
from pickpack.core.overrides import KIND_NAMES, REASONS
from pickpack.core.report import Span, Table, span_of
from pickpack.core.report.couriers import couriers
from pickpack.core.report.overrides import overrides
from pickpack.core.report.productivity import ROLE_TITLES, productivity
from pickpack.core.report.sheets import write_csv, write_xlsx
from pickpack.core.report.shipped import shipped
from pickpack.core.report.weights import weights
from pickpack.i18n import N_, _, set_language
from pickpack.store import open_store
from pickpack.text import echo, json_text

Report = Callable[[Connection, Config, Span], list[Table]]
REPORTS: dict[str, Report] = {"productivity": productivity, "shipped": shipped,
                              "weights": weights, "overrides": overrides, "couriers": couriers}


def build(name: str, cfg: Config, span: Span) -> list[Table]:
    """Report ``name`` over ``span`` from the store ``cfg`` names."""
    engine = open_store(cfg)
    try:
        with engine.connect() as conn:
            return REPORTS[name](conn, cfg, span)
    finally:
        engine.dispose()


def run(args: argparse.Namespace) -> int:
    cfg = load_config(args.config)
    set_language(cfg.station.language)
    _check_span(args)
    span = span_of(cfg, day=args.day, since=args.since, until=args.until, days=args.days)
    tables = build(args.what, cfg, span)
    written: list[Path] = []
    if args.csv:
        written += write_csv(tables, args.csv)
    if args.xlsx:
        write_xlsx(tables, args.xlsx, _)
        written.append(args.xlsx)
    if args.json:
        echo(json_text(as_json(args.what, span, tables)))
        return 0
    if written:
        echo(_("{report} {span}: written to {files}").format(
            report=args.what, span=span.label, files=", ".join(str(p) for p in written)))
        return 0
    from pickpack.cli.reports import table_lines

    for table in tables:
        echo(f"{_(table.title)}  {span.label}")
        for line in table_lines([_(h) for _k, h in table.columns], text_rows(table)):
            echo(line)
        echo(_("{n} rows").format(n=len(table.rows)))
        echo()
    return 0


def _check_span(args: argparse.Namespace) -> None:
    """The span's options, refused in one line in the station's language before the core's
    (English) check: a day that is not YYYY-MM-DD, both --day and --from/--to, --days < 1."""
    for what, text in (("--day", args.day), ("--from", args.since), ("--to", args.until)):
        if text is None:
            continue
        try:
            date.fromisoformat(text.strip())
        except ValueError:
            raise ValueError(_("{what}: {text!r} is not a day (YYYY-MM-DD)").format(
                what=what, text=text)) from None
    if args.day is not None and (args.since is not None or args.until is not None):
        raise ValueError(_("--day and --from/--to: give one or the other"))
    if args.days is not None and args.days < 1:
        raise ValueError(_("--days {days}: at least 1").format(days=args.days))


def as_json(name: str, span: Span, tables: list[Table]) -> dict[str, Any]:
    return {"report": name, "from": span.first.isoformat(), "to": span.last.isoformat(),
            **{t.name: t.as_json() for t in tables}}


def text_rows(table: Table) -> list[list[str]]:
    """The table's cells as text; machine words (roles, states, reasons…) in words."""
    return [[_word(k, v) if isinstance(v := r.get(k), str) and v else _cell(v)
             for k in table.fields()] for r in table.rows]


STATUS = {"late": N_("LATE"), "at_risk": N_("warn")}
"""A late order's status, as ``report late`` says it."""
_WEIGHT = re.compile(r"weight (\d+) g, expected (\d+) g")


def _word(key: str, value: str) -> str:
    """A text cell of column ``key`` as a person reads it (the CSV and ``--json`` keep it)."""
    if key == "role" and value in ROLE_TITLES:
        return _(ROLE_TITLES[value])
    if key == "state":
        return state_name(value)
    if key == "status" and value in STATUS:
        return _(STATUS[value])
    if key in ("reason", "hold_reason"):
        weight = _WEIGHT.fullmatch(value)
        return _("weight {weight} g, expected {expected} g").format(
            weight=weight[1], expected=weight[2]) if weight else reason_words(value)
    if key == "reason_text" and value in REASONS.values():
        return _(value)
    if key == "override":
        return _(KIND_NAMES[value]) if value in KIND_NAMES else value
    if key == "release":  # open, the event that released it, or "override supervisor reason"
        if value == "open":
            return _("open")
        kind, sep, rest = value.partition(" ")
        if kind in KIND_NAMES:
            return f"{_(KIND_NAMES[kind])}{sep}{rest}"
        return event_name(value)
    return value


def _cell(value: object) -> str:
    if value is None or value == "":
        return "-"
    if isinstance(value, float):
        return f"{value:g}" if abs(value) >= 100 else f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)
