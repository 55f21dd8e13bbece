"""The after-sales CLI walked in zh_CN with good and bad input (issue 18.4): every failure is
one line naming what and where, never a traceback, and no English word is left outside codes
(SKUs, order and tracking numbers, badges, option names, the command's own name)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pickpack.cli.operators import os_user
from tests.cli.test_case_cli import cfg_file, run  # noqa: F401 - the fixture

MUG = "6952890786660"
ORDER = "3900000000000000000"


def english(text: str) -> list[str]:
    """Latin words once codes, option names, config keys, commands to type, paths and the OS
    user are taken out."""
    text = re.sub(r"pickpack(?: [a-z]+)+|case (?:solve|reship)|\[\w+\] \w+|\w+_\w+", " ", text)
    text = text.replace("pickpack", " ").replace(os_user(), " ")
    text = re.sub(r"--[\w\-]+|/[\w/.\-]+|[\w\-.:]*\d[\w\-.:]*|[A-Z][A-Z_\-]*", " ", text)
    return re.findall(r"[a-z]{3,}", text)


WALK: list[tuple[tuple[str, ...], bool]] = [
    (("case", "open", "short", ORDER, "--claim", "少一个杯子", "--item", "MUG-WH:1"), True),
    (("case", "open", "short", "NOPE123"), False),
    (("case", "open", "short", ORDER, "--item", "MUG-WH:x"), False),
    (("case", "show", "C1"), True),
    (("case", "show", "C99"), False),
    (("case", "show", "x1"), False),
    (("case", "list", "--state", "all"), True),
    (("case", "solve", "1", "--solution", "补发", "--responsible", "OP1001"), False),
    (("case", "solve", "1", "--solution", "补发"), True),
    (("case", "close", "1"), True),
    (("case", "close", "99"), False),
    (("return", "register", ORDER, "--tracking", "SF1300000000001", "--item", "MUG-WH:1"), True),
    (("return", "register", "NOPE"), False),
    (("return", "receive", "SF1300000000001", "--item", f"{MUG}:restock"), True),
    (("return", "receive", "SF1399999999999", "--item", f"{MUG}:quarantine"), True),
    (("return", "receive", "OP1001", "--item", MUG), False),
    (("return", "receive", "SF13\x1b[2J99", "--item", MUG), False),
    (("return", "list"), True),
    (("return", "refunds"), True),
    (("return", "refunds", "--out", "/nonexistent/dir/r.xlsx"), False),
    (("return", "intercept", ORDER, "--failed"), False),
    (("return", "intercepts"), True),
    (("report", "aftersales"), True),
    (("report", "aftersales", "--day", "2026-13-01"), False),
    (("report", "aftersales", "--xlsx", "/nonexistent/a.xlsx"), False),
]


def test_the_after_sales_cli_in_chinese(cfg_file: Path,  # noqa: F811
                                        capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    for args, good in WALK:
        code = run(cfg_file, *args)
        out = capsys.readouterr()
        said = f"{args}: {code} {out.out!r} {out.err!r}"
        assert (code == 0) == good, said
        assert "Traceback" not in out.err and "\x1b" not in out.out + out.err, said
        if not good:
            assert len(out.err.strip().splitlines()) == 1, said
        assert english(out.out + out.err) == [], said
