"""A private PostgreSQL server for a drill: its own data directory, a free port on 127.0.0.1,
trust auth, fsync on. It never touches the machine's shared server (5432).

initdb refuses to run as root, so when the test runs as root every server command runs as the
``postgres`` user (``runuser -u postgres --``) and the directory is handed to that user.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg

SERVER_USER = "postgres"


def find_bindir() -> Path:
    """The newest installed PostgreSQL's bin directory (the one holding initdb)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    if not found:
        on_path = shutil.which("initdb")
        if on_path is None:
            raise RuntimeError("the PostgreSQL outage drill needs initdb: none in "
                               "/usr/lib/postgresql/*/bin/ nor on PATH (install postgresql)")
        return Path(on_path).parent
    return Path(found[-1]).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PgServer:
    """``start`` / ``stop`` / ``kill``-like immediate stop, and ``close`` to remove it all."""

    def __init__(self) -> None:
        self.bindir = find_bindir()
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="pp-soak-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self._as_other = os.geteuid() == 0
        if self._as_other:
            try:
                user = pwd.getpwnam(SERVER_USER)
            except KeyError:
                raise RuntimeError(f"running as root, the drill needs the {SERVER_USER!r} user "
                                   "to run initdb (initdb refuses root)") from None
            os.chown(self.root, user.pw_uid, user.pw_gid)
        os.chmod(self.root, 0o700)

    def _cmd(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        argv = [str(self.bindir / args[0]), *args[1:]]
        if self._as_other:
            argv = ["runuser", "-u", SERVER_USER, "--", *argv]
        done = subprocess.run(argv, capture_output=True, text=True, timeout=60)
        if check and done.returncode != 0:
            raise RuntimeError(f"{args[0]} failed ({done.returncode}): "
                               f"{(done.stderr or done.stdout).strip()[-800:]}\n{self.tail()}")
        return done

    def tail(self) -> str:
        try:
            return "server log: " + self.log.read_text(errors="replace")[-800:]
        except OSError:
            return ""

    @property
    def url(self) -> str:
        """SQLAlchemy URL of the drill's database."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/drill"

    def init(self) -> None:
        self._cmd("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust",
                  "-E", "UTF8", "--locale=C", "--no-sync")
        self.start()
        with psycopg.connect(host="127.0.0.1", port=self.port, user="postgres",
                             dbname="postgres", autocommit=True, connect_timeout=5) as conn:
            conn.execute("CREATE DATABASE drill")

    def start_argv(self) -> list[str]:
        """The ``pg_ctl start`` command line (waits until the server takes connections)."""
        opts = (f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} -c fsync=on "
                "-c synchronous_commit=on -c full_page_writes=on")
        argv = [str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l", str(self.log),
                "-o", opts, "-w", "-t", "30", "start"]
        return ["runuser", "-u", SERVER_USER, "--", *argv] if self._as_other else argv

    def start(self) -> None:
        done = subprocess.run(self.start_argv(), capture_output=True, text=True, timeout=60)
        if done.returncode != 0:
            raise RuntimeError(f"pg_ctl start failed ({done.returncode}): "
                               f"{(done.stderr or done.stdout).strip()[-800:]}\n{self.tail()}")

    def stop_immediate(self) -> subprocess.Popen[bytes]:
        """``pg_ctl stop -m immediate`` started and not waited for: the stop lands wherever
        the station is in its scan."""
        argv = [str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w",
                "stop"]
        if self._as_other:
            argv = ["runuser", "-u", SERVER_USER, "--", *argv]
        return subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def running(self) -> bool:
        return self._cmd("pg_ctl", "-D", str(self.data), "status", check=False).returncode == 0

    def close(self) -> None:
        """Stop (immediate) if running and remove the directory; safe to call twice."""
        if self.data.exists() and self.running():
            self._cmd("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop",
                      check=False)
        deadline = time.monotonic() + 10
        while self.data.exists() and self.running() and time.monotonic() < deadline:
            time.sleep(0.1)
        shutil.rmtree(self.root, ignore_errors=True)
