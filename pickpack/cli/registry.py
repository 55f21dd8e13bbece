"""Which module makes each `pickpack` command: imported only when its command runs.

``pickpack --help`` lists every command from this table and imports none of them (each pulls
in the core, the store and SQLAlchemy); ``pickpack CMD …`` imports the modules of CMD alone, so
``pickpack CMD --help`` still shows CMD's own options and ``pickpack run`` starts without the
rest of the CLI.
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Collection
from typing import NamedTuple

from pickpack.i18n import N_, _


class Command(NamedTuple):
    name: str
    help: str
    modules: tuple[str, ...]
    """Modules whose ``register(sub)`` adds the command (in this order)."""


COMMANDS: tuple[Command, ...] = (
    Command("db", N_("store schema"), ("pickpack.cli.store",)),
    Command("release", N_("audit new orders; make the good ones ready"), ("pickpack.cli.store",)),
    Command("order", N_("look up and change orders"), ("pickpack.cli.store", "pickpack.cli.orders")),
    Command("import", N_("import platform exports, the catalog or a waybill pool"),
            ("pickpack.intake.cli",)),
    Command("print", N_("print slips, pick lists, manifests, command sheets"),
            ("pickpack.cli.printing",)),
    Command("devices", N_("input devices and serial ports on this machine"),
            ("pickpack.cli.devices",)),
    Command("scanner", N_("barcode scanner tools"), ("pickpack.cli.devices",)),
    Command("scale", N_("scale tools"), ("pickpack.cli.devices",)),
    Command("report", N_("floor, late orders, missed cut-off, errors per person, today's board"),
            ("pickpack.cli.reports", "pickpack.cli.today")),
    Command("export", N_("tracking numbers back to the platform"), ("pickpack.cli.reports",)),
    Command("run", N_("run a station (pick, verify, pack, weigh, ship, desk, returns)"),
            ("pickpack.cli.app",)),
    Command("demo", N_("a demo warehouse in ./pickpack-demo with every station"),
            ("pickpack.cli.app",)),
    Command("operator", N_("operators, their badges, roles and PINs"), ("pickpack.cli.operators",)),
    Command("scan", N_("what a scanned code means in this store"), ("pickpack.cli.scan",)),
    Command("stock", N_("stock on hand, reserved, available; counts, adjustments"),
            ("pickpack.cli.stock",)),
    Command("policy", N_("the warehouse's floor policy, shared by every station"),
            ("pickpack.cli.policy",)),
    Command("wave", N_("waves: batches of ready orders to print and pick"), ("pickpack.cli.waves",)),
    Command("case", N_("after-sales cases: open, investigate, solve, reship, claim"),
            ("pickpack.cli.aftersales",)),
    Command("return", N_("returns: announced, received, refunds, intercepts"),
            ("pickpack.cli.aftersales",)),
    Command("board", N_("the floor board in a browser (a wall screen)"), ("pickpack.cli.board",)),
    Command("sync", N_("the offline journal's sync: its conflicts"), ("pickpack.cli.sync",)),
    Command("courier", N_("couriers: out-of-area incidents, rule proposals, pickup, waybill pools"),
            ("pickpack.cli.couriers",)),
)
BY_NAME = {c.name: c for c in COMMANDS}


def about(name: str) -> str:
    """The help line of command ``name`` (one text for the list and the command itself)."""
    return _(BY_NAME[name].help)


def add_command(sub: argparse._SubParsersAction, name: str,  # type: ignore[type-arg]
                **kwargs: object) -> argparse.ArgumentParser:
    """``sub.add_parser(name)`` with the command's help from the table, as its description too."""
    text = about(name)
    parser: argparse.ArgumentParser = sub.add_parser(name, help=text, description=text,
                                                     **kwargs)  # type: ignore[arg-type]
    return parser


def register(sub: argparse._SubParsersAction,  # type: ignore[type-arg]
             loaded: Collection[str] | None = None) -> None:
    """Add every command to ``sub``: those in ``loaded`` (all when None) with their options,
    the others by name and help only, their modules not imported."""
    names = [c.name for c in COMMANDS] if loaded is None else [n for n in loaded if n in BY_NAME]
    done: set[str] = set()
    for name in names:
        for module in BY_NAME[name].modules:
            if module not in done:
                done.add(module)
                _register_from(module, sub)
    if loaded is None:
        return
    for command in COMMANDS:
        if command.name not in sub.choices and command.name not in names:
            sub.add_parser(command.name, help=_(command.help), add_help=False)


def _register_from(module: str, sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name != module:
            raise
        return  # that part of the product is not installed in this build
    mod.register(sub)
    if module == "pickpack.cli.printing":  # `print express KEY` finds its slip in the store
        from pickpack.printing.lookups import install

        install()
