"""`devices list`, `scanner test`, `scale read` through the argparse wiring the main CLI uses."""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from pickpack.cli import devices as cli_devices

from .conftest import PtyDevice


@pytest.fixture(autouse=True)
def no_user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PICKPACK_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="pickpack")
    parser.add_argument("--config")
    cli_devices.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)


def test_scale_read_sim_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("scale", "read", "--port", "sim", "--json") == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    assert json.loads(lines[0])["weight_kg"] == 0.0
    assert {"weight_kg", "stable", "unit", "raw"} <= json.loads(lines[0]).keys()


def test_scale_read_over_pty_waits_for_stable(
    pty_device: PtyDevice, capsys: pytest.CaptureFixture[str]
) -> None:
    stop = threading.Event()

    def stream() -> None:
        while not stop.is_set():
            pty_device.write(b"US,GS,+  0.700kg\r\nST,GS,+  0.750kg\r\n")
            time.sleep(0.05)

    threading.Thread(target=stream, daemon=True).start()
    try:
        code = run("scale", "read", "--port", pty_device.path, "--protocol", "cas", "--json")
    finally:
        stop.set()
    assert code == 0
    readings = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert readings[-1]["stable"] and readings[-1]["weight_kg"] == 0.75
    assert all(not r["stable"] for r in readings[:-1])


def test_scale_read_timeout_is_one_line_and_nonzero(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run("scale", "read", "--port", str(tmp_path / "ttyUSB9"), "--timeout", "0.3")
    err = capsys.readouterr().err
    assert code != 0 and err.count("\n") == 1 and "no stable reading" in err


def test_scale_read_without_config_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("scale", "read") == 1
    assert "no scale configured" in capsys.readouterr().err


def test_bad_config_file_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[scale]\nbaud = 1\n')
    assert run("--config", str(bad), "scale", "read") == 1
    assert "unknown key" in capsys.readouterr().err


def test_devices_list_does_not_crash(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("devices", "list", "--json") == 0
    listing = json.loads(capsys.readouterr().out)
    assert set(listing) == {"inputs", "serial"}
    assert run("devices", "list") == 0
    assert "Serial ports" in capsys.readouterr().out


def test_scanner_test_keyboard_reads_lines(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("]E06901234567892\n\nBX01\n"))
    assert run("scanner", "test") == 0
    assert capsys.readouterr().out.splitlines() == [
        "keyboard []E0]: '6901234567892'", "keyboard: 'BX01'",
    ]


def test_devices_import_no_textual() -> None:
    code = (
        "import sys, pickpack.devices.scale, pickpack.devices.scanners.evdev, "
        "pickpack.devices.scanners.serial, pickpack.devices.scanners.wedge, pickpack.cli.devices; "
        "assert 'textual' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
