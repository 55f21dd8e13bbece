"""`pickpack board`: prints its address once (with a token made for the run when the
environment has none), serves it behind the token, stops on Ctrl+C; a port taken is one line."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

from pickpack.config import Config

CLI = [sys.executable, "-m", "pickpack.cli"]


def status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as res:
            return int(res.status)
    except urllib.error.HTTPError as exc:
        return exc.code


def start(tmp_path: Path, config: Config, env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    (tmp_path / "config.toml").write_text(f'[store]\nurl = "{config.store.url}"\n')
    return subprocess.Popen([*CLI, "--config", str(tmp_path / "config.toml"), "board", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **env}, cwd=tmp_path)


def test_a_token_made_and_printed_once(tmp_path: Path, config: Config) -> None:
    proc = start(tmp_path, config, {"PICKPACK_BOARD_TOKEN": ""}, "--port", "0")  # unset
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().strip()
        assert line.startswith("board: http://127.0.0.1:") and "?token=" in line, line
        url = line.split(" ", 1)[1]
        base, token = url.split("?token=")
        assert len(token) >= 24
        assert status(url) == 200 and status(f"{base}board.json?token={token}") == 200
        assert status(base) == 401 and status(f"{base}live") == 401
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=10)
    assert proc.returncode == 0, err
    assert token not in out and token not in err  # printed once, in the first line only


def test_a_port_taken_is_one_line(tmp_path: Path, config: Config) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = start(tmp_path, config, {"PICKPACK_BOARD_TOKEN": "t0ken-from-env"},
                     "--port", str(port))
        out, err = proc.communicate(timeout=20)
    assert proc.returncode == 2
    assert err.strip().count("\n") == 0 and f"cannot listen on 127.0.0.1:{port}" in err
    assert "Traceback" not in err and "t0ken-from-env" not in out + err
