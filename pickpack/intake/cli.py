"""``pickpack import orders|catalog|waybills FILE... [--skip-bad]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqlalchemy import Engine

from pickpack.i18n import _
from pickpack.intake.catalog import CatalogResult
from pickpack.intake.result import MAX_LISTED, ImportFailed, ImportResult
from pickpack.text import echo


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``import`` command to the main parser's subcommands."""
    p = sub.add_parser("import", help=_("import platform exports, the catalog or a waybill pool"))
    what = p.add_subparsers(dest="import_what", required=True, metavar="WHAT")
    helps = {
        "orders": _("Taobao ExportOrderList and ExportOrderDetailList, CSV or .xlsx (either order)"),
        "catalog": _("catalog CSV or .xlsx: sku,name,attributes,barcodes,weight_g,bin,price,"
                     "on_hand,components"),
        "waybills": _("tracking-number pool CSV or .xlsx: courier,tracking_no"),
        "refunds": _("the platform's refund export (退款报表), CSV or .xlsx"),  # after-sales
        "tracking": _("courier tracking status files, CSV, .xlsx or JSON"),  # after-sales
    }
    for name, text in helps.items():
        q = what.add_parser(name, help=text, description=text)
        q.add_argument("files", nargs="+" if name == "orders" else 1, type=Path, metavar="FILE")
        q.add_argument("--skip-bad", action="store_true",
                       help=_("import the good rows and report the bad ones (default: all or "
                              "nothing)"))
        q.add_argument("--operator", default="import", help=_("operator recorded on the events"))
        if name == "catalog":
            q.add_argument("--set-stock", action="store_true",
                           help=_("take the file's on_hand even where stock was counted since "
                                  "(default: report the difference and ask on a terminal)"))
        q.set_defaults(handler=run_import)


def _ask_about_stock(engine: Engine, res: CatalogResult, operator: str, station: str) -> None:
    """Counted stock the file would overwrite: listed; on a terminal, taken on a yes."""
    from pickpack.intake.catalog import take_catalog_stock

    for sku, store, wanted in res.stock_kept[:MAX_LISTED]:
        echo(_("stock kept: {sku} on hand {store} in the store, {wanted} in the file "
               "(counted since the last import)").format(sku=sku, store=store, wanted=wanted),
             file=sys.stderr)
    if len(res.stock_kept) > MAX_LISTED:
        echo(_("stock kept: … and {n} more").format(n=len(res.stock_kept) - MAX_LISTED),
             file=sys.stderr)
    if not res.stock_kept or not sys.stdin.isatty():
        return
    answer = input(_("Set these {n} SKUs to the file's on hand? [y/N] ").format(
        n=len(res.stock_kept)))
    if answer.strip().lower() not in ("y", "yes", "是"):
        return
    moved = take_catalog_stock(engine, res.stock_kept, operator=operator, station=station)
    for sku in moved:
        echo(_("stock kept: {sku} moved meanwhile: left as it is").format(sku=sku),
             file=sys.stderr)
    res.stock_set += len(res.stock_kept) - len(moved)
    res.stock_kept = [k for k in res.stock_kept if k[0] in moved]


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
            res = import_catalog(engine, args.files[0], skip_bad=args.skip_bad,
                                 set_stock=args.set_stock, operator=args.operator,
                                 station=cfg.station.id)
            _ask_about_stock(engine, res, args.operator, cfg.station.id)
        elif args.import_what == "tracking":  # after-sales (pickpack.intake.tracking)
            from pickpack.intake.tracking import import_tracking

            res = import_tracking(engine, args.files[0], skip_bad=args.skip_bad,
                                  station=cfg.station.id, operator=args.operator)
        elif args.import_what == "refunds":  # after-sales (pickpack.intake.refunds)
            from pickpack.intake.refunds import import_refunds

            res = import_refunds(engine, cfg, args.files[0], skip_bad=args.skip_bad,
                                 operator=args.operator)
        else:
            res = import_waybills(engine, args.files[0], skip_bad=args.skip_bad)
    except ImportFailed as exc:
        n = len(exc.errors)
        refused = (_("pickpack: import {what} refused, nothing imported ({n} error):") if n == 1
                   else _("pickpack: import {what} refused, nothing imported ({n} errors):"))
        echo(f"{refused.format(what=args.import_what, n=n)}\n{exc}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    echo(res.summary())
    for e in res.errors[:MAX_LISTED]:
        echo(_("skipped: {error}").format(error=e), file=sys.stderr)
    if len(res.errors) > MAX_LISTED:
        echo(_("skipped: … and {n} more (events import_rejected)").format(
            n=len(res.errors) - MAX_LISTED), file=sys.stderr)
    return 0
