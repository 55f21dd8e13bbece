"""Every CLI command walked in Chinese on the demo warehouse (issue 20 §1): with
``language = "zh_CN"`` what each command prints — its lines, its refusals, its one-line errors —
shows no English word a person would have to read (the word check of tests/cli/test_zh_cli.py).
One demo store is built for the module; the walk runs in order, each step on what the steps
before left (a wave built, then shown, printed and closed). ``--json`` keeps machine names."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path

import pytest

from pickpack.cli import build_parser, main
from pickpack.cli.language import speak
from pickpack.config import parse_config
from pickpack.core.context import Floor
from pickpack.core.flows import make_flow
from pickpack.demo import DEMO_PIN, build_demo
from pickpack.scan import Scan
from tests.cli.test_zh_cli import _english

HELD = "3907234978540457883"  # held for its remark (赠品)
URGENT = "3942979805729107894"  # held for its remark (加急)
PACKED = "3929131709053302770"  # moved along by the demo: picked, verified, packed
READY = ["3985822710882982409", "3928753613820398875", "3987845854144643684",
         "3993534772590283988", "3933188322839236546", "3994336518971386739"]

WALK: list[tuple[str, int]] = [
    ("release", 0), ("order list", 0), ("order list --state held", 0), ("order list --state x1", 0),
    (f"order show {HELD}", 0), (f"order show {PACKED}", 0), ("order show 9999", 1),
    (f"order hold {READY[0]} --reason BUYER", 0), (f"order hold {READY[0]} --reason BUYER", 1),
    (f"order release {READY[0]} --reason BUYER", 0),
    (f"order cancel {READY[1]} --reason BUYER --supervisor OP9001", 0),
    (f"order ack {URGENT} --dry-run", 0), (f"order ack {URGENT}", 0),
    (f"order edit {READY[2]} --reason BUYER --city 杭州市", 0),
    (f"order merge {READY[3]} {READY[4]}", 1), (f"order split {READY[5]} --lines 1", 1),
    ("order release 9999 --reason BUYER", 2),
    ("courier pools", 0), ("courier proposals", 0), (f"courier pickup {READY[0]}", 0),
    ("courier incident 9999", 2),
    ("report today", 0), ("report late", 0), ("report floor", 0), ("report errors", 0),
    ("report cutoff", 0), ("report aftersales", 0), ("report productivity", 0),
    ("report shipped", 0), ("report weights", 0), ("report overrides", 0), ("report couriers", 0),
    ("report shipped --day 2026-13-01", 2), ("report weights --days 0", 2), ("report x1", 2),
    ("export shipped", 0), ("export x1", 2),
    (f"print express {PACKED}", 0), (f"print packing {PACKED}", 0), ("print express 9999", 1),
    ("print commands --station verify", 0), ("print slips --limit 2", 0), ("devices list", 0),
    ("scanner test --source x1", 2), ("scale read --port sim --timeout 0.5", 0),
    ("operator add OP1005 小周 --role picker --supervisor OP9001", 0),
    ("operator add OP1005 小周 --role picker --supervisor OP9001", 2), ("operator list", 0),
    ("operator role OP1005 packer --supervisor OP9001", 0),
    ("operator disable OP1005 --supervisor OP9001", 0),
    ("operator enable OP1005 --supervisor OP9001", 0), ("operator badges OP1005", 0),
    ("operator badges OP9999", 2), ("operator disable OP9999 --supervisor OP9001", 2),
    (f"scan {PACKED}", 0), ("scan CMD:DONE", 0), ("scan OP1001", 0), ("scan QX-7", 1),
    ("stock show", 0), ("stock show P06-01", 0), ("stock show --short", 0), ("stock show P99-99", 1),
    ("stock adjust P06-01 +2 --reason found --operator OP1001", 1),
    ("stock adjust P06-01 +2 --reason found --operator OP1001 --supervisor OP9001", 0),
    ("stock adjust P06-01 +2 --reason x1 --operator OP1001", 2),
    ("stock count A-01-01 6936671276847 --operator OP1001", 0),
    ("stock decide 9999 x1 --operator OP9001", 2),
    ("policy show barcodes", 0), ("policy set floor.x1 1 --supervisor OP9001", 2),
    ("policy set store.url 1 --supervisor OP9001", 2),
    ("policy set floor.bulk_units 8 --supervisor OP9001", 0),
    ("wave build", 0), ("wave list", 0), ("wave show W000001", 0), ("wave print W000001", 0),
    ("wave close W000001", 0), ("wave show W999999", 1), ("sync conflicts", 0),
    ("run --station x1", 2), ("demo --prepare-only", 0),
]
"""Each command line with the exit it ends with: what it does, then its refusals. A value
typed wrong is a code (x1, 9999), which the check lets through as typed."""
NOT_WALKED = {
    "scale read --port /dev/nonexist": "pickpack/devices/scale: the port's status in English",
    "print check": "font names are the machine's (tests/cli/test_zh_output.py checks its words)",
}
"""Command lines left out of the walk, each with why (the owner of the file named fixes it)."""
DATA_WORDS = {"POLO", "ml",  # in the demo catalog's product names (男士休闲POLO衫, 500ml)
              "OP"}  # a barcode pattern's own letters (policy show: OP\d{3,6})
DEVICE_WORDS = {"ST", "GS"}  # the simulated scale's raw frame (ST,GS,+   0.000kg), as it sent it


@pytest.fixture(scope="module")
def demo_cfg(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo warehouse built once, and a Chinese station's config on its store."""
    root = tmp_path_factory.mktemp("demo")
    demo = build_demo(root / "pickpack-demo", parse_config({"station": {"language": "zh_CN"}}))
    verify = make_flow(Floor(demo.engine, demo.cfg), "verify", "DEMO")  # errors to report
    for code in ("OP2001", demo.examples["verify"][0], "QX-7", "CMD:CARTON:M"):
        verify.handle(Scan(code, source="test"))
    demo.engine.dispose()
    cfg = root / "config.toml"
    cfg.write_text(f'[store]\nurl = "{demo.cfg.store.url}"\n'
                   f'[printers]\nexpress = "preview://{root / "slips"}"\n'
                   f'packing = "preview://{root / "slips"}"\n'
                   '[station]\nid = "D1"\nlanguage = "zh_CN"\n', encoding="utf-8")
    return cfg


@pytest.fixture
def floor(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    monkeypatch.setenv("PICKPACK_PIN", DEMO_PIN)  # the demo supervisor's, for --supervisor
    for name in ("LOGNAME", "USER", "LNAME", "USERNAME"):  # the clerk at the desk
        monkeypatch.setenv(name, "小王")
    monkeypatch.chdir(tmp_path)  # `export shipped` and the like write where they are run
    yield
    speak("en")


def _leaves(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> Iterator[str]:
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        yield " ".join(path)
    for name, child in (subs[0].choices.items() if subs else ()):
        yield from _leaves(child, (*path, name))


def test_the_walk_reaches_every_command() -> None:
    """A command added to the CLI is walked too (or said here why not)."""
    lines = [line for line, _code in WALK] + list(NOT_WALKED)
    walked = {" ".join(line.split()[:2]) for line in lines} | {line.split()[0] for line in lines}
    others = {"board", "import", "db upgrade",  # the demo builds its store through them
              "print picklist", "print manifest", "stock export", "operator pin",
              "wave handback", "case", "return"}  # checked elsewhere, or the other helper's
    left = [c for c in _leaves(build_parser()) if c not in walked
            and c.split()[0] not in others and c not in others]
    assert left == [], left


@pytest.mark.parametrize(("line", "code"), WALK, ids=[line for line, _c in WALK])
def test_every_command_speaks_chinese(line: str, code: int, demo_cfg: Path, floor: None,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    try:
        said = main(["--config", str(demo_cfg), *line.split()])
    except SystemExit as exc:  # argparse's refusal: usage and one error line
        said = exc.code if isinstance(exc.code, int) else 2
    out = capsys.readouterr()
    text = out.out + out.err
    assert said == code, (line, text)
    assert "Traceback" not in text
    if code and "用法：" not in out.err:  # a refusal is one line (argparse's: usage, then one)
        assert len(out.err.strip().splitlines()) <= 1, (line, out.err)
    left = [w for w in _english(text) if w not in DATA_WORDS | DEVICE_WORDS]
    assert left == [], (line, text)
