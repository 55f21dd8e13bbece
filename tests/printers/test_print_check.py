"""`pickpack print check`: the fonts raster lines use, and a warning when none has Chinese."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from printers import fonts
from printers.fonts import FontChain, read_face

from .test_cli_print import run

DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
DROID = "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"


def test_check_names_the_fonts(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(fonts.FONT_ENV, DROID)
    assert run("print", "check") == 0
    out, err = capsys.readouterr()
    han, ascii_line = out.splitlines()[:2]
    assert han.startswith("Han and other wide characters: Droid Sans Fallback") and "[no Latin]" in han
    assert "WenQuanYi Micro Hei" in han and "DejaVu Sans" in ascii_line
    assert err == "" and "no font draws" not in out
    assert run("print", "check", "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["cjk"][0]["path"] == DROID and data["missing"] == ""


def test_check_warns_when_no_font_has_chinese(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    latin = read_face(DEJAVU)
    assert latin is not None, f"{DEJAVU}: make test installs fonts-dejavu-core"
    monkeypatch.setattr(fonts, "font_chain", lambda: FontChain((), (latin,)))
    assert run("print", "check") == 0  # the printers' own Chinese font prints most text
    out, err = capsys.readouterr()
    assert "Han and other wide characters: none" in out and "no font draws: 收件人：张三订单号￥" in out
    assert err.startswith("pickpack: warning: no font with Chinese glyphs") and err.count("\n") == 1
    config = tmp_path / "raster.toml"
    config.write_text("[printers]\nchinese = false\n", encoding="utf-8")
    monkeypatch.setenv("PICKPACK_CONFIG", str(config))
    assert run("print", "check") == 1  # every slip is raster: its Chinese would be boxes
    assert "every slip prints as raster" in capsys.readouterr().out
