"""Which key does what at each station, by the key's id, and which keys a station may be given.

``[keys]`` in config.toml moves a key (``logout = "f11"`` at every station, ``[keys.verify]
undo = "ctrl+r"`` at one). The ids and default keys here are the ones the stations' ``BINDINGS``
carry (tests/stations/test_keys.py holds them to it); the app hands the result to Textual's
keymap. No Textual here: the config is checked against this table when it is read.
"""

from __future__ import annotations

import re

EVERY: dict[str, str] = {"quit": "ctrl+o", "language": "ctrl+l"}
"""Keys of the whole app: at every station and on the station chooser."""
STATION: dict[str, str] = {"logout": "f2", "stations": "f12"}
"""Keys every station screen has (stations/base.py); Enter, which acknowledges an alert and
ends every scan, is not a key to move."""
OVERRIDES: dict[str, str] = {"override-accept": "f8", "override-release": "f9",
                             "override-short": "f10"}
"""The supervisor's overrides (verify, pack, weigh), hidden from the footer."""
CANCEL: dict[str, str] = {"cancel": "escape"}

OWN: dict[str, dict[str, str]] = {
    "pick": {**CANCEL, "done": "f3", "putaway": "f4", "next": "f5"},
    "verify": {**CANCEL, "undo": "f3", "reset": "f4", "hold": "f5", **OVERRIDES},
    "pack": {**CANCEL, "carton-s": "f3", "carton-m": "f4", "carton-l": "f5", "carton-xl": "f6",
             "carton-bag": "f7", **OVERRIDES},
    "weigh": {**CANCEL, **OVERRIDES, "weight": "f6", "sim-expected": "f7", "batch": "f4"},
    "ship": {"close": "f3"},
    "returns": {**CANCEL, "grade-restock": "f3", "grade-quarantine": "f4", "grade-scrap": "f5",
                "note": "f6", "return-done": "f7"},
    "desk": {"cancel": "escape", "release": "f3", "hold": "f4", "audit": "f5",
             "ack-remark": "f6", "cancel-order": "f7", "queue": "f8", "merge": "f9",
             "chart": "f10", "register": "f11"},
}
"""Each station's own keys: id → default key."""


def defaults(mode: str | None) -> dict[str, str]:
    """Every key id a station (None: the chooser) has, with its default key."""
    if mode is None:
        return dict(EVERY)
    return {**EVERY, **STATION, **OWN[mode]}


SWALLOWED: dict[str, str] = {
    "ctrl+s": "flow control (XOFF): the terminal stops its output instead of passing the key",
    "ctrl+q": "flow control (XON): the terminal takes it to resume its output",
    "ctrl+z": "the terminal's suspend key (SIGTSTP)",
    "ctrl+c": "the terminal's interrupt key (SIGINT), and copy in the scan entry",
    "ctrl+backslash": "the terminal's quit signal (SIGQUIT)",
    "ctrl+m": "a terminal sends it as Enter, which ends every scan",
    "ctrl+j": "a terminal sends it as Enter (line feed), which ends every scan",
    "ctrl+i": "a terminal sends it as Tab",
    "ctrl+h": "a terminal sends it as Backspace",
    "ctrl+left_square_bracket": "a terminal sends it as Escape",
    "ctrl+a": "GNU screen's command key, and go-to-start in the scan entry",
    "ctrl+b": "tmux's command key",
}
"""Chords a terminal, a multiplexer or the scan entry takes for itself, and why."""
ENTRY: dict[str, str] = {"ctrl+e": "go to end", "ctrl+d": "delete right", "ctrl+w": "delete word",
                         "ctrl+u": "delete to start", "ctrl+f": "delete word right",
                         "ctrl+k": "delete to end", "ctrl+x": "cut", "ctrl+v": "paste"}
"""ctrl chords the scan entry (Textual's Input) keeps for itself while it has the focus."""
NAMED = {*(f"f{n}" for n in range(1, 13)), "escape", "insert", "pageup", "pagedown"}
_SPELLED = {"esc": "escape", "ins": "insert", "pgup": "pageup", "pgdn": "pagedown",
            "ctrl+\\": "ctrl+backslash", "ctrl+[": "ctrl+left_square_bracket"}
_KEY = re.compile(r"ctrl\+(?P<letter>[a-z])|(?:(?:shift|ctrl)\+)?(?P<named>[a-z0-9_]+)")
KEY_NAMES = "F1–F12, Esc, Insert, PageUp, PageDown (each may take shift+ or ctrl+), or ctrl+ a letter"


def key_name(key: str) -> str:
    """The key as Textual names it (``F2`` → ``f2``, ``esc`` → ``escape``), else a ValueError
    saying why a station cannot be given it."""
    name = "+".join(_SPELLED.get(p, p) for p in key.strip().lower().replace(" ", "").split("+"))
    name = _SPELLED.get(name, name)
    if name in SWALLOWED:
        raise ValueError(f"{name} cannot be used: {SWALLOWED[name]}")
    if name in ENTRY:
        raise ValueError(f"{name} cannot be used: the scan entry keeps it ({ENTRY[name]})")
    if len(name) == 1 or name in ("space", "enter", "tab", "backspace", "delete", "home", "end"):
        raise ValueError(f"{name!r} cannot be used: the scanner and the scan entry need it "
                         "(a plain character is part of a scan)")
    if name.startswith("alt+"):
        raise ValueError(f"{name} cannot be used: alt+ chords switch the Linux console or arrive "
                         "as Escape and a letter")
    match = _KEY.fullmatch(name)
    if match is None or (match["named"] is not None and match["named"] not in NAMED):
        raise ValueError(f"{key!r} is not a key a station can be given ({KEY_NAMES})")
    return name


def clash(mode: str | None, keymap: dict[str, str]) -> str | None:
    """Two ids on one key at ``mode`` once ``keymap`` (id → key) is applied, said in a line."""
    keys = {**defaults(mode), **keymap}
    seen: dict[str, str] = {"enter": "ack", "tab": "focus"}
    for key_id, key in keys.items():
        if key in seen:
            where = f"at {mode}" if mode else "on the chooser"
            return f"{where}, {seen[key]} and {key_id} would both be on {key}"
        seen[key] = key_id
    return None


_LABELS = {"escape": "Esc", "insert": "Insert", "pageup": "PgUp", "pagedown": "PgDn",
           "ctrl": "Ctrl", "shift": "Shift"}
_HINT = re.compile(r"(?<![A-Za-z0-9_+*/:.-])(?:(?:(?:Ctrl|Shift)\+)?(?:F1[0-2]|F[1-9]|Esc|Insert|PgUp"
                   r"|PgDn)|Ctrl\+[A-Z])(?![A-Za-z0-9_+*/:.-])")
"""A key as a hint names it: ``F6``, ``Esc``, ``Ctrl+R``, not inside a code such as F6-01."""


def label(key: str) -> str:
    """A key as the screens' hints write it: ``f6`` → ``F6``, ``escape`` → ``Esc``,
    ``ctrl+r`` → ``Ctrl+R``."""
    return "+".join(_LABELS.get(part, part.upper()) for part in key.split("+"))


def relabel(text: str, mode: str | None, moved: dict[str, str]) -> str:
    """``text`` with each key it names by its default (``F6``) said as ``moved`` (id → key, the
    ``[keys]`` of ``mode``) has put it; keys not moved, and codes that merely look like a key
    (``F6-01``), stay as they are. Every key of a station has one default, so a default's label
    names one id."""
    said = {label(key): label(moved[key_id]) for key_id, key in defaults(mode).items()
            if moved.get(key_id, key) != key}
    if not said:
        return text
    return _HINT.sub(lambda match: said.get(match[0], match[0]), text)
