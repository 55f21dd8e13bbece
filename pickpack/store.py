"""Opening the store a command or station works on."""

from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from db.engine import StoreError, is_sqlite, make_engine, redacted
from db.migrate import ensure_schema
from pickpack.config import Config

log = logging.getLogger(__name__)


class StoreAway(StoreError):
    """The store did not answer (not a wrong schema or a bad URL): a station that has a
    journal can start from it."""


def open_store(cfg: Config, *, check_schema: bool = True, create: bool = False) -> Engine:
    """Engine for ``[store] url``; SQLite is brought up to date by itself, PostgreSQL is checked.
    ``create``: a store never upgraded is made (the demo, tests), not refused."""
    engine = make_engine(
        cfg.store.url, pool_size=cfg.store.pool_size, connect_timeout_s=cfg.store.connect_timeout_s
    )
    if check_schema:
        extra = {"create": True} if create else {}  # db.migrate's own default otherwise
        try:
            ensure_schema(engine, auto_upgrade=is_sqlite(engine), **extra)
        except OperationalError as exc:
            engine.dispose()
            raise StoreAway(f"store {redacted(cfg.store.url)} unreachable: {exc.orig}") from exc
        except StoreError as exc:  # db.migrate says "unreachable" itself, the cause kept
            engine.dispose()
            if isinstance(exc.__cause__, OperationalError):
                raise StoreAway(str(exc)) from exc.__cause__
            raise
    return engine


def open_station_store(cfg: Config) -> tuple[Engine, str]:
    """The store for a station, and why it starts cold from its journal ('' when it does not).

    A PostgreSQL station whose central store does not answer at boot still starts when its
    journal (``[store] journal``) holds a copy from an earlier run: it opens offline on the
    journal (the header says so) and the probe brings it back, synced, once the store answers.
    With no journal there is nothing to work from: the one-line :class:`StoreAway` error.
    """
    try:
        return open_store(cfg), ""
    except StoreAway as exc:
        if cfg.store.url.startswith("sqlite") or not has_journal(cfg):
            raise
        log.warning("%s: starting from the journal %s", exc, cfg.store.journal)
        return open_store(cfg, check_schema=False), str(exc)


def has_journal(cfg: Config) -> bool:
    """The station's journal file is there and holds a copy (its operators at least)."""
    path = Path(cfg.store.journal)
    if not path.is_file() or path.stat().st_size == 0:
        return False
    from pickpack.offline.journal import journal_has_copy

    return journal_has_copy(path)
