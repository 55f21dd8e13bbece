"""``pickpack import orders|catalog|waybills FILE... [--skip-bad]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pickpack.intake.result import MAX_LISTED, ImportFailed, ImportResult
from pickpack.text import echo


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``import`` command to the main parser's subcommands."""
    p = sub.add_parser("import", help="import platform exports, the catalog or a waybill pool")
    what = p.add_subparsers(dest="import_what", required=True, metavar="WHAT")
    helps = {
        "orders": "Taobao ExportOrderList and ExportOrderDetailList, CSV or .xlsx (either order)",
        "catalog": "catalog CSV or .xlsx: sku,name,attributes,barcodes,weight_g,bin,price,on_hand,"
                   "components",
        "waybills": "tracking-number pool CSV or .xlsx: courier,tracking_no",
    }
    for name, text in helps.items():
        q = what.add_parser(name, help=text, description=text)
        q.add_argument("files", nargs="+" if name == "orders" else 1, type=Path, metavar="FILE")
        q.add_argument("--skip-bad", action="store_true",
                       help="import the good rows and report the bad ones (default: all or nothing)")
        q.add_argument("--operator", default="import", help="operator recorded on the events")
        q.set_defaults(handler=run_import)


def run_import(args: argparse.Namespace) -> int:
    """Handler: one summary line on stdout; refused rows on stderr (exit 1 unless --skip-bad)."""
    from pickpack.config import load_config
    from pickpack.intake import import_catalog, import_orders, import_waybills
    from pickpack.store import open_store

    cfg = load_config(getattr(args, "config", None))
    engine = open_store(cfg)
    try:
        if args.import_what == "orders":
            res: ImportResult = import_orders(engine, list(args.files), skip_bad=args.skip_bad,
                                              station=cfg.station.id, operator=args.operator)
        elif args.import_what == "catalog":
            res = import_catalog(engine, args.files[0], skip_bad=args.skip_bad)
        else:
            res = import_waybills(engine, args.files[0], skip_bad=args.skip_bad)
    except ImportFailed as exc:
        n = len(exc.errors)
        echo(f"pickpack: import {args.import_what} refused, nothing imported "
             f"({n} error{'s' if n != 1 else ''}):\n{exc}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    echo(res.summary())
    for e in res.errors[:MAX_LISTED]:
        echo(f"skipped: {e}", file=sys.stderr)
    if len(res.errors) > MAX_LISTED:
        echo(f"skipped: … and {len(res.errors) - MAX_LISTED} more (events import_rejected)",
             file=sys.stderr)
    return 0
