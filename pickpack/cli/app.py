"""`pickpack run --station MODE` and `pickpack demo`: the station app from the command line."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from pathlib import Path

from pickpack.cli.registry import add_command
from pickpack.config import Config, load_config
from pickpack.i18n import _

MODES = ("pick", "verify", "pack", "weigh", "ship", "desk", "returns")
DEMO_DIR = Path("pickpack-demo")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add `run` and `demo` to the main CLI."""
    run = add_command(sub, "run")
    run.add_argument("--station", choices=MODES, metavar="MODE",
                     help=_("station mode (default: [station] mode of the config)"))
    run.set_defaults(handler=run_station)
    demo = add_command(sub, "demo")
    demo.add_argument("--prepare-only", action="store_true",
                      help=_("build the demo store, print what is on the floor and exit"))
    demo.add_argument("--station", choices=MODES, metavar="MODE",
                      help=_("open this station instead of the chooser"))
    demo.set_defaults(handler=run_demo)


def run_station(args: argparse.Namespace) -> int:
    """Open the configured store and run one station until the operator quits. A PostgreSQL
    station whose store is away at boot starts cold from its journal when it has one."""
    cfg = load_config(args.config)
    mode = args.station or cfg.station.mode
    if mode not in MODES:
        raise ValueError(_('station mode {mode!r} has no screen yet: one of {v}').format(
                             mode=mode, v=', '.join(MODES)))
    from pickpack.store import open_station_store

    engine, away = open_station_store(cfg)
    return _run_app(cfg, engine, mode=mode, store_away=away)


def run_demo(args: argparse.Namespace) -> int:
    """Build the demo warehouse; then run the app on it (unless ``--prepare-only``)."""
    from pickpack.demo import build_demo

    demo = build_demo(DEMO_DIR, load_config(args.config))
    print(_('demo store: {v}').format(v=DEMO_DIR / 'pickpack.db'))
    from pickpack.cli.reports import width
    from pickpack.core.lifecycle import state_name

    for state, n in sorted(demo.states.items()):
        name = state_name(state)
        print(f"  {name}{' ' * (10 - width(name))} {n}")
    if args.prepare_only:
        return 0
    return _run_app(demo.cfg, demo.engine, mode=args.station, sheet=demo.sheet)


def _run_app(cfg: Config, engine: object, *, mode: str | None,
             sheet: str | Callable[[], str] = "", store_away: str = "") -> int:
    from pickpack.app import StationApp

    os.environ.setdefault("ESCDELAY", "25")
    app = StationApp(cfg, engine, mode=mode, demo_sheet=sheet,  # type: ignore[arg-type]
                     store_away=store_away)
    code = app.run()
    return int(code or 0)
