"""The station's journal copy, on real SQLite files: incremental copies end up with the whole
event trail, and the fsync-free copy never leaves a journal connection without FULL sync."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, select

from db.engine import write_tx
from pickpack.config import Config
from pickpack.core.events import Actor, append_event
from pickpack.core.orders import find_order_id
from pickpack.core.release import release
from pickpack.core.tables import EVENTS
from pickpack.offline import open_journal
from pickpack.offline.journal import snapshot
from tests.core.floorkit import seed

CLERK = Actor("D1", "clerk")


def _uuids(engine: Engine, oid: int) -> list[str]:
    with engine.connect() as conn:
        rows = conn.execute(select(EVENTS.c.uuid).where(EVENTS.c.order_id == oid)
                            .order_by(EVENTS.c.uuid))
        return list(rows.scalars())


def test_copies_since_the_last_event_end_with_the_whole_trail(
    engine: Engine, config: Config, tmp_path: Path
) -> None:
    seed(engine, orders=1)
    release(engine, config, CLERK)
    with engine.connect() as conn:
        oid = find_order_id(conn, "3900000000000000000")
    assert oid is not None
    journal = open_journal(tmp_path / "journal.db")
    last = snapshot(engine, journal, [oid])
    assert _uuids(journal, oid) == _uuids(engine, oid) and last[oid] > 0
    for i in range(30):  # more new events than the overlap re-reads
        with write_tx(engine) as conn:
            append_event(conn, CLERK, "note", oid, {"i": i})
        if i % 10 == 9:
            last = snapshot(engine, journal, [oid], catalog=False, since=last)
    assert len(_uuids(engine, oid)) == 31
    assert _uuids(journal, oid) == _uuids(engine, oid)


def test_journal_connections_stay_synchronous_full_after_a_copy(
    engine: Engine, config: Config, tmp_path: Path
) -> None:
    seed(engine, orders=1)
    journal = open_journal(tmp_path / "journal.db")
    for _ in range(3):
        snapshot(engine, journal, [1])
    with journal.connect() as conn:  # the pooled connection the copies used
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
