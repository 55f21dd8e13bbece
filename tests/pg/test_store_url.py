"""A password has no place anywhere in the store URL, and a URL shown to a person is host, port
and database only: refusals, the unreachable-store error, the header's store name, the offline
warning log."""

from __future__ import annotations

import logging
import socket
from pathlib import Path

import pytest

from db.engine import StoreError, make_engine, redacted
from pickpack.offline import StoreSwitch, open_journal
from pickpack.store import open_store
from tests.conftest import make_config

SECRET = "s3cr3t-Qu3ry"


@pytest.mark.parametrize("url", [
    f"postgresql+psycopg://pp@127.0.0.1:5432/test?password={SECRET}",
    f"postgresql+psycopg://pp@127.0.0.1:5432/test?sslmode=disable&PassWord={SECRET}",
    f"postgresql+psycopg://pp@127.0.0.1:5432/test?sslpassword={SECRET}",
    f"postgresql+psycopg://pp:{SECRET}@127.0.0.1:5432/test",
])
def test_a_password_anywhere_in_the_url_is_refused_and_not_shown(url: str) -> None:
    with pytest.raises(StoreError) as err:
        make_engine(url)
    text = str(err.value)
    assert SECRET not in text and "carries a password" in text and "127.0.0.1:5432/test" in text


def test_passfile_is_allowed() -> None:
    engine = make_engine("postgresql+psycopg://pp@127.0.0.1:5432/test?passfile=/etc/pp.pgpass")
    engine.dispose()


def test_a_shown_url_is_host_port_and_database_only() -> None:
    assert redacted(f"postgresql+psycopg://pp:{SECRET}@db-host:6432/wh?password={SECRET}"
                    "&sslmode=require") == "db-host:6432/wh"
    assert redacted("postgresql+psycopg://pp@db-host/wh") == "db-host/wh"
    assert redacted("sqlite:///var/pp.db") == "var/pp.db"
    bad = redacted(f"postgresql+psycopg://pp:{SECRET}@[bad/x?password={SECRET}")
    assert SECRET not in bad and "pp" not in bad


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_the_unreachable_store_error_shows_host_port_and_database(tmp_path: Path) -> None:
    port = _closed_port()
    cfg = make_config(tmp_path, store={
        "url": f"postgresql+psycopg://pp@127.0.0.1:{port}/wh?application_name={SECRET}",
        "connect_timeout_s": 2})
    with pytest.raises(StoreError) as err:
        open_store(cfg).dispose()
    assert f"store 127.0.0.1:{port}/wh unreachable" in str(err.value)
    assert SECRET not in str(err.value) and "pp@" not in str(err.value)


def test_the_offline_warning_log_shows_host_port_and_database(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    port = _closed_port()
    central = make_engine(f"postgresql+psycopg://pp:{SECRET}@127.0.0.1:{port}/wh"
                          f"?password={SECRET}", allow_password=True)
    switch = StoreSwitch(central, open_journal(tmp_path / "j.db"))
    with caplog.at_level(logging.WARNING, logger="pickpack.offline.switch"):
        switch.go_offline(RuntimeError("gone"))
    assert f"store 127.0.0.1:{port}/wh unreachable" in caplog.text and SECRET not in caplog.text
    central.dispose()
