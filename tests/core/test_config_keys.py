"""``[keys]``: a station's keys moved from config.toml, checked whole when the file is read."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from pickpack import keymap
from pickpack.config import ConfigError, load_config, parse_config


def refused(data: dict[str, object]) -> str:
    with pytest.raises(ConfigError) as err:
        parse_config({"keys": data}, "site.toml")
    text = str(err.value)
    assert "\n" not in text and "Traceback" not in text
    return text


def test_a_key_moved_at_every_station_and_at_one() -> None:
    cfg = parse_config({"keys": {"logout": "F1", "verify": {"undo": "ctrl+r", "logout": "ins"}}})
    assert cfg.keys.keymap("verify") == {"logout": "insert", "undo": "ctrl+r"}  # the station's
    assert cfg.keys.keymap("pick") == {"logout": "f1"}  # F1 as Textual names it
    assert cfg.keys.keymap(None) == {}  # the chooser has no logout


def test_no_keys_table_moves_nothing() -> None:
    cfg = parse_config({})
    assert all(cfg.keys.keymap(mode) == {} for mode in (None, *keymap.OWN))


def test_a_key_moved_off_frees_its_old_key_for_another() -> None:
    cfg = parse_config({"keys": {"verify": {"undo": "f11", "reset": "f3"}}})
    assert cfg.keys.keymap("verify") == {"undo": "f11", "reset": "f3"}


@pytest.mark.parametrize(("key", "why"), [
    ("ctrl+s", "flow control (XOFF)"), ("ctrl+q", "flow control (XON)"),
    ("ctrl+z", "suspend"), ("ctrl+c", "interrupt"), ("ctrl+\\", "quit signal"),
    ("ctrl+m", "as Enter"), ("ctrl+i", "as Tab"), ("ctrl+h", "as Backspace"),
    ("ctrl+j", "as Enter"), ("ctrl+b", "tmux"), ("ctrl+a", "GNU screen"),
])
def test_a_chord_a_terminal_swallows_is_refused_with_why(key: str, why: str) -> None:
    text = refused({"verify": {"undo": key}})
    spelled = json.dumps(key)  # as TOML spells it: "ctrl+\\"
    assert text.startswith(f"site.toml: [keys.verify] undo = {spelled}: ") and why in text


@pytest.mark.parametrize(("key", "why"), [
    ("x", "part of a scan"), ("7", "part of a scan"), ("enter", "scan entry"),
    ("ctrl+x", "the scan entry keeps it (cut)"), ("alt+f2", "Linux console"),
])
def test_a_key_the_scanner_or_the_entry_needs_is_refused(key: str, why: str) -> None:
    text = refused({"logout": key})
    assert text.startswith(f'site.toml: [keys] logout = "{key}": ') and why in text


@pytest.mark.parametrize("key", ["f13", "ctrl+shift+x", "super+f2", "ctrl+", "", "fx"])
def test_an_invalid_key_name_is_one_line_naming_the_key(key: str) -> None:
    text = refused({"stations": key})
    assert text.startswith(f'site.toml: [keys] stations = "{key}": ') and "F1–F12" in text


def test_an_unknown_action_is_one_line_naming_it_and_the_file() -> None:
    assert refused({"manual_entry": "f1"}).startswith("site.toml: [keys] manual_entry: no such key")
    text = refused({"verify": {"close": "f1"}})  # ship's, not verify's
    assert text.startswith("site.toml: [keys.verify] close: no such key here") and "undo" in text
    assert refused({"kitchen": {"undo": "f4"}}).startswith(
        "site.toml: [keys.kitchen]: no such station")
    assert refused({"logout": 11}).startswith('site.toml: [keys] logout: a key name in quotes')


def test_two_actions_on_one_key_are_refused() -> None:
    assert refused({"verify": {"undo": "f4"}}) == (
        "site.toml: [keys] at verify, undo and reset would both be on f4: one key does one thing")
    # [keys] moves logout everywhere: at pick it lands on "Pick done"
    assert "at pick, logout and done would both be on f3" in refused({"logout": "f3"})
    assert "at desk, quit and hold would both be on f4" in refused({"desk": {"quit": "f4"}})
    assert "at desk, logout and register would both be on f11" in refused({"logout": "f11"})


def test_the_file_is_named_as_given(tmp_path: Path) -> None:
    path = tmp_path / "station.toml"
    path.write_text('[keys.pack]\n"carton-s" = "ctrl+s"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert str(err.value).startswith(f'{path}: [keys.pack] carton-s = "ctrl+s": ctrl+s cannot')


def test_every_default_key_is_one_a_station_may_be_given() -> None:
    """The defaults pass the same check: none is a chord a terminal swallows (the quit key was
    ctrl+q, XON, until [keys] came)."""
    for mode in (None, *keymap.OWN):
        for key_id, key in keymap.defaults(mode).items():
            assert keymap.key_name(key) == key, (mode, key_id)
        assert keymap.clash(mode, {}) is None


def test_the_example_in_config_toml_loads_once_uncommented() -> None:
    text = (Path(__file__).parents[2] / "config.toml").read_text(encoding="utf-8")
    block = text[text.index("# [keys]"):].splitlines()
    lines = [line.removeprefix("# ").split("  #")[0] for line in block if line.startswith("# ")]
    cfg = parse_config(tomllib.loads("\n".join(lines)))
    assert cfg.keys.keymap("verify") == {"logout": "f1", "undo": "ctrl+r"}
