"""Binding one new basket code from twenty PostgreSQL stations at once (issue 14 item 7): one
binds, the others are told "basket in use"; no IntegrityError on basket_pkey."""

from __future__ import annotations

from pathlib import Path

from tests.core.bind_race import race
from tests.pg.conftest import PgStore


def test_twenty_processes_binding_new_baskets_on_postgresql(pg: PgStore, tmp_path: Path) -> None:
    race(pg.engine, pg.url, tmp_path)
