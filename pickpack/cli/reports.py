"""`pickpack report floor|late|cutoff|errors` and `pickpack export shipped`."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from datetime import timedelta
from pathlib import Path

from pickpack.config import load_config
from pickpack.core.events import Actor, now
from pickpack.core.reports import (
    errors_by_person,
    export_shipped,
    floor_counts,
    late_orders,
    missed_cutoff,
)
from pickpack.store import open_store


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    rep = sub.add_parser("report", help="floor, late orders, missed cut-off, errors per person")
    rep.add_argument("what", choices=("floor", "late", "cutoff", "errors"))
    rep.add_argument("--days", type=int, default=1, help="errors: look back this many days")
    rep.add_argument("--json", action="store_true")
    rep.set_defaults(handler=cmd_report)
    exp = sub.add_parser("export", help="tracking numbers back to the platform")
    exp.add_argument("what", choices=("shipped",))
    exp.add_argument("--out", type=Path, help="CSV file (GB18030, as the seller centre takes it)")
    exp.add_argument("--again", action="store_true", help="include orders exported before")
    exp.add_argument("--json", action="store_true")
    exp.set_defaults(handler=cmd_export)


def cmd_report(args: argparse.Namespace) -> int:
    cfg = load_config(args.config)
    with open_store(cfg).connect() as conn:
        if args.what == "floor":
            data: object = floor_counts(conn)
        elif args.what == "late":
            data = late_orders(conn, cfg)
        elif args.what == "cutoff":
            data = missed_cutoff(conn, cfg)
        else:
            data = errors_by_person(conn, now() - timedelta(days=args.days))
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
    elif isinstance(data, dict):
        for state, n in sorted(data.items()):
            print(f"{state:<18} {n}")
    else:
        for row in data:  # type: ignore[attr-defined]
            print(row if isinstance(row, str) else "  ".join(f"{v}" for v in row.values()))
        print(f"{len(data)} rows")  # type: ignore[arg-type]
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    cfg = load_config(args.config)
    rows = export_shipped(open_store(cfg), Actor(cfg.station.id, "export"), again=args.again)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    out = args.out.open("w", encoding="gb18030", newline="") if args.out else sys.stdout
    try:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(["订单编号", "物流公司", "运单号"])
        for r in rows:
            writer.writerow([r["order_no"], cfg.couriers.names.get(r["courier"], r["courier"]),
                             r["tracking_no"]])
    finally:
        if args.out:
            out.close()
    if args.out:
        print(f"exported {len(rows)} shipped orders to {args.out}")
    return 0
