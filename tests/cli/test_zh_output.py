"""The CLI's output in Chinese (field test): with ``language = "zh_CN"`` the lines a command
prints on a real store — imports, release, order list, reports, waves — show no English word a
person would have to read (the word check of tests/cli/test_zh_cli.py). JSON and CSV keep
machine names; these are the text lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from pickpack.cli import main
from tests.cli.test_zh_cli import _english


def _config(tmp_path: Path) -> Path:
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[store]\nurl = "sqlite:///{tmp_path / "pp.db"}"\n'
                   f'[printers]\nexpress = "preview://{tmp_path / "slips"}"\n'
                   f'packing = "preview://{tmp_path / "slips"}"\n'
                   '[station]\nid = "D1"\nlanguage = "zh_CN"\n', encoding="utf-8")
    return cfg


def _run(cfg: Path, capsys: pytest.CaptureFixture[str], *args: str, code: int = 0) -> str:
    assert main(["--config", str(cfg), *args]) == code
    out = capsys.readouterr()
    return out.out + out.err


def test_imports_say_their_counts_in_chinese(
        tmp_path: Path, shared_data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = _config(tmp_path)
    _run(cfg, capsys, "db", "upgrade")
    taobao = shared_data / "taobao"
    for args in (("catalog", str(shared_data / "catalog.csv")),
                 ("waybills", str(shared_data / "waybills.csv")),
                 ("orders", str(taobao / "ExportOrderList.csv"),
                  str(taobao / "ExportOrderDetailList.csv"))):
        said = _run(cfg, capsys, "import", *args)
        assert said.strip() and _english(said) == [], said


def test_a_refused_import_says_so_in_chinese(
        tmp_path: Path, shared_data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = _config(tmp_path)
    _run(cfg, capsys, "db", "upgrade")
    said = _run(cfg, capsys, "import", "orders", str(shared_data / "catalog.csv"), code=1)
    assert "catalog.csv" in said
    first = said.splitlines()[0]
    assert _english(first) == [], first
