"""Opening the store a command or station works on."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from db.engine import StoreError, is_sqlite, make_engine, redacted
from db.migrate import ensure_schema
from pickpack.config import Config


def open_store(cfg: Config, *, check_schema: bool = True) -> Engine:
    """Engine for ``[store] url``; SQLite is brought up to date by itself, PostgreSQL is checked."""
    engine = make_engine(
        cfg.store.url, pool_size=cfg.store.pool_size, connect_timeout_s=cfg.store.connect_timeout_s
    )
    if check_schema:
        try:
            ensure_schema(engine, auto_upgrade=is_sqlite(engine))
        except OperationalError as exc:
            raise StoreError(f"store {redacted(cfg.store.url)} unreachable: {exc.orig}") from exc
    return engine
