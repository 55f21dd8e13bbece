"""The store on PostgreSQL: migrations only by `pickpack db upgrade`, schema checks at start,
passwords never in config or messages, a down server is a quick clear error."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Connection, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError, ProgrammingError

from db.engine import PING_IDLE_S, StoreError, fetch_one, make_engine, redacted
from db.migrate import current_revision, downgrade, ensure_schema, head_revision, upgrade
from pickpack.cli import main
from pickpack.core.context import Floor
from pickpack.core.events import Actor
from pickpack.store import open_store
from tests.conftest import make_config
from tests.pg.conftest import PgStore, _libpq

SECRET = "s3cr3t-Pa55"


def test_password_in_config_url_is_refused_and_never_printed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"postgresql+psycopg://pp:{SECRET}@127.0.0.1:5432/test"
    with pytest.raises(StoreError) as err:
        make_engine(url)
    assert SECRET not in str(err.value) and "PICKPACK_DB_PASSWORD" in str(err.value)
    assert SECRET not in redacted(url) and redacted(url) == "127.0.0.1:5432/test"
    assert SECRET not in redacted(f"postgresql+psycopg://pp:{SECRET}@[bad")  # unparseable too
    (tmp_path / "config.toml").write_text(f'[store]\nurl = "{url}"\n')
    assert main(["--config", str(tmp_path / "config.toml"), "db", "upgrade"]) == 2
    out = capsys.readouterr()
    assert SECRET not in out.out + out.err and "carries a password" in out.err


def test_password_comes_from_the_environment(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PICKPACK_DB_PASSWORD", SECRET)
    engine = make_engine(pg_url)
    assert engine.url.password == SECRET
    assert SECRET not in str(engine.url) and SECRET not in repr(engine)
    with engine.connect() as conn:  # the test server trusts local connections
        assert conn.execute(text("SELECT 1")).scalar() == 1
    engine.dispose()


def test_only_db_upgrade_migrates_postgresql(empty_pg: str, tmp_path: Path) -> None:
    config = make_config(tmp_path, store={"url": empty_pg})
    with pytest.raises(StoreError, match="run `pickpack db upgrade`"):
        open_store(config)
    engine = make_engine(empty_pg)
    assert current_revision(engine) is None  # the station did not migrate
    (tmp_path / "config.toml").write_text(f'[store]\nurl = "{empty_pg}"\n')
    assert main(["--config", str(tmp_path / "config.toml"), "db", "upgrade"]) == 0
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        triggers = conn.execute(text(
            "SELECT tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relname = 'event' AND n.nspname = current_schema() AND NOT t.tgisinternal"
        )).scalars().all()
    assert triggers == ["event_notify"]
    assert upgrade(engine) == (head_revision(), head_revision())  # again: nothing to do
    open_store(config).dispose()  # now the station starts
    engine.dispose()


@pytest.mark.parametrize(("version", "message"), [
    ("0001", "run `pickpack db upgrade`"),
    ("9999_from_the_future", "newer than this PickPack knows"),
])
def test_station_refuses_a_schema_mismatch(pg: PgStore, version: str, message: str) -> None:
    with pg.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": version})
    with pytest.raises(StoreError, match=message):
        open_store(pg.config)
    with pytest.raises(StoreError, match=message):
        ensure_schema(pg.engine, auto_upgrade=False)


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A TCP port that accepts connections and never says a word (a hung server)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    yield sock.getsockname()[1]
    sock.close()


def _closed_port() -> int:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = int(sock.getsockname()[1])
    sock.close()
    return port


@pytest.mark.parametrize("kind", ["refused", "silent"])
def test_down_server_is_a_clear_error_within_the_timeout(
    tmp_path: Path, silent_server: int, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PICKPACK_DB_PASSWORD", SECRET)
    port = silent_server if kind == "silent" else _closed_port()
    config = make_config(tmp_path, store={"url": f"postgresql+psycopg://pp@127.0.0.1:{port}/test",
                                          "connect_timeout_s": 2})
    start = time.monotonic()
    with pytest.raises(StoreError, match="unreachable") as err:
        open_store(config)
    assert time.monotonic() - start < 5
    assert SECRET not in str(err.value) and f"127.0.0.1:{port}" in str(err.value)


def test_pre_ping_replaces_connections_the_server_dropped(pg: PgStore) -> None:
    with pg.engine.connect() as conn:
        pid = conn.execute(text("SELECT pg_backend_pid()")).scalar()
    with pg.admin() as admin:
        assert admin.execute("SELECT pg_terminate_backend(%s)", (pid,)).fetchone() == (True,)
    time.sleep(PING_IDLE_S + 0.1)  # idle connections are pinged before use
    with pg.engine.connect() as conn:  # the pooled connection is dead: pre-ping replaces it
        assert conn.execute(text("SELECT pg_backend_pid()")).scalar() != pid


def test_driver_statement_errors_are_sqlalchemy_errors_and_a_lost_connection_is_replaced(
    pg: PgStore,
) -> None:
    """The scan's hot path runs on the driver's cursor; the offline switch and the pool must see
    its failures exactly as SQLAlchemy's own."""
    with pg.engine.begin() as conn, pytest.raises(ProgrammingError):
        fetch_one(conn, "SELECT no_such_column FROM orders", ())
    with pg.engine.connect() as conn:
        pid = conn.execute(text("SELECT pg_backend_pid()")).scalar()
    with pg.admin() as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
    # the connection was used just now, so it is not pinged: the statement meets the loss
    with pytest.raises(OperationalError) as lost, pg.engine.begin() as conn:
        fetch_one(conn, "SELECT 1", ())
    assert lost.value.connection_invalidated
    with pg.engine.connect() as conn:
        assert conn.execute(text("SELECT pg_backend_pid()")).scalar() != pid


def test_a_station_keeps_its_connection_between_quick_scans_and_replaces_a_lost_one(
    pg: PgStore,
) -> None:
    floor = Floor(pg.engine, pg.config, keep_connection=True)
    actor = Actor("T1", "OP2001")

    def backend() -> int:
        return int(floor.run(actor, lambda conn: conn.execute(text("SELECT pg_backend_pid()"))
                             .scalar_one()))

    first = backend()
    assert backend() == first  # kept: no checkout between quick scans
    with pg.admin() as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (first,))
    with pytest.raises(OperationalError) as lost:
        backend()  # used just now, so not pinged: this scan meets the loss and is refused
    assert lost.value.connection_invalidated
    assert backend() != first  # the next one gets a fresh connection
    with ThreadPoolExecutor(4) as pool:  # other threads meanwhile take pooled transactions
        assert len(list(pool.map(lambda _: backend(), range(40)))) == 40
    floor.close()


def test_schema_fixture_isolates(pg: PgStore) -> None:
    with psycopg.connect(_libpq(pg.url)) as conn:
        assert conn.execute("SELECT current_schema()").fetchone() == (pg.schema,)
    assert make_url(pg.url).query["options"] == f"-csearch_path={pg.schema}"


def test_migrations_go_down_and_up_again(empty_pg: str) -> None:
    """Every PostgreSQL revision can be taken back (the count function and the event trigger
    return to what the revision before had) and applied again."""
    engine = make_engine(empty_pg)
    upgrade(engine)

    def trigger_and_function(conn: Connection) -> tuple[str, str]:
        trigger = conn.exec_driver_sql(
            "SELECT pg_get_triggerdef(t.oid) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
            " WHERE c.relname = 'event' AND c.relnamespace = current_schema()::regnamespace"
            " AND t.tgname = 'event_notify'").scalar_one()
        result = conn.exec_driver_sql(
            "SELECT pg_get_function_result('pickpack_count_item'::regproc)").scalar_one()
        return str(trigger), str(result)

    with engine.connect() as conn:
        at_head = trigger_and_function(conn)
    assert "WHEN" in at_head[0] and at_head[1].startswith("record")  # OUT parameters
    downgrade(engine, "0004")
    with engine.connect() as conn:
        at_0004 = trigger_and_function(conn)
    assert "WHEN" not in at_0004[0] and at_0004[1].startswith("TABLE")
    downgrade(engine, "0003")
    with engine.connect() as conn:
        assert conn.exec_driver_sql(
            "SELECT count(*) FROM pg_proc WHERE proname = 'pickpack_count_item'"
            " AND pronamespace = current_schema()::regnamespace").scalar_one() == 0
    assert current_revision(engine) == "0003"
    upgrade(engine)
    with engine.connect() as conn:
        assert trigger_and_function(conn) == at_head
    engine.dispose()
