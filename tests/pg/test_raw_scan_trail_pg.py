"""On PostgreSQL the count's event is written by pickpack_count_item (revision 0011): the raw
scan and its symbology are in it as on SQLite, and the refusals carry them too."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.engine import make_url

from db.engine import make_engine
from pickpack.core.flows import make_flow
from pickpack.core.tables import EVENTS
from pickpack.scan import Scan
from tests.core.floorkit import seed
from tests.core.test_raw_scan_trail import check, scan_at_verify
from tests.pg.conftest import PgStore
from tests.pg.proxy import Proxy
from tests.pg.test_offline import _station


@pytest.fixture
def proxied(pg: PgStore) -> Iterator[tuple[Proxy, Engine]]:
    """The test's store behind a proxy the test can cut (as in test_offline)."""
    u = make_url(pg.url)
    proxy = Proxy(u.host or "127.0.0.1", u.port or 5432)
    proxy.start()
    engine = make_engine(u.set(port=proxy.port).render_as_string(hide_password=False),
                         connect_timeout_s=2)
    yield proxy, engine
    proxy.stop()
    engine.dispose()


def test_refusals_and_counts_keep_the_raw_scan_on_postgresql(pg: PgStore) -> None:
    check(*scan_at_verify(pg.floor()))


def test_a_refusal_the_flow_makes_when_the_store_just_went_away_is_kept(
    pg: PgStore, proxied: tuple[Proxy, Engine], tmp_path: Path
) -> None:
    """The flow's own refusal is recorded through the floor: the store gone at that moment
    switches the station offline (no traceback), the journal keeps the refusal with its raw
    code, and it reaches the central trail when the store is back."""
    proxy, central = proxied
    seed(pg.engine, orders=0)
    floor, _seen = _station(pg, central, tmp_path)
    flow = make_flow(floor, "verify", "V9")
    assert flow.handle(Scan("OP2001")).ok
    proxy.stop()
    out = flow.handle(Scan("CMD:UNDO"))
    assert not out.ok and out.code == "no_order" and not floor.online
    proxy.start()
    assert floor.switch.try_return() is not None and floor.online
    with pg.engine.connect() as conn:
        raws = [json.loads(p).get("raw") for p in conn.execute(
            select(EVENTS.c.payload).where(EVENTS.c.kind == "refused")).scalars()]
    assert "CMD:UNDO" in raws
