"""Text from imports and scans made safe to show: on a terminal, in JSON, in a spreadsheet.

An imported receiver name may carry terminal escape sequences (``ESC]0;title BEL``, ``ESC[2J``)
and a cell may start with ``=``; these functions are what every printer and exporter goes through.
"""

from __future__ import annotations

import json
import re
import sys
from typing import IO, Any

from rich.text import Text

# C0 controls, DEL, C1 controls (U+009B is a one-byte CSI on many terminals), the line and
# paragraph separators, and the bidirectional overrides and isolates (text that reads reversed)
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")
_UNSAFE_KEEP_LINES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")


def _shown(match: re.Match[str]) -> str:
    ch = match.group()
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ESC is ␛, NUL ␀, BEL ␇
    if code == 0x7F:
        return "␡"
    return f"\\u{code:04x}"


def visible(s: str) -> str:
    """One field for a terminal: every control character shown as a visible stand-in."""
    return _UNSAFE.sub(_shown, s)


def visible_lines(s: str) -> str:
    """Text for a terminal that may span lines: like :func:`visible`, keeping newline and tab."""
    return _UNSAFE_KEEP_LINES.sub(_shown, s)


def screen_text(s: str) -> Text:
    """Data for a Textual widget: rich ``Text`` (never markup, so ``[/]`` is just text) with
    control characters made visible (a raw ESC would reach the terminal)."""
    return Text(visible_lines(s))


def echo(text: object = "", *, file: IO[str] | None = None, flush: bool = False) -> None:
    """``print`` for the command line: control characters from data made visible."""
    print(visible_lines(str(text)), file=file if file is not None else sys.stdout, flush=flush)


def json_text(data: Any, *, indent: int | None = 2) -> str:
    """JSON with non-ASCII kept readable, and every character a terminal acts on escaped.

    ``json.dumps`` escapes C0 controls but passes DEL, C1 controls (U+009B is a CSI), U+2028
    and the bidi controls through raw when ``ensure_ascii=False``; these only occur inside
    strings, where ``\\uXXXX`` means the same character to any JSON reader.
    """
    raw = json.dumps(data, ensure_ascii=False, indent=indent)
    return _UNSAFE_KEEP_LINES.sub(lambda m: f"\\u{ord(m.group()):04x}", raw)


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def sheet_cell(value: object) -> object:
    """A value for a CSV or xlsx cell: text a spreadsheet would run as a formula is prefixed
    with a single quote (the OWASP rule); numbers stay numbers, a negative one included."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


# The few symbols screens draw beside data, and what the Linux text console can draw instead
# (its font has no ▶ or ✓: they would show as boxes).
GLYPHS: dict[str, tuple[str, str]] = {"prompt": ("▶", ">"), "done": ("✓", "*"), "to": ("→", "->")}


def on_linux_console() -> bool:
    """Running on the kernel's text console (``TERM=linux``), not a terminal emulator."""
    import os

    return os.environ.get("TERM", "") == "linux"


def glyph(name: str) -> str:
    """A screen symbol (``prompt``, ``done``, ``to``) that this terminal can draw."""
    fancy, plain = GLYPHS[name]
    return plain if on_linux_console() else fancy
