"""Baskets: bound at pick, free only once their goods have left them."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from tests.core.bind_race import race


def test_twenty_processes_binding_new_baskets_on_sqlite(engine: Engine, tmp_path: Path) -> None:
    race(engine, str(engine.url), tmp_path)
