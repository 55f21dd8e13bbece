"""Sync conflicts are visible (issue 14, 11): a station verifies an order offline while another
verifies it on the central store; the first commit wins, and at sync the other is a conflict
that `pickpack sync conflicts` lists with its order, station, operator, what was refused and
when (pickpack.offline.conflicts is what the desk calls)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from db.engine import make_engine
from pickpack.cli import main
from pickpack.core.context import Floor
from pickpack.core.events import Actor
from pickpack.core.refusal import Refusal
from pickpack.core.verify import count_item
from pickpack.offline import ResilientFloor, StoreSwitch, open_journal
from pickpack.offline.conflicts import sync_conflicts
from tests.core.floorkit import seed
from tests.pg.conftest import PgStore
from tests.pg.kit import TEE, picked_order, scanned, state
from tests.pg.proxy import Proxy

ORDER_NO = "3900000000000000555"


@pytest.fixture
def proxied(pg: PgStore) -> Iterator[tuple[Proxy, Engine]]:
    u = make_url(pg.url)
    proxy = Proxy(u.host or "127.0.0.1", u.port or 5432)
    proxy.start()
    engine = make_engine(u.set(port=proxy.port).render_as_string(hide_password=False),
                         connect_timeout_s=2)
    yield proxy, engine
    proxy.stop()
    engine.dispose()


def test_first_commit_wins_and_the_other_is_listed_as_a_conflict(
        pg: PgStore, proxied: tuple[Proxy, Engine], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    proxy, central = proxied
    seed(pg.engine, orders=0)
    oid = picked_order(pg.engine, ORDER_NO, qty=1)
    offline = ResilientFloor(StoreSwitch(central, open_journal(tmp_path / "journal.db")),
                             pg.config)
    item = offline.classifier.classify(TEE)
    offline.hold(oid)
    proxy.stop()
    with pytest.raises(Refusal):
        count_item(offline, Actor("V1", "OP2001"), oid, item)  # finds the store away
    assert count_item(offline, Actor("V1", "OP2001"), oid, item).complete  # in the journal
    # meanwhile V2, on the central store, verifies it first
    assert count_item(Floor(pg.engine, pg.config), Actor("V2", "OP2001"), oid, item).complete

    proxy.start()
    report = offline.switch.try_return()
    assert report is not None and len(report.conflicts) == 2
    assert scanned(pg.engine, oid) == 1 and state(pg.engine, oid) == "verified"  # counted once

    with pg.engine.connect() as conn:
        found = sync_conflicts(conn)
    assert {(c.order_no, c.station, c.operator) for c in found} == {(ORDER_NO, "V1", "OP2001")}
    assert sorted(c.refused for c in found) == ["item_scanned", "verified"]
    counted = next(c for c in found if c.refused == "item_scanned")
    assert counted.detail == "TEE-BK-XL ×1" and "verified" in counted.reason
    assert counted.done_at is not None and counted.done_at <= counted.found_at

    config = tmp_path / "config.toml"
    config.write_text(f'[store]\nurl = "{pg.url}"\n[station]\nid = "D1"\nmode = "desk"\n',
                      encoding="utf-8")
    assert main(["--config", str(config), "sync", "conflicts", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["refused"] for r in rows} == {"item_scanned", "verified"}
    assert {(r["order_no"], r["station"], r["operator"]) for r in rows} == {
        (ORDER_NO, "V1", "OP2001")}
    assert all(r["done_at"] and r["found_at"] and r["reason"] for r in rows)
    assert main(["--config", str(config), "sync", "conflicts"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split()[:4] == ["order_no", "station", "operator", "refused"]
    assert out[-1] == "2 conflicts" and ORDER_NO in out[1]
    offline.close()


def test_no_conflicts_lists_none(pg: PgStore, tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'[store]\nurl = "{pg.url}"\n', encoding="utf-8")
    assert main(["--config", str(config), "sync", "conflicts", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main(["--config", str(config), "sync", "conflicts", "--limit", "0"]) == 2
    assert "--limit" in capsys.readouterr().err
