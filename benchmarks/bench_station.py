"""Key-to-screen latency of a verify scan, start-up time and peak memory of a verify station,
and how long ``pickpack --help`` takes.

The station runs as `pickpack run --station verify` in a real pseudo-terminal (80×24). A scan is
written to its terminal the way a keyboard-wedge scanner types it (the whole code and CR in
one burst); the latency is the time until the station's confirmation for that scan is painted
in its output. Store: ``benchmarks/bigstore.py`` (N picked orders, 3 lines, ~10 events each).

    .venv/bin/python benchmarks/bench_station.py                  # 1,000,000 orders
    .venv/bin/python benchmarks/bench_station.py --orders 20000   # a quick run

Start-up is timed as an installed PickPack starts: with its byte-code compiled (a checkout run
with ``PYTHONDONTWRITEBYTECODE`` would compile every PickPack module on each start, about 0.2 s
more), kept in ``benchmarks/.data/pycache`` by one untimed start first. Beside the wall time
it prints the station's CPU time at that moment (user + system, every thread), the steadier
figure on a machine shared with other work.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import re
import select
import signal
import statistics
import struct
import sys
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bigstore import LINES_PER_ORDER, SKUS, build_store, ean13  # noqa: E402

LATENCY_P99_MS, LATENCY_AIM_MS, STARTUP_S, MEMORY_MB = 100.0, 50.0, 0.8, 150.0
HELP_S = 0.3
"""Issue 20 §6: exec to a station ready for its first scan < 0.8 s, ``pickpack --help`` < 0.3 s."""


class Terminal:
    """A child process on a pseudo-terminal; ``wait_for`` reads its output until a marker."""

    def __init__(self, argv: list[str], env: dict[str, str], size: tuple[int, int] = (80, 24)) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: the station
            os.execvpe(argv[0], argv, env)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
        self.seen = b""

    def write(self, data: bytes) -> None:
        os.write(self.fd, data)

    def wait_for(self, marker: str, timeout: float = 30.0) -> float:
        """Read until ``marker`` appears in output written after the call; returns when."""
        want = marker.encode()
        buf = b""
        deadline = time.perf_counter() + timeout
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                text = re.sub(rb"\x1b\[[0-9;?]*[A-Za-z]", b" ", buf).decode(errors="replace")
                shown = " ".join(text.replace("▔", "").replace("▁", "").split())[:1200]
                raise TimeoutError(f"{marker!r} not painted; output text: {shown}")
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                chunk = os.read(self.fd, 65536)
                now = time.perf_counter()
                buf += chunk
                if want in buf:
                    self.seen = buf
                    return now

    def cpu_s(self) -> float:
        """CPU time (user + system, all threads) the child has used so far."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def peak_rss_mb(self) -> float:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def close(self) -> None:
        try:
            self.write(b"\x11")  # ctrl+q
            deadline = time.time() + 5
            while time.time() < deadline:
                pid, _status = os.waitpid(self.pid, os.WNOHANG)
                if pid:
                    return
                select.select([self.fd], [], [], 0.1) and os.read(self.fd, 65536)
            os.kill(self.pid, signal.SIGTERM)
            os.waitpid(self.pid, 0)
        except OSError:
            pass


def order_scans(oid: int) -> list[tuple[str, str]]:
    """(code, marker painted when it is confirmed) for verifying bigstore order ``oid``."""
    scans = [(f"7{oid:013d}", f"Order {3900000000000000000 + oid}")]  # the express slip
    for k in range(LINES_PER_ORDER):
        s = (oid * 7 + k * 13) % SKUS
        qty = 1 + k % 2
        for n in range(1, qty + 1):
            scans.append((ean13(s), f"S{s:05d} {n}/{qty}"))
    scans[-1] = (scans[-1][0], f"Verified {3900000000000000000 + oid}")
    return scans


def fresh_orders(store: Path, n: int) -> list[int]:
    """Orders still waiting at verify (earlier runs verified some)."""
    import sqlite3

    with sqlite3.connect(store) as db:
        rows = db.execute("SELECT id FROM orders WHERE state = 'picked' ORDER BY id DESC LIMIT ?", (n,))
        return sorted(r[0] for r in rows)


def help_time(pickpack: str, env: dict[str, str], runs: int = 5) -> tuple[float, float]:
    """The median wall and CPU time of ``pickpack --help``, from exec to exit."""
    import subprocess

    times, cpu = [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        before = os.times()
        subprocess.run([pickpack, "--help"], env=env, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - t0)
        after = os.times()
        cpu.append(after.children_user + after.children_system
                   - before.children_user - before.children_system)
    return statistics.median(times), statistics.median(cpu)


def start_up(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU time from exec to the station's first prompt (then it is quit)."""
    started = time.perf_counter()
    term = Terminal(argv, env)
    try:
        return term.wait_for("Scan your badge") - started, term.cpu_s()
    finally:
        term.close()


def report(name: str, value: float, limit: float, unit: str) -> bool:
    ok = value < limit
    print(f"{name:44} {value:9.2f} {unit:3} limit {limit:7.2f} {unit:3} ratio {value / limit:5.2f}"
          f"  {'ok' if ok else 'OVER'}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--verify", type=int, default=60, help="orders verified (4 scans each)")
    parser.add_argument("--store", type=Path, default=None)
    parser.add_argument("--starts", type=int, default=5, help="timed start-ups (median shown)")
    args = parser.parse_args()
    store = args.store or ROOT / "benchmarks" / ".data" / f"station-{args.orders}.db"
    store.parent.mkdir(parents=True, exist_ok=True)
    print(f"store: {store} ({args.orders:,} orders)")
    build_store(store, args.orders)
    cfg = store.with_suffix(".toml")
    cfg.write_text(f'[store]\nurl = "sqlite:///{store}"\n[station]\nid = "V1"\nmode = "verify"\n'
                   'language = "en"\n')  # the markers waited for are the English texts
    env = {**os.environ, "TERM": os.environ.get("BENCH_TERM", "xterm-256color"),
           "PICKPACK_CONFIG": str(cfg), "TEXTUAL": "", "NO_COLOR": "",
           "PYTHONPYCACHEPREFIX": str(ROOT / "benchmarks" / ".data" / "pycache")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    argv = [str(ROOT / ".venv" / "bin" / "pickpack"), "run", "--station", "verify"]
    start_up(argv, env)  # untimed: compiles the byte-code an installed PickPack has
    starts = [start_up(argv, env) for _ in range(args.starts)]
    startup, startup_cpu = statistics.median(s[0] for s in starts), statistics.median(
        s[1] for s in starts)
    term = Terminal(argv, env)
    try:
        term.wait_for("Scan your badge")
        term.write(b"OP2001\r")
        term.wait_for("Hello")
        latencies: list[float] = []
        for oid in fresh_orders(store, args.verify):
            for i, (code, marker) in enumerate(order_scans(oid)):
                t0 = time.perf_counter()
                term.write(code.encode() + b"\r")
                t1 = term.wait_for(marker)
                if i:  # item scans; the basket scan opens the order
                    latencies.append((t1 - t0) * 1000)
        peak = term.peak_rss_mb()
    finally:
        term.close()
    latencies.sort()
    p50 = statistics.median(latencies)
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    print(f"{len(latencies)} verify scans on {args.orders:,} orders")
    ok = report("verify scan p50 (aim < 50 ms)", p50, LATENCY_AIM_MS, "ms")
    ok &= report("verify scan p99", p99, LATENCY_P99_MS, "ms")
    ok &= report(f"start-up to usable station (median of {args.starts})", startup, STARTUP_S, "s")
    report("  its CPU time (user + system)", startup_cpu, STARTUP_S, "s")
    help_wall, help_cpu = help_time(argv[0], env)
    ok &= report("pickpack --help (median of 5)", help_wall, HELP_S, "s")
    report("  its CPU time (user + system)", help_cpu, HELP_S, "s")
    ok &= report("peak memory (VmHWM)", peak, MEMORY_MB, "MB")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
