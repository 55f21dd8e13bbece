"""A NUL byte in a cell is refused on PostgreSQL the same way as on SQLite (issue 14 item 3).

It used to end in a 40-line traceback from the driver (PostgreSQL text cannot hold NUL), even
with --skip-bad, taking the good rows with it.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from db.engine import make_engine
from db.models import metadata
from tests.intake.conftest import Writer, write_export  # noqa: F401 (fixture)
from tests.intake.test_hostile import nul_errors, nul_export
from tests.pg.conftest import PgStore


def test_nul_refused_alike_on_both_stores(pg: PgStore, tmp_path: Path,
                                          write_export: Writer) -> None:  # noqa: F811
    files = nul_export(write_export)
    sqlite: Engine = make_engine("sqlite:///" + str(tmp_path / "side.db"))
    metadata.create_all(sqlite)
    try:
        assert nul_errors(pg.engine, files) == nul_errors(sqlite, files)
    finally:
        sqlite.dispose()
