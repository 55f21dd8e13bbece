"""Every CLI failure is one line on stderr and a non-zero exit: never a traceback."""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from pickpack.cli import build_parser, main
from pickpack.cli.language import speak
from tests.conftest import upgraded_store

# Commands that open a terminal app or serve forever even when all is well: a bad store
# stops them before that, which is what is checked; `demo` makes its own store and is left out.
LEFT_OUT = {("demo",)}


def _leaves(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> Iterator[
        tuple[tuple[str, ...], argparse.ArgumentParser]]:
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        yield path, parser
        return
    for name, child in subs[0].choices.items():
        yield from _leaves(child, (*path, name))


def _positionals(parser: argparse.ArgumentParser, tmp_path: Path) -> list[str]:
    """A plausible value for each required positional: a choice, a file that exists, a code."""
    values: list[str] = []
    for action in parser._actions:
        if action.option_strings or isinstance(action, argparse._SubParsersAction):
            continue
        if action.choices:
            values.append(str(next(iter(action.choices))))
        elif action.nargs in ("?", "*"):
            continue
        else:
            count = action.nargs if isinstance(action.nargs, int) else 1
            values.extend([str(tmp_path / "some.csv")] * count)
    return values


def _one_line(err: str) -> None:
    lines = [line for line in err.splitlines() if line.strip()]
    assert "Traceback" not in err, err
    assert len(lines) <= 1, err


COMMANDS = [path for path, _ in _leaves(build_parser()) if path not in LEFT_OUT]


@pytest.fixture(params=["en_US.UTF-8", "zh_CN.UTF-8"], ids=["en", "zh"])
def lang(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Each walk in English and in Chinese: the Chinese messages are one line too."""
    monkeypatch.setenv("LANG", request.param)
    yield request.param
    speak("en")  # the tests after this one speak English


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_every_command_refuses_a_malformed_store_url_in_one_line(
        path: tuple[str, ...], lang: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # a command that reads stdin meets its end
    (tmp_path / "some.csv").write_text("订单编号\n1\n", encoding="utf-8")
    cfg = tmp_path / "bad.toml"
    cfg.write_text('[store]\nurl = "postgresql+psycopg://db-host:abc/wh"\n', encoding="utf-8")
    parser = dict(_leaves(build_parser()))[path]
    try:
        code = main(["--config", str(cfg), *path, *_positionals(parser, tmp_path)])
    except SystemExit as exc:  # argparse: usage and one error line, exit 2
        code = exc.code if isinstance(exc.code, int) else 2
    err = capsys.readouterr().err
    if "usage:" not in err and "用法：" not in err:  # argparse: usage, then its one error line
        _one_line(err)
    if code != 0:
        assert err.strip(), f"{' '.join(path)} failed with nothing on stderr"


def test_a_malformed_store_url_names_the_url_and_the_fault(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = tmp_path / "bad.toml"
    cfg.write_text('[store]\nurl = "postgresql+psycopg://db-host:abc/wh"\n', encoding="utf-8")
    assert main(["--config", str(cfg), "order", "list"]) == 2
    err = capsys.readouterr().err
    _one_line(err)
    assert "bad store URL" in err and "port is not a number" in err


def test_a_store_never_upgraded_is_refused_not_created(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / "typo.db"
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[store]\nurl = "sqlite:///{store}"\n', encoding="utf-8")
    assert main(["--config", str(cfg), "order", "list"]) == 2
    err = capsys.readouterr().err
    _one_line(err)
    assert "run `pickpack db upgrade`" in err and str(store) in err
    assert not store.exists(), "the refused store must not be created"
    assert main(["--config", str(cfg), "db", "upgrade"]) == 0
    assert main(["--config", str(cfg), "order", "list"]) == 0


def test_a_closed_pipe_ends_quietly(tmp_path: Path, shared_data: Path) -> None:
    """`pickpack order list | head -1`: the reader went away; no BrokenPipe traceback."""
    store = upgraded_store(tmp_path / "pp.db")
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[store]\nurl = "sqlite:///{store}"\n', encoding="utf-8")
    pickpack = [sys.executable, "-m", "pickpack.cli", "--config", str(cfg)]
    exports = sorted(str(p) for p in (shared_data / "taobao").iterdir())
    subprocess.run([*pickpack, "import", "catalog", str(shared_data / "catalog.csv")],
                   check=True, capture_output=True)
    subprocess.run([*pickpack, "import", "orders", *exports], check=True, capture_output=True)
    listed = subprocess.run([*pickpack, "order", "list"], check=True, capture_output=True)
    assert listed.stdout.count(b"\n") >= 2, "the listing to cut short has rows"
    proc = subprocess.Popen([*pickpack, "order", "list"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    assert proc.stdout is not None
    proc.stdout.close()  # before the command has started: every write meets a closed pipe
    _, err = proc.communicate(timeout=60)
    assert b"Traceback" not in err and b"Exception ignored" not in err, err.decode()
    assert proc.returncode == 141
