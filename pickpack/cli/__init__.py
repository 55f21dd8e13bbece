"""The `pickpack` command: human output by default, `--json` for tools, one-line errors."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import Any

from db.engine import StoreError, redacted
from pickpack.cli import store as cli_store
from pickpack.config import ConfigError, load_config
from pickpack.core.refusal import Refusal
from pickpack.text import echo, json_text

Handler = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pickpack", description="PickPack warehouse terminal")
    parser.add_argument("--config", help="config file (default: $PICKPACK_CONFIG or ./config.toml)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    cli_store.register(sub)
    for name in ("pickpack.intake.cli", "pickpack.cli.printing", "pickpack.cli.devices",
                 "pickpack.cli.reports", "pickpack.cli.app", "pickpack.cli.operators",
                 "pickpack.cli.orders", "pickpack.cli.scan", "pickpack.cli.stock",
                 "pickpack.cli.policy", "pickpack.cli.waves", "pickpack.cli.aftersales",
                 "pickpack.cli.board", "pickpack.cli.sync",
                 "pickpack.cli.couriers"):
        _register_from(name, sub)
    from pickpack.printing.lookups import install

    install()
    return parser


def _register_from(module: str, sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    import importlib

    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name != module:
            raise
        return  # that part of the product is not installed in this build
    mod.register(sub)


def split_config(argv: Sequence[str]) -> tuple[list[str], str | None]:
    """Take ``--config FILE`` (or ``--config=FILE``) from anywhere on the command line."""
    rest: list[str] = []
    config: str | None = None
    it = iter(argv)
    for arg in it:
        if arg == "--config":
            config = next(it, None)
            if config is None:
                raise SystemExit("pickpack: --config needs a FILE")
        elif arg.startswith("--config="):
            config = arg.split("=", 1)[1]
        else:
            rest.append(arg)
    return rest, config


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    rest, config = split_config(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(rest)
    args.config = config
    handler: Handler = getattr(args, "handler", None) or args.func
    try:
        code = handler(args)
        sys.stdout.flush()  # a closed pipe is met here, inside the try, not at exit
        return code
    except (ConfigError, StoreError, ValueError) as exc:
        echo(f"pickpack: {exc}", file=sys.stderr)
        return 2
    except Refusal as exc:
        echo(f"pickpack: {exc.text()}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `pickpack order list | head`: the reader has all it wanted
        _quiet_stdout()
        return 141  # 128 + SIGPIPE, as a shell reports a command its pipe closed


def _quiet_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot raise again."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def emit(data: Any, as_json: bool, human: Callable[[Any], str]) -> None:
    echo(json_text(data) if as_json else human(data))


def store_name(config: str | None) -> str:
    return redacted(load_config(config).store.url)


if __name__ == "__main__":
    sys.exit(main())
