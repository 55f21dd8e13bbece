"""Imports at the same time on one SQLite file end exact; an import waits for a busy store."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import Engine

from db.engine import BUSY_TIMEOUT_MS, StoreError
from pickpack.cli import store_words
from pickpack.i18n import set_language
from pickpack.intake import common, import_orders
from tests.conftest import upgraded_store
from tests.intake.conftest import Writer, count, line, order


def _cli(cfg: Path, files: list[Path]) -> subprocess.Popen[str]:
    code = "import sys; from pickpack.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.Popen([sys.executable, "-c", code, "--config", str(cfg), "import", "orders",
                             *map(str, files)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def test_four_processes_overlapping_exports(tmp_path: Path, write_export: Writer) -> None:
    db = tmp_path / "pp.db"
    upgraded_store(tmp_path / "pp.db")
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[store]\nurl = "sqlite:///{db}"\n[station]\nid = "D1"\nmode = "desk"\n',
                   encoding="utf-8")
    a = [f"43{i:08d}" for i in range(0, 30)]
    b = [f"43{i:08d}" for i in range(15, 45)]
    fa = write_export([order(n) for n in a], [line(n) for n in a], tag="A")
    fb = write_export([order(n) for n in b], [line(n) for n in b], tag="B")
    procs = [_cli(cfg, f) for f in (fa, fb, fa, fb)]
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0 and err == "", err
        assert out.startswith("orders: ") and len(out.splitlines()) == 1
    con = sqlite3.connect(db)
    try:
        nos = [r[0] for r in con.execute("SELECT order_no FROM orders")]
        lines = con.execute("SELECT order_id, sku FROM order_line").fetchall()
        imported = con.execute("SELECT count(*) FROM event WHERE kind = 'imported'").fetchone()
    finally:
        con.close()
    assert sorted(nos) == sorted(set(a) | set(b))
    assert len(lines) == 45 and len(set(lines)) == 45
    assert imported == (45,)


def test_import_waits_past_the_station_busy_timeout(engine: Engine, tmp_path: Path,
                                                     write_export: Writer) -> None:
    """A writer holding the store longer than a station's busy timeout delays an import; it
    used to fail with a 'database is locked' traceback."""
    files = write_export([order("4400000001")], [line("4400000001")])
    db = engine.url.database
    assert db is not None
    blocker = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    blocker.execute("BEGIN IMMEDIATE")
    release = threading.Timer(BUSY_TIMEOUT_MS / 1000 + 0.5, blocker.rollback)
    release.start()
    try:
        res = import_orders(engine, files, skip_bad=False)
    finally:
        release.join()
        blocker.close()
    assert res.inserted == 1 and count(engine, "orders") == 1
    with engine.connect() as c:
        assert c.exec_driver_sql("PRAGMA busy_timeout").scalar() == BUSY_TIMEOUT_MS


def test_a_store_locked_past_the_wait_is_one_line_in_chinese(
        engine: Engine, write_export: Writer, monkeypatch: pytest.MonkeyPatch) -> None:
    """A writer that keeps the store past the import's wait: the import gives up in one line,
    said in the station's language (the CLI says a StoreError through store_words)."""
    monkeypatch.setattr(common, "IMPORT_WAIT_S", 1)
    files = write_export([order("4400000002")], [line("4400000002")])
    db = engine.url.database
    assert db is not None
    blocker = sqlite3.connect(db, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreError) as exc:
            import_orders(engine, files, skip_bad=False)
    finally:
        blocker.close()
    set_language("zh_CN")
    try:
        said = store_words(exc.value)
    finally:
        set_language("en")
    assert said.startswith("数据库被另一个写入者锁住了 1 秒；未导入任何内容") and count(engine, "orders") == 0
