"""Concurrent ``pickpack import`` processes on one PostgreSQL store end exact (issue 13 item 13).

Four real processes import the same export while a test transaction holds one of its order
numbers uncommitted: every importer that has read the store before inserting blocks on it, so
all four are inside their transaction at once, whatever the machine's speed. Before imports
took turns, the first to commit made the other three fail with a UniqueViolation traceback.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, insert, select

from pickpack.core.tables import EVENTS, LINES, ORDERS
from tests.intake.conftest import DETAIL_HEADER, ORDER_HEADER, csv_text, line, order
from tests.pg.conftest import PgStore

N = 40


def _export(tmp: Path, nos: list[str], tag: str) -> list[Path]:
    o, d = tmp / f"ExportOrderList{tag}.csv", tmp / f"ExportOrderDetailList{tag}.csv"
    o.write_bytes(csv_text(ORDER_HEADER, [order(n) for n in nos]).encode("gb18030"))
    d.write_bytes(csv_text(DETAIL_HEADER, [r for n in nos for r in (line(n), line(n, "P02-01"))])
                  .encode("gb18030"))
    return [o, d]


def _config(tmp: Path, url: str) -> Path:
    cfg = tmp / "config.toml"
    cfg.write_text(f'[store]\nurl = "{url}"\n[station]\nid = "D1"\nmode = "desk"\n',
                   encoding="utf-8")
    return cfg


def _start(cfg: Path, files: list[Path]) -> subprocess.Popen[str]:
    code = "import sys; from pickpack.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.Popen([sys.executable, "-c", code, "--config", str(cfg), "import", "orders",
                             *map(str, files)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def _waiting(pg: PgStore, blocker: int) -> int:
    """Backends waiting, directly or behind another waiter, for the blocker's transaction."""
    with pg.admin() as conn:
        row = conn.execute(
            "WITH RECURSIVE w(pid) AS (SELECT pid FROM pg_stat_activity WHERE %s = ANY("
            "pg_blocking_pids(pid)) UNION SELECT a.pid FROM pg_stat_activity a JOIN w "
            "ON w.pid = ANY(pg_blocking_pids(a.pid))) SELECT count(*) FROM w", (blocker,)
        ).fetchone()
    assert row is not None
    return int(row[0])


def _exact(pg: PgStore, nos: set[str]) -> None:
    with pg.engine.connect() as conn:
        got = list(conn.execute(select(ORDERS.c.order_no)).scalars())
        assert sorted(got) == sorted(nos)  # each order once
        lines = conn.execute(select(LINES.c.order_id, LINES.c.sku)).all()
        assert len(lines) == 2 * len(nos) and len(set(lines)) == len(lines)  # each line once
        imported = conn.execute(select(func.count()).select_from(EVENTS)
                                .where(EVENTS.c.kind == "imported")).scalar_one()
        assert imported == len(nos)


def test_four_imports_of_one_export_while_all_are_inside(pg: PgStore, tmp_path: Path) -> None:
    nos = [f"41{i:08d}" for i in range(N)]
    files = _export(tmp_path, nos, "")
    cfg = _config(tmp_path, pg.url)
    blocker = pg.engine.connect()
    tx = blocker.begin()
    pid = blocker.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
    blocker.execute(insert(ORDERS).values(order_no=nos[N // 2], state="new"))
    procs = [_start(cfg, files) for _ in range(4)]
    try:
        deadline = time.monotonic() + 60
        while _waiting(pg, pid) < 4:
            assert all(p.poll() is None for p in procs), [p.communicate() for p in procs]
            assert time.monotonic() < deadline, "the four imports never all waited"
            time.sleep(0.05)
    finally:
        tx.rollback()
        blocker.close()
    outs = [p.communicate(timeout=120) for p in procs]
    for p, (out, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0 and err == "", err
        assert len(out.splitlines()) == 1
    summaries = sorted(out.split(",")[0] for out, _ in outs)
    assert summaries == ["orders: 0 new"] * 3 + [f"orders: {N} new"]
    _exact(pg, set(nos))


def test_overlapping_exports_at_once(pg: PgStore, tmp_path: Path) -> None:
    a = [f"42{i:08d}" for i in range(0, 30)]
    b = [f"42{i:08d}" for i in range(15, 45)]
    cfg = _config(tmp_path, pg.url)
    fa, fb = _export(tmp_path, a, "A"), _export(tmp_path, b, "B")
    procs = [_start(cfg, f) for f in (fa, fb, fa, fb)]
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0 and err == "", err
    _exact(pg, set(a) | set(b))
