"""The HID key decoder, fed real evdev.InputEvent values."""

from __future__ import annotations

from evdev import InputEvent, ecodes

from pickpack.devices.scanners.keys import KeyDecoder

E = ecodes


def ev(code: int, value: int, etype: int = E.EV_KEY) -> InputEvent:
    return InputEvent(1700000000, 0, etype, code, value)


def tap(*codes: int) -> list[InputEvent]:
    return [e for c in codes for e in (ev(c, 1), ev(E.EV_SYN, 0, E.EV_SYN), ev(c, 0))]


def held(mod: int, *events: InputEvent) -> list[InputEvent]:
    return [ev(mod, 1), *events, ev(mod, 0)]


def run(events: list[InputEvent], dec: KeyDecoder | None = None) -> list[str]:
    dec = dec or KeyDecoder()
    return [code for e in events if (code := dec.feed(e)) is not None]


def test_letters_digits_and_enter() -> None:
    keys = tap(E.KEY_A, E.KEY_B, E.KEY_1, E.KEY_MINUS, E.KEY_DOT, E.KEY_ENTER)
    assert run(keys) == ["ab1-."]


def test_shift_gives_capitals_and_symbols() -> None:
    keys = held(E.KEY_LEFTSHIFT, *tap(E.KEY_S, E.KEY_F, E.KEY_4, E.KEY_SLASH, E.KEY_SEMICOLON))
    assert run([*keys, *tap(E.KEY_X, E.KEY_ENTER)]) == ["SF$?:x"]


def test_caps_lock_inverts_letters_only_and_shift_inverts_back() -> None:
    events = tap(E.KEY_CAPSLOCK, E.KEY_A, E.KEY_1)
    events += held(E.KEY_RIGHTSHIFT, *tap(E.KEY_B))
    events += tap(E.KEY_CAPSLOCK, E.KEY_C, E.KEY_TAB)
    assert run(events) == ["A1bc"]


def test_autorepeat_is_ignored() -> None:
    events = [ev(E.KEY_A, 1), ev(E.KEY_A, 2), ev(E.KEY_A, 2), ev(E.KEY_A, 0), *tap(E.KEY_ENTER)]
    assert run(events) == ["a"]


def test_keypad_digits_and_kpenter() -> None:
    events = tap(E.KEY_KP6, E.KEY_KP9, E.KEY_KPDOT, E.KEY_KP0, E.KEY_KPMINUS, E.KEY_KPENTER)
    assert run(events) == ["69.0-"]


def test_alt_numpad_code() -> None:
    alt = held(E.KEY_LEFTALT, *tap(E.KEY_KP0, E.KEY_KP2, E.KEY_KP9))
    assert run([*tap(E.KEY_0, E.KEY_1), *alt, *tap(E.KEY_2, E.KEY_ENTER)]) == ["01\x1d2"]


def test_alt_numpad_unicode_code() -> None:
    alt = held(E.KEY_LEFTALT, *tap(E.KEY_KP2, E.KEY_KP0, E.KEY_KP0, E.KEY_KP1, E.KEY_KP3))
    assert run([*alt, *tap(E.KEY_ENTER)]) == ["中"]  # 20013 = U+4E2D


def test_ctrl_right_bracket_is_group_separator() -> None:
    gs = held(E.KEY_LEFTCTRL, *tap(E.KEY_RIGHTBRACE))
    events = [*tap(E.KEY_1, E.KEY_0), *gs, *tap(E.KEY_2, E.KEY_1, E.KEY_ENTER)]
    assert run(events) == ["10\x1d21"]


def test_aim_prefix_typed_through_keys() -> None:
    events = tap(E.KEY_RIGHTBRACE) + held(E.KEY_LEFTSHIFT, *tap(E.KEY_C)) + tap(E.KEY_1, E.KEY_0)
    assert run([*events, *tap(E.KEY_ENTER)]) == ["]C10"]


def test_empty_enter_and_non_key_events_give_nothing() -> None:
    events = [ev(E.REL_X, 5, E.EV_REL), ev(E.MSC_SCAN, 458792, E.EV_MSC), *tap(E.KEY_ENTER)]
    assert run(events) == []


def test_codes_in_a_row_and_reset() -> None:
    dec = KeyDecoder()
    assert run(tap(E.KEY_1, E.KEY_ENTER, E.KEY_2, E.KEY_TAB), dec) == ["1", "2"]
    run([ev(E.KEY_LEFTSHIFT, 1), *tap(E.KEY_3)], dec)
    dec.reset()  # device unplugged mid-code with shift held
    assert run(tap(E.KEY_A, E.KEY_ENTER), dec) == ["a"]
