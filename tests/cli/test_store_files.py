"""A store file that is not a store, or a store path whose folder is missing: one line naming
the file, at every command and at a station's start, never a traceback, never a new file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pickpack.cli import main
from pickpack.cli.language import speak


def _config(tmp_path: Path, store: Path) -> Path:
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[store]\nurl = "sqlite:///{store}"\n', encoding="utf-8")
    return cfg


def _refused(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err, err
    assert len([line for line in err.splitlines() if line.strip()]) == 1, err
    return err


@pytest.mark.parametrize("command", [["order", "list"], ["db", "upgrade"],
                                     ["run", "--station", "verify"]], ids=" ".join)
def test_a_file_that_is_not_a_database_is_named_in_one_line(
        command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / "pickpack.db"
    damaged = os.urandom(5000)
    store.write_bytes(damaged)
    err = _refused(["--config", str(_config(tmp_path, store)), *command], capsys)
    assert str(store) in err and "not a SQLite database" in err and "backup" in err
    assert store.read_bytes() == damaged, "the damaged file is left as it was, for recovery"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("pickpack.db")] == [
        "pickpack.db"], "no backup copy, WAL or journal made of a file that is not a store"


@pytest.mark.parametrize("command", [["order", "list"], ["db", "upgrade"]], ids=" ".join)
def test_a_store_in_a_folder_that_is_not_there_names_the_folder(
        command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / "nodir" / "x.db"
    err = _refused(["--config", str(_config(tmp_path, store)), *command], capsys)
    assert str(store.parent) in err and "does not exist" in err
    assert "db upgrade" not in err, "upgrading could not make it either: don't send them there"
    assert not store.parent.exists()


def test_the_damaged_file_line_in_chinese(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    store = tmp_path / "pickpack.db"
    store.write_bytes(b"hello, not a database" * 50)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    try:
        err = _refused(["--config", str(_config(tmp_path, store)), "order", "list"], capsys)
    finally:
        speak("en")
    assert str(store) in err and "不是 SQLite 数据库" in err


def test_a_store_that_does_not_answer_is_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """psycopg's own message is two lines ("…Connection refused" + "Is the server running…"):
    the station's start and every command say it on one."""
    cfg = tmp_path / "config.toml"
    cfg.write_text('[store]\nurl = "postgresql+psycopg://postgres@127.0.0.1:9/test"\n'
                   f'journal = "{tmp_path / "journal.db"}"\n', encoding="utf-8")
    for command in (["order", "list"], ["run", "--station", "verify"]):
        err = _refused(["--config", str(cfg), *command], capsys)
        assert "127.0.0.1:9/test" in err and "unreachable" in err
