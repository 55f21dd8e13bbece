"""``pickpack import …`` through the real command line (store opened by ``open_store``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pickpack.cli import main
from tests.conftest import upgraded_store


@pytest.fixture
def config(tmp_path: Path) -> Path:
    upgraded_store(tmp_path / "pp.db")
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[store]\nurl = "sqlite:///{tmp_path / "pp.db"}"\n[station]\nid = "D1"\n'
                   'mode = "desk"\n', encoding="utf-8")
    return cfg


def test_cli_imports_sample(config: Path, shared_data: Path,
                            capsys: pytest.CaptureFixture[str]) -> None:
    t = shared_data / "taobao"
    assert main(["--config", str(config), "import", "catalog", str(shared_data / "catalog.csv")]) == 0
    assert main(["--config", str(config), "import", "waybills",
                 str(shared_data / "waybills.csv")]) == 0
    assert main(["--config", str(config), "import", "orders", str(t / "ExportOrderDetailList.csv"),
                 str(t / "ExportOrderList.csv")]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1].startswith("orders: 300 new") and out[0].startswith("catalog: 20 new")


def test_cli_refuses_wrong_file(config: Path, tmp_path: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("not,a\nreal,export\n")
    assert main(["--config", str(config), "import", "orders", str(bad), str(bad)]) == 1
    err = capsys.readouterr().err
    assert "nothing imported" in err and "bad.csv" in err and "not a Taobao" in err
