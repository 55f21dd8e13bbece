"""PostgreSQL fixtures: the server named by PICKPACK_TEST_PG_URL, one fresh schema per test.

Outside CI a missing or silent server skips these tests with the reason; in CI (``CI=true``)
with the URL set, a server that does not answer fails them: CI must not pass by skipping.
Each test gets its own schema (``search_path`` in the connection options) migrated by the real
Alembic migrations, so tests and the other engineers sharing the server never collide.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from db.engine import make_engine
from db.migrate import upgrade
from pickpack.config import Config
from pickpack.core.context import Floor
from tests.conftest import make_config

PG_ENV = "PICKPACK_TEST_PG_URL"


def _libpq(url: str) -> str:
    """A libpq conninfo for plain psycopg (no SQLAlchemy driver prefix)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def with_schema(url: str, schema: str) -> str:
    u = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
    return u.render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def pg_url() -> str:
    url = os.environ.get(PG_ENV)
    in_ci = os.environ.get("CI", "").lower() == "true"
    if not url:
        if in_ci:
            pytest.fail(f"CI=true but {PG_ENV} is not set: .ci/run exports it")
        pytest.skip(f"PostgreSQL tests need {PG_ENV} (e.g. postgresql+psycopg://postgres@127.0.0.1/test)")
    try:
        psycopg.connect(_libpq(url), connect_timeout=3).close()
    except psycopg.OperationalError as exc:
        reason = f"no PostgreSQL answers at {make_url(url).render_as_string()}: {exc}".strip()
        if in_ci:
            pytest.fail(reason)
        pytest.skip(reason)
    return url


@dataclass
class PgStore:
    url: str
    """The store URL with this test's schema on the search path."""
    schema: str
    engine: Engine
    config: Config

    def floor(self) -> Floor:
        return Floor(self.engine, self.config)

    def admin(self) -> psycopg.Connection:
        return psycopg.connect(_libpq(self.url), autocommit=True)


def create_schema(pg_url: str) -> str:
    schema = f"pp_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(_libpq(pg_url), autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    return schema


def drop_schema(pg_url: str, schema: str) -> None:
    with psycopg.connect(_libpq(pg_url), autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


@pytest.fixture
def empty_pg(pg_url: str) -> Iterator[str]:
    """A fresh, empty schema's URL (nothing migrated)."""
    schema = create_schema(pg_url)
    yield with_schema(pg_url, schema)
    drop_schema(pg_url, schema)


@pytest.fixture
def pg(pg_url: str, tmp_path: Path) -> Iterator[PgStore]:
    """A fresh schema migrated to head, with an engine and a config pointing at it."""
    schema = create_schema(pg_url)
    url = with_schema(pg_url, schema)
    engine = make_engine(url, pool_size=5, connect_timeout_s=3)
    upgrade(engine)
    store = PgStore(url, schema, engine, make_config(tmp_path, store={"url": url}))
    yield store
    engine.dispose()
    drop_schema(pg_url, schema)
