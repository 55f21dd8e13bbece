"""Schema migrations (Alembic) for SQLite and PostgreSQL, driven from code.

A new SQLite store is brought up to date by itself (after a backup of an existing file); on
PostgreSQL only ``pickpack db upgrade`` migrates (under an advisory lock, in one transaction:
PostgreSQL's DDL is transactional). A station checks the version at start and refuses both a
schema newer than it knows and one it would have to migrate.
"""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from db.engine import NOT_A_DATABASE, UNREACHABLE, StoreError, is_sqlite, redacted

MIGRATIONS = Path(__file__).with_name("migrations")
UPGRADE_LOCK = 0x7069636B  # "pick": the advisory lock key that serialises migrations


def _alembic_config() -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None, "no migrations found"
    return head


def known_revisions() -> set[str]:
    return {s.revision for s in ScriptDirectory.from_config(_alembic_config()).walk_revisions()}


def current_revision(engine: Engine) -> str | None:
    """The store's schema revision (None when empty); StoreError when it cannot be reached."""
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    except OperationalError as exc:
        where = redacted(engine.url.render_as_string(hide_password=True))
        raise StoreError(UNREACHABLE, where=where, cause=" ".join(str(exc.orig).split())) from exc


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Migrate to head; returns (before, after) revisions."""
    before = current_revision(engine)
    if before is not None and before not in known_revisions():
        raise StoreError("store schema {current} is newer than this PickPack knows; upgrade PickPack",
                         current=before)
    cfg = _alembic_config()
    with engine.begin() as conn:
        if not is_sqlite(engine):
            # Two `pickpack db upgrade` at once: the second waits, then finds nothing to do.
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({UPGRADE_LOCK})")
            before = MigrationContext.configure(conn).get_current_revision()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    return before, head_revision()


def downgrade(engine: Engine, revision: str) -> None:
    """Take the schema back to ``revision`` (an operator rolling a release back; tests)."""
    if revision not in known_revisions():
        raise StoreError("unknown schema revision {revision}", revision=repr(revision))
    cfg = _alembic_config()
    with engine.begin() as conn:
        if not is_sqlite(engine):  # never beside an upgrade or another downgrade
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({UPGRADE_LOCK})")
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)


def sqlite_file(engine: Engine) -> Path | None:
    db = engine.url.database
    if not is_sqlite(engine) or not db or db == ":memory:":
        return None
    return Path(db)


def backup_sqlite(engine: Engine) -> Path | None:
    """Copy an existing SQLite store (with its WAL checkpointed) before a migration."""
    path = sqlite_file(engine)
    if path is None or not path.exists() or path.stat().st_size == 0:
        return None
    # Outside any transaction (a checkpoint inside BEGIN IMMEDIATE is refused as locked).
    db = sqlite3.connect(path, isolation_level=None, timeout=30)
    try:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    except sqlite3.DatabaseError as exc:  # damaged or another kind of file: never migrated
        raise StoreError(NOT_A_DATABASE, where=str(path), cause=str(exc).strip()) from exc
    finally:
        db.close()
    stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
    dest = path.with_name(f"{path.name}.bak-{stamp}")
    shutil.copy2(path, dest)
    return dest


def ensure_schema(engine: Engine, *, auto_upgrade: bool, create: bool = False) -> None:
    """Check (and on SQLite, bring up) the schema before a station or command uses the store.

    A store that was never upgraded is refused unless ``create`` (the demo, tests): a typo in
    the URL must not become a new, empty store that a station then works on."""
    where = redacted(engine.url.render_as_string(hide_password=True))
    never = "store {where} has no PickPack tables yet: run `pickpack db upgrade` first"
    path = engine.url.database if engine.url.get_backend_name() == "sqlite" else None
    if not create and path and path != ":memory:" and not Path(path).exists():
        raise StoreError(never, where=where)  # before connecting, which would create the file
    current = current_revision(engine)
    head = head_revision()
    if current == head:
        return
    if current is not None and current not in known_revisions():
        raise StoreError("store schema {current} is newer than this PickPack knows; upgrade PickPack",
                         current=current)
    if current is None and not create:
        raise StoreError(never, where=where)
    if not auto_upgrade:
        raise StoreError("store schema is {current}, this PickPack needs {head}: "
                         "run `pickpack db upgrade`", current=current or "empty", head=head)
    if current is not None:
        backup_sqlite(engine)
    upgrade(engine)
