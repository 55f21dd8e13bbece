"""Shared fixtures: every test runs away from the developer's own config and files."""

from __future__ import annotations

import functools
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from pickpack.config import Config, parse_config
from pickpack.store import open_store

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
if not SHARED_DATA.exists():  # CI clones next to shared/; a developer may point elsewhere
    SHARED_DATA = Path(os.environ.get("PICKPACK_SHARED_DATA", "/work/shared/data"))
os.environ.setdefault("PICKPACK_PIN_KDF_COST", "4")  # supervisor PINs: a cheap scrypt in tests


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PICKPACK_CONFIG", raising=False)
    monkeypatch.delenv("PICKPACK_DB_PASSWORD", raising=False)
    # A station's language follows the locale when its config names none: tests speak English
    # unless they ask for Chinese, whatever the machine running them is set to.
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.setenv("TERM", "xterm-256color")  # not the Linux console unless a test says so
    yield


@pytest.fixture
def shared_data() -> Path:
    assert SHARED_DATA.exists(), f"sample data not found at {SHARED_DATA}"
    return SHARED_DATA


def make_config(tmp_path: Path, **sections: dict[str, object]) -> Config:
    """A config whose store (``tmp_path/pp.db``) is upgraded, as `pickpack db upgrade` leaves it;
    a test that passes its own ``store`` section makes its store itself."""
    if "store" not in sections:
        upgraded_store(tmp_path / "pp.db")
    data: dict[str, object] = {
        "store": {"url": f"sqlite:///{tmp_path / 'pp.db'}"},
        "printers": {"express": f"preview://{tmp_path / 'slips'}",
                     "packing": f"preview://{tmp_path / 'slips'}"},
    }
    data.update(sections)
    return parse_config(data, "test")


def upgraded_store(path: Path) -> Path:
    """Put a store migrated to head at ``path`` unless one is there: `pickpack db upgrade`'s
    result, for tests that write their own config.toml."""
    if not path.exists():
        shutil.copyfile(_upgraded_store(), path)
    return path


@functools.cache
def _upgraded_store() -> Path:
    """One store migrated to head per test session: copied, it saves each test the migrations."""
    from db.engine import make_engine
    from db.migrate import upgrade

    path = Path(tempfile.mkdtemp(prefix="pickpack-store-")) / "head.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return make_config(tmp_path)


@pytest.fixture
def engine(config: Config) -> Iterator[Engine]:
    eng = open_store(config, create=True)
    yield eng
    eng.dispose()
