"""`pickpack print express|packing|picklist|manifest|commands|slips|check`.

``print check`` says which fonts raster lines use (printers/fonts.py) and warns when none has
Chinese.

``print slips`` is the desk's batch (``[workflow] print_at = "desk"``): the slip pair of every
ready order, through the print queue in the store (:mod:`pickpack.printing.batch`).

``register(sub)`` adds the commands; each sets ``handler`` (and ``func``) to a function that
takes the parsed args and returns the exit code. Slips that come from the store (express,
packing, manifest, a real pick list) are looked up by a function the core registers with
:func:`set_lookup`; until then those commands print a demo slip with ``--demo`` and say what is
missing otherwise. Command sheets and demo slips work with no store at all.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from pickpack.cli.registry import add_command
from pickpack.config import Config, ConfigError, load_config
from pickpack.i18n import N_, _

if TYPE_CHECKING:  # printers (python-escpos) loads in ~0.5 s: only when something prints
    from printers import CommandSheet, Layout, PrinterSetup

Kind = Literal["express", "packing", "picklist", "manifest", "commands"]
Lookup = Callable[[str, Config], "Layout"]
"""Finds the slip for a KEY (order no., tracking no., batch or manifest id) in the store."""

EXIT_ERROR = 1
EXIT_USAGE = 2
SHEET_STATIONS = ("pick", "verify", "pack", "weigh", "ship", "returns", "desk")
"""Stations with a flow, hence a command sheet (pickpack.core.flows.modes.FLOWS)."""

_lookups: dict[str, Lookup] = {}
Recorder = Callable[[str, Config, str, str], None]
"""Records in the store that the slip of KIND for KEY printed on URL: (key, cfg, kind, url).
A store lookup carries it as its ``record`` attribute."""


def set_lookup(kind: Kind, lookup: Lookup) -> None:
    """Let ``pickpack print KIND KEY`` find its slip in the store (called by the core)."""
    _lookups[kind] = lookup


def station_commands(mode: str, prefix: str = "CMD:", language: str = "zh_CN") -> CommandSheet:
    """The command sheet for a station mode, made from the commands its flow declares
    (:func:`pickpack.commands.command_sheet`), in ``language``."""
    from pickpack.commands import command_sheet

    return command_sheet(mode, language, prefix)


def _sheet_language(cfg: Config) -> str:
    """The station's language; Chinese unless the config sets ``[station] language`` itself."""
    if "language" in cfg.station.model_fields_set:
        return cfg.station.language
    return "zh_CN"


def printer_setup(cfg: Config, paper_mm: int | None = None) -> PrinterSetup:
    """The renderer's view of ``[printers]`` (``--paper`` overrides the paper width)."""
    from printers import PrinterSetup

    p = cfg.printers
    return PrinterSetup(paper_mm=paper_mm or p.paper_mm, profile=p.profile, chinese=p.chinese,
                        drawn_glyphs=p.drawn_glyphs)


def print_layouts(layouts: list[Layout], kind: Kind, cfg: Config, args: argparse.Namespace) -> int:
    """Print slips to ``--printer`` or the configured printer for ``kind``; returns the exit code.

    The express printer takes express slips; everything else goes to the packing printer.
    """
    from printers import PrinterError, print_slips

    url = args.printer or (cfg.printers.express if kind == "express" else cfg.printers.packing)
    try:
        jobs = print_slips(layouts, url, printer_setup(cfg, args.paper))
    except PrinterError as exc:
        print(_('pickpack: {exc}').format(exc=exc), file=sys.stderr)
        return EXIT_ERROR
    for job in jobs:
        print(_('printed {name} on {url}').format(name=job.name, url=url))
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add `print express|packing|picklist|manifest|commands` to the main CLI."""
    parser = add_command(sub, "print")
    psub = parser.add_subparsers(dest="print_command", required=True, metavar="SLIP")
    helps = {
        "express": N_("express slip (面单) for an order or tracking number"),
        "packing": N_("packing slip for an order"),
        "picklist": N_("pick list for a batch"),
        "manifest": N_("handover manifest"),
    }
    for kind, text in helps.items():
        cmd = psub.add_parser(kind, help=_(text))
        cmd.add_argument("key", nargs="?", help=_("order no., tracking no., batch or manifest id"))
        cmd.add_argument("--demo", action="store_true", help=_("print a sample slip (no store)"))
        _common(cmd)
        cmd.set_defaults(handler=_run_slip, func=_run_slip, print_kind=kind)
    cmds = psub.add_parser("commands", help=_("a station's command barcode sheet"))
    cmds.add_argument("--station", required=True, choices=SHEET_STATIONS, metavar="MODE")
    cmds.add_argument("--language", choices=("zh_CN", "en"),
                      help=_("language of the sheet (default: [station] language if the config"
                           " sets it, else zh_CN)"))
    _common(cmds)
    cmds.set_defaults(handler=_run_commands, func=_run_commands)
    batch = psub.add_parser("slips", help=_("the desk's batch: express + packing slips of every"
                                          " ready order not printed yet (print_at = desk)"))
    batch.add_argument("--limit", type=int, metavar="N", help=_("at most N orders"))
    batch.set_defaults(handler=_run_batch, func=_run_batch)
    check = psub.add_parser("check", help=_("which fonts raster lines use; warns when none has Chinese"))
    check.add_argument("--json", action="store_true", help=_("the fonts as JSON"))
    check.set_defaults(handler=_run_check, func=_run_check)


def _common(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("--printer", metavar="URL", help=_("printer URL (default: from config)"))
    cmd.add_argument("--paper", type=int, choices=(58, 80), help=_("paper width in mm"))


def _config(args: argparse.Namespace) -> Config | None:
    try:
        return load_config(getattr(args, "config", None))
    except ConfigError as exc:
        print(_('pickpack: {exc}').format(exc=exc), file=sys.stderr)
        return None


def _run_commands(args: argparse.Namespace) -> int:
    cfg = _config(args)
    if cfg is None:
        return EXIT_USAGE
    language = args.language or _sheet_language(cfg)
    sheet = station_commands(args.station, cfg.barcodes.command_prefix, language)
    return print_layouts([sheet], "commands", cfg, args)


def _run_batch(args: argparse.Namespace) -> int:
    """Queue and print the slips of the ready orders; exit 1 when a printer failed."""
    cfg = _config(args)
    if cfg is None:
        return EXIT_USAGE
    if args.limit is not None and args.limit < 1:
        print(_("pickpack: print slips: --limit must be at least 1"), file=sys.stderr)
        return EXIT_USAGE
    from pickpack.core.events import Actor
    from pickpack.printing.batch import print_ready_slips
    from pickpack.store import open_store

    engine = open_store(cfg)
    try:
        batch = print_ready_slips(engine, cfg, Actor(cfg.station.id, "desk"), args.limit)
    finally:
        engine.dispose()
    print(_('{orders} orders queued, {printed} slips printed, {pending} waiting').format(
              orders=batch.orders, printed=batch.printed, pending=batch.pending))
    if batch.error:
        print(_('pickpack: printer: {v}').format(v=batch.error.splitlines()[0]), file=sys.stderr)
        return EXIT_ERROR
    return 0


CHECK_SAMPLE = "收件人：张三 138****1234 SF1234567890 订单号 3921876543 ￥59.00 x2"
"""What a slip's raster lines hold: Han, digits, Latin letters, full-width signs."""


def _run_check(args: argparse.Namespace) -> int:
    """Say which fonts draw raster lines (Han and ASCII), and what no font can draw.

    Exit 1 when no font has Chinese and the printers have no Chinese font of their own (every
    slip is raster then, and its Chinese would print as boxes); a warning only otherwise.
    """
    cfg = _config(args)
    if cfg is None:
        return EXIT_USAGE
    from pickpack.text import echo, json_text
    from printers.fonts import font_chain

    chain = font_chain()
    missing = chain.missing(CHECK_SAMPLE)
    if args.json:
        echo(json_text({
            "cjk": [{"name": f.name, "path": f.path, "index": f.index} for f in chain.cjk],
            "latin": [{"name": f.name, "path": f.path, "index": f.index} for f in chain.latin],
            "missing": missing,
            "printer_chinese_font": cfg.printers.chinese,
        }))
    else:
        cjk = [f.label() + ("" if f.latin else _(" [no Latin]")) for f in chain.cjk]
        echo(_("Han and other wide characters: ") + (", ".join(cjk) or _("none")))
        echo(_("ASCII: ") + (", ".join(f.label() for f in chain.latin) or _("none"))
             + (_(" (then the CJK fonts)") if chain.cjk else ""))
        echo(_("printer font: ") + (_("Chinese (raster only for characters outside it)")
                                 if cfg.printers.chinese else _("none: every slip prints as raster")))
        if missing:
            echo(_('no font draws: {missing}').format(missing=missing))
    if not chain.cjk:
        echo(_("pickpack: warning: no font with Chinese glyphs: raster lines print Chinese as boxes;"
             " install fonts-wqy-microhei or fonts-noto-cjk (or set PICKPACK_CJK_FONT)"), file=sys.stderr)
        return 0 if cfg.printers.chinese else EXIT_ERROR
    return 0


def _run_slip(args: argparse.Namespace) -> int:
    cfg = _config(args)
    if cfg is None:
        return EXIT_USAGE
    kind: Kind = args.print_kind
    if args.demo:
        return print_layouts([demo_layout(kind, cfg)], kind, cfg, args)
    if not args.key:
        print(_('pickpack: print {kind} needs a KEY (or --demo)').format(kind=kind), file=sys.stderr)
        return EXIT_USAGE
    lookup = _lookups.get(kind)
    if lookup is None:
        print(_('pickpack: print {kind} KEY needs the store, not in this build; try --demo').format(
                  kind=kind),
              file=sys.stderr)
        return EXIT_USAGE
    code = print_layouts([lookup(args.key, cfg)], kind, cfg, args)
    if code == 0 and kind in ("express", "packing"):
        url = args.printer or (cfg.printers.express if kind == "express" else cfg.printers.packing)
        record: Recorder | None = getattr(lookup, "record", None)
        if record is not None:  # an express slip printed here makes the order printed
            record(args.key, cfg, kind, url)
    return code


def demo_layout(kind: Kind, cfg: Config) -> Layout:
    """A realistic sample slip of each kind, for trying a printer out."""
    from printers import ExpressSlip, Manifest, PackingLine, PackingSlip, PickLine, PickList

    if kind == "express":
        return ExpressSlip(
            "ZTO", cfg.couriers.names.get("ZTO", "中通快递"), "731234567890", "浙A-012 34",
            "张三丰", "13812341234", "浙江省杭州市余杭区五常街道文一西路969号 西溪园区3号楼",
            cfg.printers.sender, "3921876543210987654", 3, 1.25,
        )
    if kind == "packing":
        return PackingSlip(
            "3921876543210987654",
            (PackingLine("TS-001-WH-XL", "纯棉短袖T恤", "白色 XL", 2, "A-01-02", Decimal("59.00")),
             PackingLine("CUP-500-BL", "保温杯", "500ml 蓝色", 1, "B-12-03", Decimal("89.90"))),
            "请尽快发货，谢谢！", "生日快乐！", cfg.printers.show_prices,
        )
    if kind == "manifest":
        return Manifest("中通快递 ZTO", "M20240601-01",
                        tuple(f"7312345678{n:02d}" for n in range(1, 13)), datetime.now())
    return PickList(
        "B0601-03",
        (PickLine("C-03-10", "CUP-500-BL", "保温杯", "500ml 蓝色", 3),
         PickLine("A-01-02", "TS-001-WH-XL", "纯棉短袖T恤", "白色 XL", 5),
         PickLine("C-03-9", "CUP-350-RD", "保温杯", "350ml 红色", 1),
         PickLine("A-01-02", "TS-001-BK-L", "纯棉短袖T恤", "黑色 L", 2)),
        datetime.now(), order_count=6,
    )
