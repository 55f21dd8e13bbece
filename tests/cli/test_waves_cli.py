"""`pickpack wave build|list|show|print|close` and `pickpack report today` on a real store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pickpack.cli import main
from pickpack.core.events import Actor
from tests.core.wavekit import ready, store


@pytest.fixture
def cfg(tmp_path: Path) -> Path:
    engine, _cfg, _floor = store(tmp_path)
    for _ in range(3):
        ready(engine, [("TEE-BK-XL", 1)])
    ready(engine, [("TEE-BK-XL", 1), ("MUG-WH", 1)], courier="SF")
    engine.dispose()
    path = tmp_path / "config.toml"
    path.write_text(f'[store]\nurl = "sqlite:///{tmp_path / "pp.db"}"\n[printers]\n'
                    f'express = "preview://{tmp_path / "slips"}"\n'
                    f'packing = "preview://{tmp_path / "slips"}"\n'
                    '[couriers.SF]\npickup = "17:00"\n', encoding="utf-8")
    return path


def run(cfg: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--config", str(cfg), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_build_list_show_print_close(cfg: Path, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(cfg, capsys, "wave", "build", "--json")
    built = json.loads(out)
    assert code == 0 and [(w["courier"], w["kind"], w["orders"]) for w in built] == [
        ("ZTO", "single", 3), ("SF", "few", 1)]
    code, out, _ = run(cfg, capsys, "wave", "list")
    assert code == 0 and "W000001" in out and "single item TEE-BK-XL" in out and "2 waves" in out
    code, out, _ = run(cfg, capsys, "wave", "show", "W000001", "--json")
    assert [s["slot"] for s in json.loads(out)["slots"]] == [1, 2, 3]
    code, out, _ = run(cfg, capsys, "wave", "print", "W000001")
    assert code == 0 and "7 of 7 slips printed" in out
    assert len(list((tmp_path / "slips").iterdir())) >= 7
    code, _, err = run(cfg, capsys, "wave", "print", "W000001")
    assert code == 1 and err.count("\n") == 1 and "--reprint" in err
    code, out, _ = run(cfg, capsys, "wave", "close", "2", "--json")
    assert code == 0 and json.loads(out)["state"] == "closed"
    code, _, err = run(cfg, capsys, "wave", "show", "W0000x")
    assert code == 1 and "No wave" in err


def test_report_today_sits_beside_the_other_reports(
        cfg: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = run(cfg, capsys, "report", "today", "--json")
    board = json.loads(out)
    assert code == 0 and {r["courier"]: r["pickup"] for r in board["couriers"]} == {
        "SF": "17:00", "ZTO": "16:30"}
    code, out, _ = run(cfg, capsys, "report", "today")
    assert code == 0 and "pickup" in out and "SF     17:00" in out
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")  # the board's headings in Chinese
    code, out, _ = run(cfg, capsys, "report", "today")
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert code == 0 and "揽收" in out and "付款截止" in out and "SF     17:00" in out
    code, out, _ = run(cfg, capsys, "report", "floor", "--json")  # the others still answer
    assert code == 0 and json.loads(out)["ready"] == 4


def test_a_supervisor_hands_a_held_wave_back_to_the_next_picker(
        cfg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    from pickpack.config import load_config
    from pickpack.core.context import Floor
    from pickpack.core.waves.picking import claim_wave, pick_unit
    from pickpack.store import open_store
    from tests.core.wavekit import BARCODE, PICKER

    run(cfg, capsys, "wave", "build")
    floor = Floor(open_store(load_config(cfg)), load_config(cfg))
    held = claim_wave(floor, PICKER, "W000001")
    pick_unit(floor, PICKER, held.id, BARCODE["TEE-BK-XL"])  # one unit in slot 1, then home
    monkeypatch.setenv("PICKPACK_PIN", "0000")
    code, _, err = run(cfg, capsys, "wave", "handback", "W000001", "--supervisor", "OP9001",
                       "--reason", "went home")
    assert code == 1 and err.count("\n") == 1  # a wrong PIN: refused, one line
    monkeypatch.setenv("PICKPACK_PIN", "9001")
    code, out, _ = run(cfg, capsys, "wave", "handback", "W000001", "--supervisor", "OP9001",
                       "--reason", "went home", "--json")
    back = json.loads(out)
    assert code == 0 and back["state"] == "open" and back["picker"] is None
    assert {s["state"] for s in back["slots"]} == {"ready"}
    nxt = claim_wave(floor, Actor("P2", "OP1002", "picker"), "W000001")
    assert nxt.picker == "OP1002" and nxt.left == 2  # carries on: one of three is in
