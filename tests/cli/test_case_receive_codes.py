"""`pickpack return receive CODE`: at the returns station a code the store does not know is a
return parcel's tracking number, but only a code shaped like one (issue 18.1): an item barcode,
a badge or a string with control characters is refused in one line, at the command line as at
the station (the core decides)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_case_cli import cfg_file, run  # noqa: F401 - the fixture

MUG = "6952890786660"


def test_an_unknown_tracking_shaped_code_is_an_unregistered_return(
        cfg_file: Path, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: F811
    assert run(cfg_file, "return", "receive", "SF1399999999999", "--item", f"{MUG}:restock",
               "--json") == 0
    done = json.loads(capsys.readouterr().out)
    assert done["tracking_no"] == "SF1399999999999" and done["case"]


@pytest.mark.parametrize("code", [MUG, "OP1001", "B901", "SF13\x1b[2J99999", "hello world"])
def test_a_code_that_is_no_tracking_number_is_refused_in_one_line(
        cfg_file: Path, capsys: pytest.CaptureFixture[str], code: str) -> None:  # noqa: F811
    assert run(cfg_file, "return", "receive", code, "--item", f"{MUG}:restock") != 0
    out = capsys.readouterr()
    lines = out.err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in out.err and "\x1b" not in out.err, out.err
    assert "tracking number" in lines[0] or "is an item" in lines[0], lines[0]
    assert run(cfg_file, "return", "list", "--json") == 0
    assert json.loads(capsys.readouterr().out) == []  # nothing opened for it


def test_the_refusal_is_chinese_on_zh_cn(cfg_file: Path,  # noqa: F811
                                         capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert run(cfg_file, "return", "receive", "OP1001", "--item", f"{MUG}:restock") != 0
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "OP1001" in err
    assert not any(w in err.replace("OP1001", "") for w in ("tracking", "code", "return")), err
