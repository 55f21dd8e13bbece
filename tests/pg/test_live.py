"""Live views: changes arrive without a key press (LISTEN/NOTIFY on PostgreSQL, polling on SQLite)."""

from __future__ import annotations

import threading
import time

from sqlalchemy import Engine

from db.engine import write_tx
from pickpack.core.events import Actor, append_event
from pickpack.core.verify import count_item, open_for_verify, uncount_last
from pickpack.live import RESYNC, Change, LiveFeed
from tests.core.floorkit import seed
from tests.pg.conftest import PgStore
from tests.pg.kit import TEE, picked_order, scanned


def _later(delay: float, fn: object) -> threading.Thread:
    t = threading.Timer(delay, fn)  # type: ignore[arg-type]
    t.start()
    return t


def _changes(feed: LiveFeed, n: int) -> list[Change]:
    got: list[Change] = []
    while len(got) < n:
        more = feed.wait(2)
        assert more, f"only {got} of {n} changes arrived"
        got += more
    return got


def test_pg_feed_sees_a_count_on_an_order_open_at_another_station(pg: PgStore) -> None:
    seed(pg.engine, orders=0)
    oid = picked_order(pg.engine, "L1", qty=2)
    floor = pg.floor()
    item = floor.classifier.classify(TEE)
    with LiveFeed(pg.engine) as feed:
        assert feed.wait(0.2) == []
        open_for_verify(floor, Actor("V1", "OP2002"), "L1")
        assert [c.kind for c in _changes(feed, 1)] == ["verify_opened"]
        t = _later(0.3, lambda: count_item(floor, Actor("V2", "OP2001"), oid, item))
        start = time.monotonic()
        changes = feed.wait(5)
        assert time.monotonic() - start < 2
        t.join()
        assert changes and changes[0].kind == "item_scanned" and changes[0].order_id == oid
        assert changes[0].station == "V2" and changes[0].event_id
        count_item(floor, Actor("V2", "OP2001"), oid, item)  # completes the order: 2 events
        assert [c.kind for c in _changes(feed, 2)] == ["item_scanned", "verified"]


def test_pg_counts_nobody_else_watches_ring_no_doorbell(pg: PgStore) -> None:
    """A notifying commit holds a cluster-wide lock until it is flushed (migration 0004): an
    item count notifies only when another station has the order open; the move it completes
    always does, and so does a count's undo."""
    seed(pg.engine, orders=0)
    oid = picked_order(pg.engine, "L2", qty=2)
    floor = pg.floor()
    item = floor.classifier.classify(TEE)
    me = Actor("V1", "OP2001")
    with LiveFeed(pg.engine) as feed:
        open_for_verify(floor, me, "L2")  # opened here only
        assert [c.kind for c in _changes(feed, 1)] == ["verify_opened"]
        count_item(floor, me, oid, item)
        assert feed.wait(0.5) == []
        uncount_last(floor, me, oid)
        count_item(floor, me, oid, item)
        count_item(floor, me, oid, item)  # the last unit: the order moves to verified
        assert [c.kind for c in _changes(feed, 2)] == ["item_unscanned", "verified"]
    assert scanned(pg.engine, oid) == 2


def test_pg_feed_ignores_other_schemas(pg: PgStore, pg_url: str) -> None:
    from tests.pg.conftest import create_schema, drop_schema, with_schema

    other = create_schema(pg_url)
    try:
        from db.engine import make_engine
        from db.migrate import upgrade

        engine = make_engine(with_schema(pg_url, other))
        upgrade(engine)
        with LiveFeed(pg.engine) as feed:
            with write_tx(engine) as conn:
                append_event(conn, Actor("X", "x"), "elsewhere")
            with write_tx(pg.engine) as conn:
                append_event(conn, Actor("Y", "y"), "here")
            assert [c.kind for c in feed.wait(3)] == ["here"]
        engine.dispose()
    finally:
        drop_schema(pg_url, other)


def test_pg_feed_survives_a_dropped_connection_with_a_resync(pg: PgStore) -> None:
    with LiveFeed(pg.engine) as feed:
        pid = feed._conn.info.backend_pid
        with pg.admin() as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
        assert feed.wait(5) == [Change(RESYNC)]  # notifications may have been missed: reload
        with write_tx(pg.engine) as conn:
            append_event(conn, Actor("Y", "y"), "after")
        assert [c.kind for c in feed.wait(3)] == ["after"]


def test_pg_close_ends_a_waiting_reader(pg: PgStore) -> None:
    feed = LiveFeed(pg.engine)
    _later(0.3, feed.close)
    start = time.monotonic()
    assert feed.wait(30) == []
    assert time.monotonic() - start < 3


def test_sqlite_feed_polls_the_event_table(engine: Engine) -> None:
    with write_tx(engine) as conn:
        append_event(conn, Actor("A", "a"), "before")
    with LiveFeed(engine) as feed:  # starts after what is already there
        assert feed.wait(0.3) == []
        _later(0.2, lambda: _append(engine, "scan"))
        changes = feed.wait(3)
        assert [c.kind for c in changes] == ["scan"]
        _later(0.2, feed.close)
        assert feed.wait(10) == []


def _append(engine: Engine, kind: str) -> None:
    with write_tx(engine) as conn:
        append_event(conn, Actor("B", "b"), kind)
