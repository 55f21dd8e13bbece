"""`pickpack case open|show|list|solve|close` and `pickpack report aftersales` (issue 18.9)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from pickpack.cli import main
from pickpack.core.context import Floor
from pickpack.core.events import Actor
from pickpack.core.release import release
from pickpack.store import open_store
from tests.conftest import make_config
from tests.core.floorkit import SUPERVISOR_PIN, seed, ship_through


@pytest.fixture
def cfg_file(tmp_path: Path) -> Path:
    cfg = make_config(tmp_path)
    engine = open_store(cfg, create=True)
    seed(engine, orders=1)
    release(engine, cfg, Actor("D1", "desk"))
    ship_through(Floor(engine, cfg), "3900000000000000000", weight_g=604)
    engine.dispose()
    path = tmp_path / "config.toml"
    path.write_text(f'[store]\nurl = "sqlite:///{tmp_path / "pp.db"}"\n', encoding="utf-8")
    return path


def run(cfg: Path, *args: str) -> int:
    return main(["--config", str(cfg), *args])


def test_a_short_case_from_open_to_close(cfg_file: Path, capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert run(cfg_file, "case", "open", "short", "3900000000000000000", "--claim", "少一个杯子",
               "--item", "MUG-WH:1", "--by", "OP2001", "--json") == 0
    opened = json.loads(capsys.readouterr().out)
    assert opened["investigation"]["finding"] == "short"
    assert "short by about one unit of MUG-WH (350 g)" in opened["verdict"]
    assert run(cfg_file, "case", "show", f"C{opened['id']}") == 0
    shown = capsys.readouterr().out
    assert "verdict: recorded weight 604 g, expected 954 g" in shown
    assert "count: MUG-WH at bin C-02-01" in shown and "proposed responsible: OP1001 at pick" in shown
    assert "item scanned" in shown and "MUG-WH  6952890786660" in shown  # the trail in words
    assert run(cfg_file, "case", "solve", str(opened["id"]), "--solution", "补发",
               "--responsible", "OP1001") == 2  # naming a person needs a supervisor
    assert "needs --supervisor" in capsys.readouterr().err
    monkeypatch.setenv("PICKPACK_PIN", SUPERVISOR_PIN)
    assert run(cfg_file, "case", "solve", str(opened["id"]), "--solution", "补发一个杯子",
               "--supervisor", "OP9001", "--json") == 0
    solved = json.loads(capsys.readouterr().out)
    assert (solved["responsible"], solved["responsible_step"], solved["confirmed_by"]) == (
        "OP1001", "pick", "OP9001")
    assert run(cfg_file, "case", "list", "--state", "all", "--json") == 0
    assert [c["state"] for c in json.loads(capsys.readouterr().out)] == ["solved"]
    out = tmp_path / "register.xlsx"
    assert run(cfg_file, "report", "aftersales", "--xlsx", str(out)) == 0
    assert "1 cases on" in capsys.readouterr().out
    sheet = load_workbook(out).active
    assert sheet is not None
    row = [c.value for c in next(sheet.iter_rows(min_row=2))]
    assert row[2] == "3900000000000000000" and row[4] == "少货" and row[10] == "OP1001"
    assert run(cfg_file, "case", "close", str(opened["id"])) == 0
    assert run(cfg_file, "case", "close", str(opened["id"])) == 1  # closed already: one line
    assert "is closed" in capsys.readouterr().err


def test_bad_input_is_one_line(cfg_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(cfg_file, "case", "show", "CX") == 2
    assert run(cfg_file, "case", "show", "99") == 1
    assert run(cfg_file, "case", "open", "lost", "nope") == 1
    assert run(cfg_file, "case", "open", "short", "--item", "A:0") == 2
    assert run(cfg_file, "report", "aftersales", "--day", "20261120") == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 5 and all(line.startswith("pickpack: ") for line in err)


def test_case_reship(cfg_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(cfg_file, "case", "open", "short", "3900000000000000000", "--item", "MUG-WH:1") == 0
    capsys.readouterr()
    assert run(cfg_file, "case", "reship", "C1", "--reverse-stock", "--json") == 0
    assert json.loads(capsys.readouterr().out) == {"order_no": "3900000000000000000-R1"}
    assert run(cfg_file, "order", "list", "--json") == 0
    orders = {o["order_no"]: o["state"] for o in json.loads(capsys.readouterr().out)}
    assert orders["3900000000000000000-R1"] == "new"
    assert run(cfg_file, "case", "reship", "C1", "--item", "NOPE") == 1


def test_import_tracking_and_follow_up(cfg_file: Path, capsys: pytest.CaptureFixture[str],
                                       tmp_path: Path) -> None:
    assert run(cfg_file, "order", "show", "3900000000000000000", "--json") == 0
    tracking = json.loads(capsys.readouterr().out)["tracking_no"]
    path = tmp_path / "t.json"
    path.write_text(json.dumps([{"tracking_no": tracking, "time": "2026-11-21T10:00:00+08:00",
                                 "status": "派送异常：地址不详", "place": "杭州"}],
                               ensure_ascii=False), encoding="utf-8")
    assert run(cfg_file, "import", "tracking", str(path)) == 0
    assert capsys.readouterr().out.strip() == "tracking: 1 new, 0 updated, 0 unchanged"
    assert run(cfg_file, "case", "followup", "--open", "--json") == 0
    out = json.loads(capsys.readouterr().out)
    assert [(p["why"], p["case"]) for p in out["parcels"]] == [("problem", out["opened"][0])]
