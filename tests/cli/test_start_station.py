"""Start-up (issue 20 §6): a station comes up without the code only other work needs.

`pickpack run --station verify` runs on a real pseudo-terminal against a real SQLite store; once
it shows its first prompt it is quit, and the modules it had imported are checked: no ESC/POS
renderer (a printer prints in its own worker), no GS1 parser (a scan that looks like GS1 brings
it), no other station's flow, no Alembic (a store already at head needs no migration)."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

from tests.conftest import upgraded_store

PROBE = """
import atexit, json, sys
from pathlib import Path

atexit.register(lambda: Path(sys.argv[1]).write_text(json.dumps(sorted(sys.modules))))
from pickpack.cli import main
sys.exit(main(["run", "--station", sys.argv[2]]))
"""

NOT_AT_START = ("escpos", "printers.escpos_render", "printers.raster", "biip", "alembic",
                "pickpack.core.flows.desk", "pickpack.core.flows.returns",
                "pickpack.core.flows.pick", "pickpack.core.desk.ack", "pickpack.core.desk.waybills",
                "pickpack.core.handover", "pickpack.core.aftersales")
"""What a verify station must not import to show its first prompt (each with its submodules)."""


def _station_modules(tmp_path: Path, mode: str, ready: str) -> set[str]:
    """The modules a ``mode`` station had imported when it showed ``ready`` and was quit."""
    store = upgraded_store(tmp_path / "pp.db")
    config = tmp_path / "config.toml"
    config.write_text(f'[store]\nurl = "sqlite:///{store}"\n[station]\nid = "V1"\n'
                      'language = "en"\n')
    out = tmp_path / "modules.json"
    primary, secondary = pty.openpty()
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "TERM": "xterm-256color",
           "LANG": "en_US.UTF-8", "PICKPACK_CONFIG": str(config), "HOME": str(tmp_path)}
    proc = subprocess.Popen([sys.executable, "-c", PROBE, str(out), mode], stdin=secondary,
                            stdout=secondary, stderr=secondary, env=env, start_new_session=True)
    os.close(secondary)
    seen, deadline = b"", time.monotonic() + 60
    try:
        while ready.encode() not in seen:
            assert time.monotonic() < deadline, f"{ready!r} never shown: {seen[-2000:]!r}"
            if select.select([primary], [], [], 1)[0]:
                seen += os.read(primary, 65536)
        os.write(primary, b"\x11")  # ctrl+q: the station's quit key
        while proc.poll() is None and time.monotonic() < deadline:
            if select.select([primary], [], [], 0.2)[0]:
                try:
                    os.read(primary, 65536)
                except OSError:
                    break
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(primary)
    return set(json.loads(out.read_text()))


def test_a_verify_station_starts_without_printing_gs1_migrations_or_other_stations(
        tmp_path: Path) -> None:
    loaded = _station_modules(tmp_path, "verify", "Scan your badge")
    assert {"pickpack.app", "stations.verify", "pickpack.core.flows.verify"} <= loaded
    early = sorted(m for m in loaded for name in NOT_AT_START
                   if m == name or m.startswith(name + "."))
    assert not early, f"imported before the first scan: {early}"


def test_the_quick_schema_check_knows_the_head_alembic_knows() -> None:
    """A station start reads the head from the migration scripts without Alembic: the same."""
    from db.migrate import head_revision
    from pickpack.store import head_from_scripts

    assert head_from_scripts() == head_revision()
