"""Turn the key events of an HID scanner (US layout) back into the characters it meant.

Pure: feed ``evdev.InputEvent`` values to ``KeyDecoder.feed``; it returns a whole code when the
scanner sends its terminator (Enter, keypad Enter or Tab). Knows shift, caps lock, the keypad,
Alt+numpad codes (Alt held, keypad digits, released: ``chr(code)``) and Ctrl+] (GS, ASCII 29,
the GS1 group separator). Only key-down counts; autorepeat is ignored.
"""

from __future__ import annotations

from evdev import InputEvent, ecodes

KEY_UP, KEY_DOWN, KEY_REPEAT = 0, 1, 2
GS = "\x1d"

_US: dict[str, tuple[str, str]] = {
    "1": ("1", "!"), "2": ("2", "@"), "3": ("3", "#"), "4": ("4", "$"), "5": ("5", "%"),
    "6": ("6", "^"), "7": ("7", "&"), "8": ("8", "*"), "9": ("9", "("), "0": ("0", ")"),
    "MINUS": ("-", "_"), "EQUAL": ("=", "+"), "LEFTBRACE": ("[", "{"), "RIGHTBRACE": ("]", "}"),
    "SEMICOLON": (";", ":"), "APOSTROPHE": ("'", '"'), "GRAVE": ("`", "~"),
    "BACKSLASH": ("\\", "|"), "COMMA": (",", "<"), "DOT": (".", ">"), "SLASH": ("/", "?"),
    "SPACE": (" ", " "), "102ND": ("\\", "|"),
}
KEYMAP: dict[int, tuple[str, str]] = {
    getattr(ecodes, f"KEY_{name}"): pair for name, pair in _US.items()
}
LETTERS: dict[int, str] = {
    getattr(ecodes, f"KEY_{c}"): c.lower() for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
}
KEYPAD: dict[int, str] = {getattr(ecodes, f"KEY_KP{d}"): str(d) for d in range(10)}
KEYPAD_SIGNS: dict[int, str] = {
    ecodes.KEY_KPDOT: ".", ecodes.KEY_KPPLUS: "+", ecodes.KEY_KPMINUS: "-",
    ecodes.KEY_KPASTERISK: "*", ecodes.KEY_KPSLASH: "/", ecodes.KEY_KPCOMMA: ",",
    ecodes.KEY_KPEQUAL: "=",
}
TERMINATORS = frozenset({ecodes.KEY_ENTER, ecodes.KEY_KPENTER, ecodes.KEY_TAB})
SHIFTS = frozenset({ecodes.KEY_LEFTSHIFT, ecodes.KEY_RIGHTSHIFT})
CTRLS = frozenset({ecodes.KEY_LEFTCTRL, ecodes.KEY_RIGHTCTRL})
ALTS = frozenset({ecodes.KEY_LEFTALT, ecodes.KEY_RIGHTALT})


class KeyDecoder:
    """Key events in, completed codes out. One decoder per device; ``reset()`` on reconnect."""

    def __init__(self, capslock: bool = False) -> None:
        self.capslock = capslock
        self._held: set[int] = set()
        self._chars: list[str] = []
        self._alt_digits = ""

    def reset(self) -> None:
        """Forget held keys and a half-read code (the device went away)."""
        self._held.clear()
        self._chars.clear()
        self._alt_digits = ""

    def feed(self, event: InputEvent) -> str | None:
        """Feed one event; returns the code when a terminator completes a non-empty code."""
        if event.type != ecodes.EV_KEY or event.value == KEY_REPEAT:
            return None
        key = event.code
        if event.value == KEY_UP:
            self._held.discard(key)
            if key in ALTS and not self._held & ALTS:
                self._flush_alt()
            return None
        if event.value != KEY_DOWN:
            return None
        self._held.add(key)
        if key == ecodes.KEY_CAPSLOCK:
            self.capslock = not self.capslock
        elif key in TERMINATORS:
            code, self._chars = "".join(self._chars), []
            return code or None
        elif self._held & ALTS and key in KEYPAD:
            self._alt_digits += KEYPAD[key]
        else:
            char = self._char(key)
            if char is not None:
                self._chars.append(char)
        return None

    @property
    def pending(self) -> str:
        """Characters of the code being read."""
        return "".join(self._chars)

    def _char(self, key: int) -> str | None:
        shift = bool(self._held & SHIFTS)
        if self._held & CTRLS:
            return GS if key == ecodes.KEY_RIGHTBRACE else None
        if key in LETTERS:
            letter = LETTERS[key]
            return letter.upper() if shift != self.capslock else letter
        if key in KEYMAP:
            return KEYMAP[key][shift]
        return KEYPAD.get(key) or KEYPAD_SIGNS.get(key)

    def _flush_alt(self) -> None:
        digits, self._alt_digits = self._alt_digits.lstrip("0"), ""
        if not digits or len(digits) > 7:  # 0x10FFFF has 7 digits: longer is no character
            return
        code = int(digits)
        if code < 0x110000 and not 0xD800 <= code <= 0xDFFF:  # no lone surrogate halves
            self._chars.append(chr(code))
