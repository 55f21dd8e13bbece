"""The stock ledger on PostgreSQL (issue 16.8): migration 0015 opens it with the on-hand numbers
already there, and counts at two stations at once each book against the other's result."""

from __future__ import annotations

import threading

from alembic import command
from sqlalchemy import select, text

from db.engine import make_engine, write_tx
from db.migrate import _alembic_config, upgrade
from pickpack.core.events import Actor
from pickpack.core.stock.count import count_bin
from pickpack.core.stock.ledger import MOVEMENTS, record_movement
from pickpack.core.tables import SKUS
from tests.core.floorkit import seed
from tests.pg.conftest import PgStore


def test_migration_opens_the_ledger_on_postgresql(empty_pg: str) -> None:
    engine = make_engine(empty_pg)
    alembic = _alembic_config()
    with engine.begin() as conn:
        alembic.attributes["connection"] = conn
        command.upgrade(alembic, "0014")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO sku (sku, name, attributes, weight_g, bin, price, on_hand)"
                          " VALUES ('P1', 'T恤', '', 200, 'A-01-01', 89, 12)"))
    upgrade(engine)
    with engine.connect() as conn:
        row = conn.execute(text("SELECT m.sku, m.delta, m.kind, e.kind AS event"
                                " FROM stock_movement m JOIN event e ON e.uuid = m.event_uuid"
                                )).one()
    engine.dispose()
    assert tuple(row) == ("P1", 12, "opening", "stock_opened")


def test_movements_at_once_each_see_the_other(pg: PgStore) -> None:
    seed(pg.engine, orders=0)
    floor = pg.floor()
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def receive(station: str) -> None:
        try:
            start.wait(timeout=10)
            for _ in range(10):
                with write_tx(pg.engine) as conn:
                    record_movement(conn, Actor(station, "OP1001"), "MUG-WH", None, 1, "adjust",
                                    reason="received")
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            errors.append(exc)

    workers = [threading.Thread(target=receive, args=(s,)) for s in ("D1", "D2")]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=60)
    assert not errors, errors
    with pg.engine.connect() as conn:
        totals = sorted(conn.execute(select(MOVEMENTS.c.on_hand)).scalars())
        assert conn.execute(select(SKUS.c.on_hand).where(SKUS.c.sku == "MUG-WH")).scalar() == 60
    assert totals == list(range(41, 61))  # every movement's total is one the store had
    result = count_bin(floor, Actor("D1", "OP1001"), "C-02-01", {"MUG-WH": 58})
    assert [line.delta for line in result.lines] == [-2]


def test_the_floor_policy_on_postgresql(pg: PgStore) -> None:
    from pickpack.core.context import Floor
    from pickpack.core.policy import seed_policy, set_policy

    actor = Actor("D1", "OP9001", "supervisor")
    assert seed_policy(pg.engine, pg.config, actor) > 10
    assert seed_policy(pg.engine, pg.config, actor) == 0  # the store has one now
    floor = Floor(pg.engine, pg.config)
    with write_tx(pg.engine) as conn:
        set_policy(conn, actor, pg.config, "couriers.rules",
                   '[{"prefix": "新疆", "courier": "YD"}]', supervisor="OP9001")
    assert floor.refresh_policy()
    assert [(r.prefix, r.courier) for r in floor.config.couriers.rules] == [("新疆", "YD")]
    assert not floor.refresh_policy()
