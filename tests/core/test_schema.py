"""A SQLite store is brought up to date by itself, after a backup; a newer schema is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text

from db.engine import StoreError, make_engine
from db.migrate import _alembic_config, current_revision, head_revision
from pickpack.store import open_store
from tests.conftest import make_config


def test_old_sqlite_store_is_backed_up_then_upgraded(tmp_path: Path) -> None:
    cfg = make_config(tmp_path, store={"url": f"sqlite:///{tmp_path / 'pp.db'}"})
    engine = make_engine(cfg.store.url)
    alembic = _alembic_config()
    with engine.begin() as conn:
        alembic.attributes["connection"] = conn
        command.upgrade(alembic, "0001")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO courier(code, name) VALUES ('SF', '顺丰速运')"))
    engine.dispose()
    assert head_revision() != "0001", "this test needs a second migration"
    upgraded = open_store(cfg)
    assert current_revision(upgraded) == head_revision()
    backups = list(tmp_path.glob("pp.db.bak-*"))
    assert len(backups) == 1
    old = make_engine(f"sqlite:///{backups[0]}")
    assert current_revision(old) == "0001"
    with old.connect() as conn:
        assert conn.execute(text("SELECT name FROM courier")).scalar() == "顺丰速运"


def test_a_schema_newer_than_this_pickpack_is_refused(tmp_path: Path) -> None:
    cfg = make_config(tmp_path)
    engine = open_store(cfg, create=True)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    engine.dispose()
    with pytest.raises(StoreError, match="newer than this PickPack"):
        open_store(cfg)


def test_migrations_build_exactly_the_models(tmp_path: Path) -> None:
    """Alembic's own comparison: a store made by the migrations matches db/models.py."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    import db.models  # noqa: F401  (registers the tables)

    engine = open_store(make_config(tmp_path), create=True)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": False})
        diff = compare_metadata(context, SQLModel.metadata)
    engine.dispose()
    assert diff == [], f"models and migrations disagree: {diff}"
