"""The CLI's language, by the stations' rule: ``[station] language`` of the config, else the
locale (``LC_ALL``/``LC_MESSAGES``/``LANG``), else zh_CN — argparse's own words included.

The config is read with ``tomllib`` alone (not validated: that is ``load_config``'s job when the
command runs), so ``pickpack --help`` stays fast and a broken config still gets its one-line error
from the command, in the locale's language.
"""

from __future__ import annotations

import argparse
import os
import tomllib
from pathlib import Path

from pickpack.i18n import N_, Language, _, locale_language, set_language

ARGPARSE_WORDS = (
    N_("usage: "), N_("positional arguments"), N_("options"), N_("show this help message and exit"),
    N_("%(prog)s: error: %(message)s\n"), N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"), N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("argument %(argument_name)s: %(message)s"), N_("expected one argument"),
    N_("expected at most one argument"), N_("expected at least one argument"),
    N_("expected %s argument"), N_("expected %s arguments"),
    N_("invalid %(type)s value: %(value)r"), N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"), N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("one of the arguments %s is required"), N_("unexpected option string: %s"),
    N_("%(prog)s: error: %(message)s"),
)
"""The messages argparse itself shows (Python 3.11), translated in our catalogue."""


def cli_language(config: str | None) -> Language:
    """``[station] language`` of the config file the command will use, else the locale's."""
    path = Path(config or os.environ.get("PICKPACK_CONFIG") or "config.toml")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
        return locale_language()
    station = data.get("station")
    language = station.get("language") if isinstance(station, dict) else None
    if language == "en" or language == "zh_CN":
        return language
    return locale_language()


def _plural(singular: str, plural: str, n: int) -> str:
    return _(singular if n == 1 else plural)


def speak(language: str) -> None:
    """Switch our messages and argparse's (its usage, section titles and errors) to ``language``."""
    set_language(language)
    argparse._ = _  # type: ignore[attr-defined]  # argparse looks its words up at call time
    argparse.ngettext = _plural  # type: ignore[attr-defined]
