"""`pickpack report productivity|shipped|weights|overrides|couriers [--day D | --from D --to D |
--days N] [--json | --csv F | --xlsx F]`: the shift's reports, from the event trail."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from pickpack.config import Config, load_config
from pickpack.core.report import Span, Table, span_of
from pickpack.core.report.couriers import couriers
from pickpack.core.report.overrides import overrides
from pickpack.core.report.productivity import ROLE_TITLES, productivity
from pickpack.core.report.sheets import write_csv, write_xlsx
from pickpack.core.report.shipped import shipped
from pickpack.core.report.weights import weights
from pickpack.i18n import _, set_language
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


def as_json(name: str, span: Span, tables: list[Table]) -> dict[str, Any]:
    return {"report": name, "from": span.first.isoformat(), "to": span.last.isoformat(),
            **{t.name: t.as_json() for t in tables}}


def text_rows(table: Table) -> list[list[str]]:
    """The table's cells as text; a role by its (translated) name."""
    return [[_(ROLE_TITLES[v]) if k == "role" and (v := r.get(k)) in ROLE_TITLES
             else _cell(r.get(k)) for k in table.fields()] for r in table.rows]


def _cell(value: object) -> str:
    if value is None or value == "":
        return "-"
    if isinstance(value, float):
        return f"{value:g}" if abs(value) >= 100 else f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)
