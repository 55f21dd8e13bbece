"""Control characters from imports never reach a terminal raw (issue 14.2): printed text shows
them (ESC as ␛), JSON escapes every character a terminal acts on and still reads back the same."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pickpack.cli import main
from pickpack.core.tables import ORDERS
from pickpack.store import open_store
from pickpack.text import json_text, visible, visible_lines
from tests.conftest import make_config
from tests.core.floorkit import seed

HOSTILE = "\x1b]0;pwned\x07\x1b[2J\x1b[31mRED\x9b31m\u2028\u202e"
RAW = ("\x1b", "\x07", "\x9b", "\u2028", "\u202e")


def test_visible_shows_every_control_character() -> None:
    assert visible("a\x1b[2Jb") == "a␛[2Jb"
    assert visible("\x00\x07\n\r\t\x7f") == "␀␇␊␍␉␡"
    assert visible("x\x9by\u2028z\u202e") == "x\\u009by\\u2028z\\u202e"
    assert visible("张三 [/] O'Brien") == "张三 [/] O'Brien"
    assert visible_lines("a\nb\tc\x1b") == "a\nb\tc␛"


@given(st.text())
def test_visible_and_json_never_carry_a_control_character(text: str) -> None:
    for shown in (visible(text), json_text({"name": text})):
        assert not any(ord(c) < 0x20 and c != "\n" or 0x7F <= ord(c) <= 0x9F
                       or c in "\u2028\u2029\u202a\u202b\u202c\u202d\u202e" for c in shown)
    assert json.loads(json_text({"name": text})) == {"name": text}


@pytest.fixture
def cfg(tmp_path: Path) -> Path:
    engine = open_store(make_config(tmp_path), create=True)
    seed(engine, orders=1)
    with engine.begin() as conn:
        conn.execute(ORDERS.update().values(receiver_name=HOSTILE, buyer_remark=HOSTILE))
    engine.dispose()
    path = tmp_path / "config.toml"
    path.write_text(f'[store]\nurl = "sqlite:///{tmp_path / "pp.db"}"\n', encoding="utf-8")
    return path


@pytest.mark.parametrize("args", [["order", "list"], ["order", "show", "3900000000000000000"]])
def test_order_commands_print_escapes_visible(cfg: Path, capsys: pytest.CaptureFixture[str],
                                              args: list[str]) -> None:
    assert main(["--config", str(cfg), *args]) == 0
    out = capsys.readouterr().out
    assert not any(c in out for c in RAW), out
    assert "␛]0;pwned␇␛[2J␛[31mRED" in out


@pytest.mark.parametrize("args", [["order", "list", "--json"],
                                  ["order", "show", "3900000000000000000", "--json"]])
def test_order_json_escapes_and_reads_back(cfg: Path, capsys: pytest.CaptureFixture[str],
                                           args: list[str]) -> None:
    assert main(["--config", str(cfg), *args]) == 0
    out = capsys.readouterr().out
    assert not any(c in out for c in RAW), out
    data = json.loads(out)
    order = data[0] if isinstance(data, list) else data
    assert order["receiver_name"] == HOSTILE


def test_error_line_shows_escapes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad\x1b[2J.toml"
    bad.write_text("[store\n", encoding="utf-8")
    assert main(["--config", str(bad), "order", "list"]) == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err and "bad␛[2J.toml" in err


def test_operator_list_shows_escapes(cfg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--config", str(cfg), "operator", "add", "OP7777", "x\x1b[2Jy", "--role",
                 "picker"]) == 0
    assert main(["--config", str(cfg), "operator", "list"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "x␛[2Jy" in out
