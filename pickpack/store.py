"""Opening the store a command or station works on."""

from __future__ import annotations

import logging
import re
from functools import cache
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, OperationalError

import db
from db.engine import UNREACHABLE, StoreError, is_sqlite, make_engine, redacted
from pickpack.config import Config

log = logging.getLogger(__name__)

VERSIONS = Path(db.__file__).with_name("migrations") / "versions"
_REVISION = re.compile(r"^(down_revision|revision) = ['\"](\w+)['\"]$", re.M)


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
            if not _at_head(engine):
                from db.migrate import ensure_schema  # Alembic: only when there is more to check

                ensure_schema(engine, auto_upgrade=is_sqlite(engine), **extra)
        except OperationalError as exc:
            engine.dispose()
            where = redacted(cfg.store.url)
            raise StoreAway(UNREACHABLE, where=where, cause=" ".join(str(exc.orig).split())) from exc
        except StoreError as exc:  # db.migrate says "unreachable" itself, the cause kept
            engine.dispose()
            if isinstance(exc.__cause__, OperationalError):
                raise StoreAway(exc.template, **exc.values) from exc.__cause__
            raise
    return engine


def _at_head(engine: Engine) -> bool:
    """The store's schema is the newest this PickPack knows: nothing to migrate or refuse.

    The quick answer every station start and command takes (loading Alembic and its scripts costs
    0.2 s): one read of ``alembic_version`` against :func:`head_from_scripts`. False sends the
    caller to :func:`db.migrate.ensure_schema`, which says what is wrong or brings the store up.
    A SQLite file that is not there is False before connecting (which would create it); a store
    that does not answer raises the connection's OperationalError."""
    head = head_from_scripts()
    path = engine.url.database if is_sqlite(engine) else None
    if head is None or (is_sqlite(engine) and (not path or not Path(path).is_file())):
        return False
    with engine.connect() as conn:
        try:
            rows = conn.exec_driver_sql("SELECT version_num FROM alembic_version").all()
        except DBAPIError:  # no such table: a store never upgraded, for ensure_schema to say
            return False
    return [row[0] for row in rows] == [head]


@cache
def head_from_scripts() -> str | None:
    """The head revision of ``db/migrations/versions``, read from its scripts' ``revision`` and
    ``down_revision`` lines; None unless that is exactly one revision (a merge's tuple of
    parents, say: Alembic decides then)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in VERSIONS.glob("[0-9]*.py"):
        found = dict((k, v) for k, v in _REVISION.findall(script.read_text(encoding="utf-8")))
        if "revision" not in found:
            return None
        revisions.add(found["revision"])
        if "down_revision" in found:
            parents.add(found["down_revision"])
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


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
