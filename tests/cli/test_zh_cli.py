"""The CLI in Chinese (issue 20 §1): under ``LANG=zh_CN.UTF-8`` every command's ``--help`` and
its error for bad input show no English word a person would have to read. What may stay ASCII:
what a person types (command and option names, metavars, choices, config keys and codes), the
word check of the stations' screens (tests/stations/test_zh_screens.py) decides the rest."""

from __future__ import annotations

import argparse
import typing
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import BaseModel

from pickpack.cli import build_parser, main
from pickpack.config import Config
from pickpack.core.aftersales.returns import GRADES
from pickpack.core.operators import ROLES
from tests.stations.test_zh_screens import WORD, english_words

TYPED = {
    "pickpack",  # the command itself
    "SKU", "JSON", "CSV", "csv", "xlsx", "URL", "ASCII", "CJK",  # names of formats and codes
    "AIM",  # the scanner's symbology prefix (]C1), as scanner manuals print it
    "evdev", "pyserial", "udev", "dialout",  # the Linux pieces a scanner or scale goes through
    "Ctrl+C", "Ctrl+D",  # keys
    "sim", "true",  # values typed as they are (--port sim, JSON true)
    "ExportOrderList", "ExportOrderDetailList",  # the names of Taobao's export files
    "sku", "name", "attributes", "barcodes", "price", "components",  # the catalog file's column names
}
"""ASCII words a zh_CN CLI text may show besides the parser's own names, each for its reason."""


def _nodes(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> Iterator[
        tuple[tuple[str, ...], argparse.ArgumentParser]]:
    """Every command and sub-command (groups too), with its parser."""
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                yield from _nodes(child, (*path, name))


def _config_keys(model: type[BaseModel]) -> set[str]:
    keys: set[str] = set()
    for name, field in model.model_fields.items():
        keys.add(name)
        for kind in (field.annotation, *typing.get_args(field.annotation)):
            if isinstance(kind, type) and issubclass(kind, BaseModel):
                keys |= _config_keys(kind)
    return keys


def _parser_words(parser: argparse.ArgumentParser) -> set[str]:
    """What a person types at this CLI: command names, options, metavars, dests, choices."""
    words: set[str] = set()
    for _path, node in _nodes(parser):
        words |= set(WORD.findall(node.prog))
        for action in node._actions:
            shown = [*action.option_strings, action.dest, action.dest.upper(),
                     str(action.metavar or "")]
            shown += [str(c) for c in action.choices or ()]
            for text in shown:
                words |= {w.rstrip(":.-/") for w in WORD.findall(text)}
    return words


PARSER = build_parser()
NODES = [path for path, _ in _nodes(PARSER)]
ALLOWED = _parser_words(PARSER) | _config_keys(Config) | TYPED | set(ROLES) | set(GRADES)
"""Role names and return grades are typed as they are (``--role picker,clerk``, ``BARCODE:scrap``)."""


def _english(text: str) -> list[str]:
    return [w for w in english_words(text) if w not in ALLOWED]


def test_the_check_catches_an_english_help_text() -> None:
    """The check is worth something: the names a person types pass, an English sentence fails."""
    assert _english("用法：pickpack order hold --reason CODE  放行挂起的订单") == []
    assert _english("put an order aside with a reason") == ["put", "an", "aside", "with"]


@pytest.fixture
def zh(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    yield
    from pickpack.cli.language import speak

    speak("en")  # the tests after this one speak English


@pytest.mark.parametrize("path", NODES, ids=lambda p: " ".join(p) or "pickpack")
def test_every_command_helps_and_refuses_in_chinese(
        path: tuple[str, ...], zh: None, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main([*path, "--help"])
    assert done.value.code == 0
    helped = capsys.readouterr().out
    assert "用法：" in helped and _english(helped) == [], helped
    with pytest.raises(SystemExit) as refused:
        main([*path, "--no-such-option"])
    assert refused.value.code == 2
    err = capsys.readouterr().err
    assert "错误：" in err and "Traceback" not in err and _english(err) == [], err


def test_the_language_of_the_config_wins_over_the_locale(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``[station] language = "zh_CN"`` speaks Chinese under an English locale (and back)."""
    cfg = tmp_path / "config.toml"
    cfg.write_text('[station]\nlanguage = "zh_CN"\n', encoding="utf-8")
    with pytest.raises(SystemExit):
        main(["--config", str(cfg), "--help"])
    assert "仓库终端" in capsys.readouterr().out
    cfg.write_text('[station]\nlanguage = "en"\n', encoding="utf-8")
    with pytest.raises(SystemExit):
        main(["--config", str(cfg), "wave", "--help"])
    assert "waves: batches of ready orders" in capsys.readouterr().out
