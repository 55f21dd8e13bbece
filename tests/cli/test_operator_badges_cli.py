"""Operators (issue 16.6): a disabled badge logs in nowhere and a role change does not bring it
back; enable, --json on every action, and the badge sheet with its printing on record."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from pickpack.cli import main
from pickpack.core.authority import check_badge
from pickpack.core.operators import login
from pickpack.core.refusal import Refusal
from pickpack.core.tables import EVENTS
from pickpack.store import open_store
from tests.conftest import make_config
from tests.core.floorkit import SUPERVISOR_PIN, seed


@pytest.fixture
def cfg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(f'[store]\nurl = "sqlite:///{tmp_path / "pp.db"}"\n[station]\nid = "D1"\n'
                    f'mode = "desk"\n[printers]\npacking = "preview://{tmp_path / "slips"}"\n',
                    encoding="utf-8")
    engine = open_store(make_config(tmp_path), create=True)
    seed(engine, orders=0)
    engine.dispose()
    monkeypatch.setenv("PICKPACK_PIN", SUPERVISOR_PIN)
    return path


def run(cfg: Path, *args: str) -> int:
    return main(["--config", str(cfg), *args])


def trail(tmp_path: Path, kind: str) -> list[dict[str, object]]:
    engine = open_store(make_config(tmp_path))
    with engine.connect() as conn:
        rows = conn.execute(select(EVENTS.c.operator, EVENTS.c.payload)
                            .where(EVENTS.c.kind == kind).order_by(EVENTS.c.id)).all()
    engine.dispose()
    return [{"operator": op, **json.loads(p)} for op, p in rows]


def test_a_disabled_badge_logs_in_nowhere_until_enabled(
        cfg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(cfg, "operator", "disable", "OP2001", "--supervisor", "OP9001", "--json") == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["code"], out["active"], out["supervisor"]) == ("OP2001", False, "OP9001")
    engine = open_store(make_config(tmp_path))
    for mode in ("verify", "desk", None):
        with pytest.raises(Refusal, match="Unknown badge OP2001"):
            login(engine, "V1", "OP2001", mode)
    assert run(cfg, "operator", "role", "OP2001", "verifier,packer", "--supervisor", "OP9001",
               "--json") == 0
    assert json.loads(capsys.readouterr().out)["roles"] == ["verifier", "packer"]
    with pytest.raises(Refusal, match="Unknown badge"):  # a role change did not enable it
        login(engine, "V1", "OP2001", "pack")
    assert run(cfg, "operator", "disable", "OP2001", "--supervisor", "OP9001") == 2
    assert "already disabled" in capsys.readouterr().err
    assert run(cfg, "operator", "enable", "OP2001", "--supervisor", "OP9001") == 0
    assert "OP2001 王校验 enabled" in capsys.readouterr().out
    assert login(engine, "V1", "OP2001", "verify").code == "OP2001"
    assert [e["code"] for e in trail(tmp_path, "operator_disabled")] == ["OP2001"]
    [enabled] = trail(tmp_path, "operator_enabled")
    assert enabled["operator"] == "OP9001" and enabled["supervisor"] == "OP9001"


def test_a_disabled_supervisor_authorises_nothing(
        cfg: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PICKPACK_NEW_PIN", "2468")
    assert run(cfg, "operator", "add", "OP9002", "刘主管", "--role", "supervisor",
               "--supervisor", "OP9001") == 0
    assert run(cfg, "operator", "disable", "OP9002", "--supervisor", "OP9001") == 0
    engine = open_store(make_config(tmp_path))
    with engine.connect() as conn, pytest.raises(Refusal, match="Unknown badge OP9002"):
        check_badge(conn, "OP9002")
    monkeypatch.setenv("PICKPACK_PIN", "2468")
    assert run(cfg, "operator", "enable", "OP9002", "--supervisor", "OP9002") == 1
    assert "Unknown badge OP9002" in capsys.readouterr().err


def test_the_badge_sheet_prints_active_operators_and_is_on_record(
        cfg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(cfg, "operator", "disable", "OP3001", "--supervisor", "OP9001") == 0
    capsys.readouterr()
    assert run(cfg, "operator", "badges", "OP3001") == 2
    assert "OP3001 is disabled" in capsys.readouterr().err
    assert run(cfg, "operator", "badges", "--json") == 0
    out = capsys.readouterr().out
    printed = json.loads(out[out.index("["):])
    assert [b["code"] for b in printed] == ["OP1001", "OP2001", "OP9001"]
    previews = sorted((tmp_path / "slips").iterdir())
    assert previews, "nothing printed"
    text = "\n".join(p.read_text(encoding="utf-8") for p in previews if p.suffix == ".txt")
    assert "操作员工牌" in text and "李拣货" in text and "拣货员" in text and "OP3001" not in text
    [ev] = trail(tmp_path, "badges_printed")
    assert ev["codes"] == ["OP1001", "OP2001", "OP9001"] and ev["os_user"]
    assert run(cfg, "operator", "badges", "--role", "supervisor", "--language", "en") == 0
    assert trail(tmp_path, "badges_printed")[-1]["codes"] == ["OP9001"]
