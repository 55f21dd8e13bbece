"""The kiosk boot files under deploy/: systemd's own checker passes them, and the station
script waits, showing why, for a store that is not there yet."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"
ANALYZE = shutil.which("systemd-analyze")
needs_systemd = pytest.mark.skipif(ANALYZE is None, reason="systemd is not on this machine")


def verify(unit: str, cwd: Path) -> str:
    """`systemd-analyze verify`: its exit code and every warning it prints (a bad value is
    only a warning with exit code 0, so both are checked)."""
    assert ANALYZE is not None
    done = subprocess.run([ANALYZE, "verify", unit], cwd=cwd, capture_output=True, text=True,
                          timeout=60)
    return f"exit {done.returncode}: {done.stdout}{done.stderr}".strip()


def _programs_present() -> None:
    missing = [p for p in ("/usr/bin/cage", "/usr/bin/foot") if not os.access(p, os.X_OK)]
    assert not missing, ("the kiosk unit runs " + ", ".join(missing) + ": install them with "
                         "`apt-get install -y cage foot` (make test does, as root)")


@needs_systemd
def test_the_kiosk_unit_passes_systemd_analyze_verify(tmp_path: Path) -> None:
    _programs_present()
    unit = tmp_path / "pickpack-kiosk@tty1.service"
    shutil.copy(DEPLOY / "systemd" / "pickpack-kiosk@.service", unit)
    assert verify(unit.name, tmp_path) == "exit 0:"


@needs_systemd
def test_the_getty_autologin_drop_in_passes_systemd_analyze_verify(tmp_path: Path) -> None:
    getty = Path("/lib/systemd/system/getty@.service")
    assert getty.exists(), "systemd without getty@.service"
    shutil.copy(getty, tmp_path / getty.name)
    shutil.copytree(DEPLOY / "systemd" / "getty@tty1.service.d", tmp_path / "getty@tty1.service.d")
    assert verify("getty@tty1.service", tmp_path) == "exit 0:"


@needs_systemd
def test_verify_as_used_here_does_catch_a_bad_value(tmp_path: Path) -> None:
    """The two checks above are worth something: a wrong value is reported."""
    text = (DEPLOY / "systemd" / "pickpack-kiosk@.service").read_text(encoding="utf-8")
    (tmp_path / "bad@tty1.service").write_text(
        text.replace("Restart=always", "Restart=sometimes"), encoding="utf-8")
    assert "restart specifier" in verify("bad@tty1.service", tmp_path)


def test_the_station_script_waits_for_a_store_that_is_not_there(tmp_path: Path) -> None:
    """No store yet and no journal: the script shows the one-line reason and tries again."""
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[store]\nurl = "sqlite:///{tmp_path / "later.db"}"\n', encoding="utf-8")
    pickpack = Path(sys.executable).with_name("pickpack")  # this checkout's own command
    env = {**os.environ, "PICKPACK_BIN": str(pickpack), "PICKPACK_CONFIG": str(cfg),
           "PICKPACK_RETRY_S": "1", "TERM": "dumb", "XDG_RUNTIME_DIR": str(tmp_path)}
    out = tmp_path / "screen.txt"
    with out.open("wb") as screen:
        proc = subprocess.Popen(["sh", str(DEPLOY / "pickpack-station")], env=env,
                                stdout=screen, stderr=subprocess.STDOUT, cwd=tmp_path)
        try:
            deadline = time.monotonic() + 60
            while out.read_text(encoding="utf-8", errors="replace").count("工位未能启动") < 2:
                assert proc.poll() is None, "the station script ended"
                assert time.monotonic() < deadline, out.read_text(encoding="utf-8")
                time.sleep(0.2)
        finally:
            proc.kill()
            proc.wait(timeout=10)
    shown = out.read_text(encoding="utf-8")
    assert "run `pickpack db upgrade`" in shown and "Traceback" not in shown
    assert not (tmp_path / "later.db").exists()
