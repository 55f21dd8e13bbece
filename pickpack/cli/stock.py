"""`pickpack stock show|adjust|count|export|decide`: the stock ledger at the command line.

Who did it is recorded on every movement: ``--by BADGE`` (an active operator), else the OS
user. Adjustments other than goods received need ``--supervisor BADGE`` and that
supervisor's PIN (a prompt or ``PICKPACK_PIN``, never a flag).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from db.engine import read_tx
from pickpack.cli.operators import authorise, os_user
from pickpack.cli.registry import add_command
from pickpack.config import Config, load_config
from pickpack.core.context import Floor
from pickpack.core.events import Actor
from pickpack.core.operators import find_operator
from pickpack.core.policy import in_force
from pickpack.core.stock.adjust import ADJUST_REASONS, adjust_stock
from pickpack.core.stock.count import count_bin, tally
from pickpack.core.stock.export import csv_text, export_rows, write_export
from pickpack.core.stock.ledger import movements, stock_view
from pickpack.core.stock.short import DECISIONS, decide_short, short_orders
from pickpack.i18n import N_, _
from pickpack.store import open_store
from pickpack.text import echo, json_text

MOVE_WORDS = {"opening": N_("opening"), "import": N_("imported"), "adjust": N_("adjusted"),
              "count": N_("counted"), "shipped": N_("shipped"), "returned": N_("returned"),
              "put_away": N_("put away")}
"""A stock movement's kind in words (pickpack.core.stock.ledger.KINDS; ``--json`` keeps it)."""


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    st = add_command(sub, "stock")
    st_sub = st.add_subparsers(dest="stock_command", required=True)

    show = st_sub.add_parser("show", help=_("stock per SKU and bin (one SKU: its latest movements)"))
    show.add_argument("sku", nargs="?")
    show.add_argument("--bin", dest="bin_code", metavar="BIN", help=_("only SKUs lying in BIN"))
    show.add_argument("--short", action="store_true", help=_("orders held short of stock"))
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=cmd_show)

    adj = st_sub.add_parser("adjust", help=_("change stock with a reason (not a count)"))
    adj.add_argument("sku")
    adj.add_argument("change", help=_("+N, -N, or =N (the bin now holds N)"))
    adj.add_argument("--reason", required=True, choices=sorted(ADJUST_REASONS),
                     help=_("received needs no supervisor; the others do"))
    adj.add_argument("--bin", dest="bin_code", metavar="BIN", help=_("default: the SKU's home bin"))
    adj.add_argument("--note", default="")
    _who_args(adj, supervisor=True)
    adj.set_defaults(handler=cmd_adjust)

    cnt = st_sub.add_parser("count", help=_("count a bin: BIN, then its items (SKU=QTY or codes)"))
    cnt.add_argument("bin_code", nargs="?", metavar="BIN",
                     help=_("the bin (default: the first line of --file)"))
    cnt.add_argument("items", nargs="*", metavar="ITEM",
                     help=_("SKU=QTY, BARCODE=QTY, or a code once per unit scanned"))
    cnt.add_argument("--file", type=Path, help=_("scans, one a line (BIN first if not given)"))
    cnt.add_argument("--partial", action="store_true",
                     help=_("change only the SKUs counted (default: a SKU of the bin not counted "
                          "is counted 0)"))
    cnt.add_argument("--note", default="")
    _who_args(cnt)
    cnt.set_defaults(handler=cmd_count)

    exp = st_sub.add_parser("export", help=_("available per SKU for the shop's other channels"))
    exp.add_argument("--out", type=Path, help=_(".csv or .xlsx (default: CSV on stdout)"))
    exp.add_argument("--json", action="store_true")
    exp.set_defaults(handler=cmd_export)

    dec = st_sub.add_parser("decide", help=_("an order short of stock: wait, split or hold"))
    dec.add_argument("key", help=_("order no. or tracking no."))
    dec.add_argument("decision", choices=DECISIONS)
    dec.add_argument("--reason", required=True)
    _who_args(dec)
    dec.set_defaults(handler=cmd_decide)


def _who_args(parser: argparse.ArgumentParser, *, supervisor: bool = False) -> None:
    parser.add_argument("--by", "--operator", dest="operator", metavar="BADGE",
                        help=_("who did it (default: the OS user)"))
    if supervisor:
        parser.add_argument("--supervisor", metavar="BADGE",
                            help=_("your supervisor badge; the PIN is prompted for "
                                 "(or $PICKPACK_PIN)"))
    parser.add_argument("--json", action="store_true")


def _actor(cfg: Config, engine: Engine, badge: str | None) -> Actor:
    if badge is None:
        return Actor(cfg.station.id, os_user()[:32], "")
    with read_tx(engine) as conn:
        op = find_operator(conn, badge)
    return Actor(cfg.station.id, op.code, op.role)


def _open(args: argparse.Namespace) -> tuple[Config, Engine]:
    """The config in force (the store's floor policy over config.toml: its safety stock) and
    the store."""
    cfg = load_config(args.config)
    engine = open_store(cfg)
    return in_force(engine, cfg), engine


def cmd_show(args: argparse.Namespace) -> int:
    cfg, engine = _open(args)
    safety = cfg.floor.safety_stock
    with read_tx(engine) as conn:
        if args.short:
            short = [vars_of(s) for s in short_orders(conn, safety)]
            echo(json_text(short) if args.json else "\n".join(
                _("{order_no}  {decision}  short ").format(order_no=s["order_no"],
                                                          decision=s["decision"] or _("no decision"))
                + ", ".join(f"{k} {v}" for k, v in s["short"].items()) for s in short)
                or _("no order is held short of stock"))
            return 0
        rows = stock_view(conn, safety, sku=args.sku, bin_code=args.bin_code)
        moved = movements(conn, args.sku) if args.sku else []
    data: list[dict[str, Any]] = [vars_of(r) for r in rows]
    if args.json:
        echo(json_text({**data[0], "movements": moved} if args.sku else data))
        return 0
    echo(_('{v:<14} {v2:>7} {v3:>8} {v4:>6} {v5:>9}  bins').format(
             v='SKU', v2=_('on hand'), v3=_('reserved'), v4=_('safety'), v5=_('available')))
    for r in data:
        bins = " ".join(f"{b or '-'}:{n}" for b, n in r["bins"].items())
        echo(f"{r['sku']:<14} {r['on_hand']:>7} {r['reserved']:>8} {r['safety']:>6} "
             f"{r['available']:>9}  {bins}  {r['name']}")
    from pickpack.cli.reports import width

    for m in moved:
        kind = _(MOVE_WORDS[m["kind"]]) if m["kind"] in MOVE_WORDS else m["kind"]
        echo(f"  {(m['at'] or '')[:19]} {kind}{' ' * (8 - width(kind))} {m['bin'] or '-':<8} "
             f"{m['delta']:+d} → {m['on_hand']}  {m['operator']}  {m['reason']}")
    return 0


def vars_of(obj: Any) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in obj.__dataclass_fields__}


def cmd_adjust(args: argparse.Namespace) -> int:
    cfg, engine = _open(args)
    floor = Floor(engine, cfg)
    sup = authorise(cfg, engine, args.supervisor) if args.supervisor else None
    actor = _actor(cfg, engine, args.operator) if args.operator or sup is None else Actor(
        cfg.station.id, sup.code, "supervisor")
    done = adjust_stock(floor, actor, args.sku, args.change, args.reason, bin_code=args.bin_code,
                        note=args.note, supervisor=sup)
    if args.json:
        echo(json_text(vars_of(done)))
    else:
        echo(_('{sku} in {v}: {delta:+d} ({reason}) → {bin_on_hand} there, {on_hand} on hand').format(
                 sku=done.sku, v=done.bin or '-', delta=done.delta, reason=done.reason,
                 bin_on_hand=done.bin_on_hand, on_hand=done.on_hand))
    return 0


def _scans(args: argparse.Namespace) -> tuple[str, list[tuple[str, int]]]:
    """The bin and the (code, times) pairs from the command line and --file."""
    words = list(args.items)
    bin_code = args.bin_code
    if args.file is not None:
        try:
            text = args.file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise ValueError(f"{args.file}: {exc}") from None
        lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
        if bin_code is None and lines:
            bin_code = lines.pop(0)
        words += [ln.replace("\t", "=").replace(",", "=") for ln in lines]
    if not bin_code:
        raise ValueError(_("stock count needs a BIN (or --file whose first line is the bin)"))
    scans = []
    for word in words:
        code, eq, qty = word.partition("=")
        if eq and not (qty.strip().isascii() and qty.strip().isdigit()):
            raise ValueError(_("{word!r}: the count after '=' is a whole number").format(word=word))
        scans.append((code.strip(), int(qty) if eq else 1))
    return bin_code, scans


def cmd_count(args: argparse.Namespace) -> int:
    cfg, engine = _open(args)
    bin_code, scans = _scans(args)
    actor = _actor(cfg, engine, args.operator)
    with read_tx(engine) as conn:
        counted = tally(conn, scans)
    result = count_bin(Floor(engine, cfg), actor, bin_code, counted, partial=args.partial,
                       note=args.note)
    if args.json:
        echo(json_text(result.to_json()))
        return 0
    for line in result.lines:
        away = _("  (+{n} in baskets)").format(n=line.in_baskets) if line.in_baskets else ""
        echo(_('{sku:<14} expected {expected:>5} counted {counted:>5} {v}{away}').format(
                 sku=line.sku, expected=line.expected, counted=line.counted,
                 v='matches' if not line.delta else f'{line.delta:+d}', away=away))
    echo(_('bin {bin}: {lines} SKUs counted, {differences} differences booked').format(
             bin=result.bin, lines=len(result.lines), differences=len(result.differences)))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    cfg, engine = _open(args)
    with read_tx(engine) as conn:
        rows = export_rows(stock_view(conn, cfg.floor.safety_stock))
    if args.json:
        echo(json_text(rows))
    elif args.out is None:
        echo(csv_text(rows, newline="\n").rstrip("\n"), flush=True)
    else:
        try:
            write_export(rows, args.out)
        except OSError as exc:
            raise ValueError(f"{args.out}: {exc.strerror or exc}") from None
        echo(_('stock of {rows} SKUs written to {out}').format(rows=len(rows), out=args.out))
    return 0


def cmd_decide(args: argparse.Namespace) -> int:
    cfg, engine = _open(args)
    actor = _actor(cfg, engine, args.operator)
    done = decide_short(Floor(engine, cfg), actor, args.key, args.decision, args.reason,
                        cfg.floor.safety_stock)
    if args.json:
        echo(json_text(done))
    else:
        short = ", ".join(f"{k} {v}" for k, v in done["short"].items()) or _("nothing now")
        echo(_('order {order_no}: {decision} ({reason}); short {short}').format(
                 order_no=done['order_no'], decision=done['decision'], reason=done['reason'], short=short))
    return 0
