"""`pickpack operator …` and `order release` through the real command line (issue 14.10, 13.3,
13.15): authority roles need a supervisor's badge + PIN, floor roles stay open."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from pickpack.cli import main
from pickpack.core.tables import EVENTS, OPERATORS
from pickpack.store import open_store
from tests.conftest import make_config, upgraded_store


@pytest.fixture
def cfg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    upgraded_store(tmp_path / "pp.db")
    path = tmp_path / "config.toml"
    path.write_text(f'[store]\nurl = "sqlite:///{tmp_path / "pp.db"}"\n[station]\nid = "D1"\n'
                    'mode = "desk"\n', encoding="utf-8")
    monkeypatch.delenv("PICKPACK_PIN", raising=False)
    monkeypatch.delenv("PICKPACK_NEW_PIN", raising=False)
    return path


def run(cfg: Path, *args: str) -> int:
    return main(["--config", str(cfg), *args])


def trail(tmp_path: Path, kind: str) -> list[dict[str, object]]:
    engine = open_store(make_config(tmp_path), create=True)
    with engine.connect() as conn:
        rows = conn.execute(select(EVENTS.c.operator, EVENTS.c.payload)
                            .where(EVENTS.c.kind == kind).order_by(EVENTS.c.id)).all()
    engine.dispose()
    return [{"operator": op, **json.loads(p)} for op, p in rows]


def first_supervisor(cfg: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PICKPACK_NEW_PIN", "4321")
    assert run(cfg, "operator", "add", "OP9001", "陈主管", "--role", "supervisor") == 0
    monkeypatch.delenv("PICKPACK_NEW_PIN")


def test_only_the_first_supervisor_is_added_without_authority(
        cfg: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    first_supervisor(cfg, monkeypatch)
    assert "with a PIN" in capsys.readouterr().out
    monkeypatch.setenv("PICKPACK_NEW_PIN", "1111")
    assert run(cfg, "operator", "add", "OP6666", "anyone", "--role", "supervisor") == 2
    assert "needs --supervisor" in capsys.readouterr().err
    assert run(cfg, "operator", "add", "OP6667", "desk", "--role", "clerk") == 2
    monkeypatch.setenv("PICKPACK_PIN", "0000")  # a wrong PIN: refused and counted
    assert run(cfg, "operator", "add", "OP6666", "anyone", "--role", "supervisor",
               "--supervisor", "OP9001") == 1
    assert "Wrong PIN" in capsys.readouterr().err
    assert trail(tmp_path, "pin_refused")[-1]["tries"] == 1
    monkeypatch.setenv("PICKPACK_PIN", "4321")
    assert run(cfg, "operator", "add", "OP6666", "刘主管", "--role", "supervisor",
               "--supervisor", "OP9001") == 0
    saved = trail(tmp_path, "operator_saved")
    assert "supervisor" not in saved[0] and saved[0]["os_user"]  # the first: no authority
    assert saved[-1]["operator"] == "OP9001" and saved[-1]["supervisor"] == "OP9001"
    assert saved[-1]["os_user"] and saved[-1]["pin_set"] is True


def test_floor_roles_stay_open_and_are_recorded_with_the_os_user(
        cfg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(cfg, "operator", "add", "OP1001", "李拣货", "--role", "picker,verifier") == 0
    saved = trail(tmp_path, "operator_saved")[-1]
    assert saved["roles"] == ["picker", "verifier"] and saved["os_user"]
    assert saved["operator"] == saved["os_user"] and "supervisor" not in saved
    assert run(cfg, "operator", "list", "--json") == 0
    listed = json.loads(capsys.readouterr().out.split("\n", 1)[1])
    assert listed == [{"code": "OP1001", "name": "李拣货", "roles": ["picker", "verifier"],
                       "active": True, "pin": False, "locked": False}]


def test_add_refuses_codes_no_badge_scan_matches_and_silent_renames(
        cfg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for code in ("OP77", "12345"):
        assert run(cfg, "operator", "add", code, "x", "--role", "picker") == 2
        err = capsys.readouterr().err.strip()
        assert "badge pattern" in err and code in err and "\n" not in err
    assert run(cfg, "operator", "add", "OP1001", "李拣货", "--role", "picker") == 0
    assert run(cfg, "operator", "add", "OP1001", "王五", "--role", "picker") == 2
    assert "exists (李拣货)" in capsys.readouterr().err
    assert run(cfg, "operator", "add", "OP1001", "王五", "--rename") == 0


def test_role_disable_and_pin_need_a_supervisor(
        cfg: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    first_supervisor(cfg, monkeypatch)
    assert run(cfg, "operator", "add", "OP1001", "李拣货", "--role", "picker") == 0
    with pytest.raises(SystemExit):  # --supervisor is required
        run(cfg, "operator", "role", "OP1001", "picker,verifier")
    capsys.readouterr()
    assert run(cfg, "operator", "role", "OP1001", "verifier", "--supervisor", "OP9001") == 2
    assert "PICKPACK_PIN" in capsys.readouterr().err  # no terminal, no PIN: nothing changed
    monkeypatch.setenv("PICKPACK_PIN", "4321")
    monkeypatch.setenv("PICKPACK_NEW_PIN", "2468")
    assert run(cfg, "operator", "role", "OP1001", "picker,supervisor",
               "--supervisor", "OP9001") == 0  # promoted: gets a PIN of their own
    monkeypatch.setenv("PICKPACK_NEW_PIN", "1357")
    assert run(cfg, "operator", "pin", "OP1001", "--supervisor", "OP9001") == 0
    monkeypatch.setenv("PICKPACK_PIN", "1357")
    assert run(cfg, "operator", "disable", "OP9001", "--supervisor", "OP1001") == 0
    monkeypatch.setenv("PICKPACK_PIN", "4321")  # OP9001 is disabled now: no authority left
    assert run(cfg, "operator", "role", "OP1001", "picker", "--supervisor", "OP9001") == 1
    monkeypatch.setenv("PICKPACK_PIN", "1357")  # and the last supervisor cannot step down
    assert run(cfg, "operator", "role", "OP1001", "picker", "--supervisor", "OP1001") == 2
    assert "last active supervisor" in capsys.readouterr().err
    assert run(cfg, "operator", "list") == 0
    out = capsys.readouterr().out
    assert "OP9001" in out and "disabled" in out
    kinds = [e["code"] for e in trail(tmp_path, "operator_disabled")]
    assert kinds == ["OP9001"] and trail(tmp_path, "pin_set")[-1]["supervisor"] == "OP9001"


def test_order_release_by_hand_needs_badge_pin_and_reason(
        cfg: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from db.engine import write_tx
    from pickpack.core.tables import ORDERS
    from tests.core.floorkit import SUPERVISOR_PIN, seed

    engine = open_store(make_config(tmp_path), create=True)
    seed(engine, orders=1)
    with write_tx(engine) as conn:
        conn.execute(ORDERS.update().values(state="held", held_from="ready",
                                            hold_reason="customer asked to wait"))
    engine.dispose()
    no = "3900000000000000000"
    monkeypatch.setenv("PICKPACK_PIN", SUPERVISOR_PIN)
    assert run(cfg, "order", "release", no, "--supervisor", "OP2001", "--reason", "R4") == 1
    assert "not a supervisor" in capsys.readouterr().err
    assert run(cfg, "order", "release", no, "--supervisor", "OP9001", "--reason", "r4",
               "--json") == 0
    assert json.loads(capsys.readouterr().out) == {"order_no": no, "state": "ready",
                                                   "supervisor": "OP9001", "reason": "R4"}
    event = trail(tmp_path, "override")[-1]
    assert event["override"] == "release_hold" and event["supervisor"] == "OP9001"
    assert run(cfg, "order", "release", no, "--supervisor", "OP9001", "--reason", "R4") == 1
    assert "not held" in capsys.readouterr().err


def test_pins_are_prompted_on_a_terminal(cfg: Path, tmp_path: Path) -> None:
    """A real pty: the new PIN is asked twice, not echoed, and never needs a flag."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PICKPACK_")}
    env["PICKPACK_PIN_KDF_COST"] = "4"
    primary, secondary = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-c", "import sys; from pickpack.cli import main; sys.exit(main())",
         "--config", str(cfg), "operator", "add", "OP9001", "陈主管", "--role", "supervisor"],
        stdin=secondary, stdout=secondary, stderr=secondary, env=env, cwd=tmp_path,
        start_new_session=True)
    os.close(secondary)
    seen, answered = b"", 0
    while True:
        try:
            chunk = os.read(primary, 1024)
        except OSError:
            break  # the child closed the terminal
        if not chunk:
            break
        seen += chunk
        prompts = seen.count(b"New PIN for OP9001")
        if seen.endswith(b": ") and prompts > answered:  # a prompt waits (input is flushed
            os.write(primary, b"4321\n")                  # before it, so answer it only now)
            answered += 1
    assert proc.wait(timeout=30) == 0, seen
    os.close(primary)
    text = seen.decode()
    assert "New PIN for OP9001:" in text and "again:" in text and "4321" not in text
    engine = open_store(make_config(tmp_path), create=True)
    with engine.connect() as conn:
        assert conn.execute(select(OPERATORS.c.pin_hash)).scalar_one().startswith("scrypt$")
    engine.dispose()
