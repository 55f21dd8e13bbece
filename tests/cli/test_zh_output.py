"""The CLI's output in Chinese (field test): with ``language = "zh_CN"`` the lines a command
prints on a real store — imports, release, order list, reports, waves — show no English word a
person would have to read (the word check of tests/cli/test_zh_cli.py). JSON and CSV keep
machine names; these are the text lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from pickpack.cli import main
from tests.cli.test_case_cli import cfg_file  # noqa: F401 - the fixture
from tests.cli.test_zh_cli import _english


def _config(tmp_path: Path) -> Path:
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[store]\nurl = "sqlite:///{tmp_path / "pp.db"}"\n'
                   f'[printers]\nexpress = "preview://{tmp_path / "slips"}"\n'
                   f'packing = "preview://{tmp_path / "slips"}"\n'
                   '[station]\nid = "D1"\nlanguage = "zh_CN"\n', encoding="utf-8")
    return cfg


def _run(cfg: Path, capsys: pytest.CaptureFixture[str], *args: str, code: int = 0) -> str:
    """What the command said (stdout and stderr)."""
    assert main(["--config", str(cfg), *args]) == code
    out = capsys.readouterr()
    return out.out + out.err


def _imported(tmp_path: Path, shared_data: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A Chinese station's store with the sample catalog, waybills and 300 orders; each
    import's line checked."""
    cfg = _config(tmp_path)
    said = _run(cfg, capsys, "db", "upgrade")
    assert "数据结构" in said and _english(said) == [], said
    taobao = shared_data / "taobao"
    for args in (("catalog", str(shared_data / "catalog.csv")),
                 ("waybills", str(shared_data / "waybills.csv")),
                 ("orders", str(taobao / "ExportOrderList.csv"),
                  str(taobao / "ExportOrderDetailList.csv"))):
        said = _run(cfg, capsys, "import", *args)
        assert said.strip() and _english(said) == [], said
    return cfg


def test_imports_say_their_counts_in_chinese(
        tmp_path: Path, shared_data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _imported(tmp_path, shared_data, capsys)


def test_release_orders_reports_and_waves_speak_chinese(
        tmp_path: Path, shared_data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The sample's 42 remark holds: release, the order list, today's board, the late and floor
    reports, the waves built, listed and shown — their lines in words, codes as they are."""
    cfg = _imported(tmp_path, shared_data, capsys)
    said = _run(cfg, capsys, "release")  # the waybill pool's warning on stderr too
    assert "留言待确认" in said and _english(said) == [], said
    for args in (("order", "list"), ("order", "list", "--state", "held"),
                 ("report", "today"), ("report", "late"), ("report", "floor"),
                 ("wave", "build"), ("wave", "list"), ("wave", "show", "W000001")):
        said = _run(cfg, capsys, *args)
        assert said.strip() and _english(said) == [], (args, said)
    held = _run(cfg, capsys, "order", "list", "--state", "held").splitlines()[0].split()[0]
    said = _run(cfg, capsys, "order", "show", held)  # the trail's event lines too
    assert "已导入" in said and _english(said) == [], said


URGENT = "3942979805729107894"
"""A sample order held for its remark 加急 (urgent)."""
READY = "3928753613820398875"


def test_the_desk_commands_say_the_state_in_chinese(
        tmp_path: Path, shared_data: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LOGNAME", "USER", "LNAME", "USERNAME"):  # who typed it: a clerk's login name
        monkeypatch.setenv(name, "小王")
    cfg = _imported(tmp_path, shared_data, capsys)
    _run(cfg, capsys, "release")
    for args in (("order", "ack", URGENT, "--dry-run"), ("order", "ack", URGENT),
                 ("order", "hold", READY, "--reason", "BUYER"),
                 ("order", "release", READY, "--reason", "BUYER")):
        said = _run(cfg, capsys, *args)
        assert said.strip() and _english(said) == [], (args, said)


def test_a_refused_import_says_so_in_chinese(
        tmp_path: Path, shared_data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = _config(tmp_path)
    _run(cfg, capsys, "db", "upgrade")
    said = _run(cfg, capsys, "import", "orders", str(shared_data / "catalog.csv"), code=1)
    assert "catalog.csv" in said
    first = said.splitlines()[0]
    assert _english(first) == [], first


def test_operators_say_their_roles_in_chinese(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = _config(tmp_path)
    _run(cfg, capsys, "db", "upgrade")
    said = _run(cfg, capsys, "operator", "add", "OP1001", "小李", "--role", "picker,packer")
    assert _english(said) == [], said
    said = _run(cfg, capsys, "operator", "add", "OP1002", "小张", "--role", "boss", code=2)
    assert "boss" in said and _english(said.replace("boss", "")) == [], said  # typed as typed
    said = _run(cfg, capsys, "operator", "list")
    assert "拣货员" in said and _english(said) == [], said


def test_a_store_never_upgraded_is_refused_in_chinese(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = _config(tmp_path)  # pp.db is not there: `db upgrade` was never run
    said = _run(cfg, capsys, "order", "list", code=2)
    assert "pickpack db upgrade" in said and _english(said) == [], said


def test_config_errors_are_said_in_chinese(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = _config(tmp_path)
    cfg.write_text(cfg.read_text(encoding="utf-8") + "[station.foo]\nbar = 1\n", encoding="utf-8")
    said = _run(cfg, capsys, "order", "list", code=2)
    assert "[station.foo]" in said and _english(said) == [], said
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")  # no config to name a language: the locale's
    said = _run(tmp_path / "nowhere.toml", capsys, "order", "list", code=2)
    assert "nowhere.toml" in said and _english(said) == [], said


def test_scan_says_what_a_code_is_in_chinese(
        tmp_path: Path, shared_data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Text mode only: ``--json`` keeps the machine names (kind, keys)."""
    cfg = _config(tmp_path)
    _run(cfg, capsys, "db", "upgrade")
    _run(cfg, capsys, "import", "catalog", str(shared_data / "catalog.csv"))
    for code, status in (("6952890786660", 0), ("QX-7", 1), ("431234567890123", 1)):
        said = _run(cfg, capsys, "scan", code, code=status)
        assert _english(said) == [], said
    said = _run(cfg, capsys, "scan", "QX-7", "--json", code=1)
    assert '"kind": "unknown"' in said


def test_stock_devices_and_fonts_say_their_words_in_chinese(
        tmp_path: Path, shared_data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A SKU's movements by kind in words; pyserial's ``n/a`` for a port with no description
    and a font with no Latin letters said in words (what the machine has: names as they are)."""
    cfg = _config(tmp_path)
    _run(cfg, capsys, "db", "upgrade")
    _run(cfg, capsys, "import", "catalog", str(shared_data / "catalog.csv"))
    said = _run(cfg, capsys, "stock", "show", "P08-01")
    assert "已导入" in said and _english(said) == [], said
    said = _run(cfg, capsys, "devices", "list")
    assert "串口" in said and "n/a" not in said, said
    said = _run(cfg, capsys, "print", "check")
    assert "no Latin" not in said and "none" not in said, said


def test_report_errors_names_the_step_in_chinese(
        cfg_file: Path, capsys: pytest.CaptureFixture[str],  # noqa: F811
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A short confirmed by a case: the picker's part (已拣货) and the verifier's (漏检) in
    words; the case kind's code and the case number as they are typed."""
    from tests.core.floorkit import SUPERVISOR_PIN

    assert main(["--config", str(cfg_file), "case", "open", "short", "3900000000000000000"]) == 0
    monkeypatch.setenv("PICKPACK_PIN", SUPERVISOR_PIN)
    assert main(["--config", str(cfg_file), "case", "solve", "C1", "--solution", "补发",
                 "--supervisor", "OP9001"]) == 0
    capsys.readouterr()
    cfg_file.write_text(cfg_file.read_text(encoding="utf-8") + '[station]\nlanguage = "zh_CN"\n',
                        encoding="utf-8")
    said = _run(cfg_file, capsys, "report", "errors")
    assert "漏检" in said and _english(said) == [], said
