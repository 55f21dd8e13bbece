"""The `pickpack` command: human output by default, `--json` for tools, one-line errors."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Collection, Sequence
from typing import TYPE_CHECKING, Any

from pickpack.cli.language import cli_language, speak
from pickpack.cli.registry import BY_NAME, register
from pickpack.i18n import N_, _, current_language, locale_language

if TYPE_CHECKING:
    from db.engine import StoreError

Handler = Callable[[argparse.Namespace], int]


def build_parser(loaded: Collection[str] | None = None) -> argparse.ArgumentParser:
    """The whole CLI; with ``loaded``, only those commands' modules are imported (the others
    are listed by name and help)."""
    parser = argparse.ArgumentParser(prog="pickpack", description=_("PickPack warehouse terminal"))
    parser.add_argument("--config", help=_("config file (default: $PICKPACK_CONFIG or "
                                           "./config.toml)"))
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    register(sub, loaded)
    return parser


def _command_in(argv: Sequence[str]) -> list[str]:
    """The command a command line names (its first word that is not an option), if it is one."""
    first = next((arg for arg in argv if not arg.startswith("-")), None)
    return [first] if first in BY_NAME else []


def split_config(argv: Sequence[str]) -> tuple[list[str], str | None]:
    """Take ``--config FILE`` (or ``--config=FILE``) from anywhere on the command line."""
    rest: list[str] = []
    config: str | None = None
    it = iter(argv)
    for arg in it:
        if arg == "--config":
            config = next(it, None)
            if config is None:
                raise SystemExit(_("pickpack: --config needs a FILE"))
        elif arg.startswith("--config="):
            config = arg.split("=", 1)[1]
        else:
            rest.append(arg)
    return rest, config


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command in the language of its config (else the locale's); the process's
    language is as it was once the command is done (a test, or a caller, runs main again)."""
    before = current_language()
    try:
        return _main(argv)
    finally:
        speak(before)


def _main(argv: Sequence[str] | None) -> int:
    speak(locale_language())
    rest, config = split_config(sys.argv[1:] if argv is None else argv)
    speak(cli_language(config))
    parser = build_parser(_command_in(rest))
    args = parser.parse_args(rest)
    args.config = config
    handler: Handler | None = getattr(args, "handler", None) or getattr(args, "func", None)
    if handler is None:
        parser.error(_("{command}: not installed in this build").format(command=args.command))
    from db.engine import StoreError
    from pickpack.config import ConfigError
    from pickpack.core.refusal import Refusal
    from pickpack.text import echo

    try:
        code = handler(args)
        sys.stdout.flush()  # a closed pipe is met here, inside the try, not at exit
        return code
    except StoreError as exc:
        echo(_('pickpack: {exc}').format(exc=store_words(exc)), file=sys.stderr)
        return 2
    except (ConfigError, ValueError) as exc:
        echo(_('pickpack: {exc}').format(exc=exc), file=sys.stderr)
        return 2
    except Refusal as exc:
        echo(_('pickpack: {v}').format(v=exc.text()), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `pickpack order list | head`: the reader has all it wanted
        _quiet_stdout()
        return 141  # 128 + SIGPIPE, as a shell reports a command its pipe closed


STORE_WORDS = (
    N_("store {where} has no PickPack tables yet: run `pickpack db upgrade` first"),
    N_("store schema {current} is newer than this PickPack knows; upgrade PickPack"),
    N_("store schema is {current}, this PickPack needs {head}: run `pickpack db upgrade`"),
    N_("store {where} unreachable: {cause}"),
    N_("store {where} is not a SQLite database ({cause}): restore it from a backup or point "
       "[store] url at the right file"),
    N_("store {where}: the folder {folder} does not exist: create it or fix [store] url"),
    N_("bad store URL {url}"),
    N_("bad store URL {url}: its port is not a number"),
    N_("store URL {url} carries a password ({where}…): remove it from config.toml and set {env} "
       "(or use ~/.pgpass; passfile= is fine)"),
    N_("unsupported store URL scheme: {scheme}"),
    N_("unknown schema revision {revision}"),
)
"""db's messages said in words (db imports nothing of ours: it raises the template)."""


def store_words(exc: StoreError) -> str:
    """A store error in the station's language where db made it from one of its templates."""
    if not exc.values:
        return str(exc)
    values = {k: _(v) if v == "empty" else v for k, v in exc.values.items()}
    return _(exc.template).format(**values)


def _quiet_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot raise again."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def emit(data: Any, as_json: bool, human: Callable[[Any], str]) -> None:
    from pickpack.text import echo, json_text

    echo(json_text(data) if as_json else human(data))


def store_name(config: str | None) -> str:
    from db.engine import redacted
    from pickpack.config import load_config

    return redacted(load_config(config).store.url)


if __name__ == "__main__":
    sys.exit(main())
