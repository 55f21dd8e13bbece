"""Verify on PostgreSQL, where a scan's read and count go to the server in one round trip: every
refusal reads as it does on SQLite, writes no count, and is recorded; a count's event carries
the same payload; a case barcode counts its units; the last unit verifies the order."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Connection, Engine, select

from db.engine import make_engine
from pickpack.core.context import Floor
from pickpack.core.events import Actor, append_event
from pickpack.core.refusal import Refusal
from pickpack.core.tables import BASKETS, EVENTS, LINES
from pickpack.core.verify import count_item
from tests.core.floorkit import seed
from tests.pg.conftest import PgStore
from tests.pg.kit import TEE, kinds, picked_order, scanned, state

V = Actor("V1", "OP2001")
MUG = "6952890786660"
MUG_CASE = "6961760313721"  # six MUG-WH
GS = "\x1d"


def _refused(pg: PgStore, order_id: int, code: str, times: int = 1) -> Refusal:
    floor = pg.floor()
    with pytest.raises(Refusal) as err:
        count_item(floor, V, order_id, floor.classifier.classify(code), times)
    return err.value


def _payloads(pg: PgStore, order_id: int, kind: str) -> list[dict[str, object]]:
    with pg.engine.connect() as conn:
        rows = conn.execute(select(EVENTS.c.payload).where(
            EVENTS.c.order_id == order_id, EVENTS.c.kind == kind).order_by(EVENTS.c.id))
        return [json.loads(p) for p in rows.scalars()]


def test_refusals_on_postgresql_write_no_count_and_are_recorded(pg: PgStore) -> None:
    seed(pg.engine, orders=0)
    oid = picked_order(pg.engine, "PGV1", qty=2)

    unknown = _refused(pg, oid, "6900000000002")
    assert unknown.code == "unknown_code" and unknown.params["picker"] == "OP1001"
    wrong = _refused(pg, oid, MUG)
    assert wrong.code == "wrong_item" and wrong.params["sku"] == "MUG-WH"
    assert scanned(pg.engine, oid) == 0

    floor = pg.floor()
    first = count_item(floor, V, oid, floor.classifier.classify(TEE))
    assert (first.sku, first.units, first.scanned, first.qty, first.complete) == (
        "TEE-BK-XL", 1, 1, 2, False)
    too_many = _refused(pg, oid, TEE, times=2)
    assert too_many.code == "too_many"
    assert (too_many.params["qty"], too_many.params["scanned"]) == (2, 1)  # as it is now
    assert scanned(pg.engine, oid) == 1

    last = count_item(floor, V, oid, floor.classifier.classify(TEE))
    assert last.complete and state(pg.engine, oid) == "verified"
    after = _refused(pg, oid, TEE)
    assert after.code == "wrong_step"
    assert scanned(pg.engine, oid) == 2

    assert kinds(pg.engine, oid).count("refused") == 4
    assert [p["code"] for p in _payloads(pg, oid, "refused")] == [
        "unknown_code", "wrong_item", "too_many", "wrong_step"]
    assert _payloads(pg, oid, "item_scanned") == [
        {"sku": "TEE-BK-XL", "code": TEE, "units": 1, "lot": None, "raw": TEE, "symbology": None}] * 2
    assert kinds(pg.engine, oid)[-2:] == ["verified", "refused"]


def test_case_barcode_counts_its_units_on_postgresql(pg: PgStore) -> None:
    seed(pg.engine, orders=0)
    oid = picked_order(pg.engine, "PGV2", qty=3)
    floor = pg.floor()
    with pg.engine.begin() as conn:  # a second line: six mugs
        conn.execute(LINES.insert().values(order_id=oid, sku="MUG-WH", name="杯", qty=6))
    counted = count_item(floor, V, oid, floor.classifier.classify(MUG_CASE))
    assert (counted.sku, counted.units, counted.scanned, counted.complete) == ("MUG-WH", 6, 6, False)
    assert _payloads(pg, oid, "item_scanned") == [
        {"sku": "MUG-WH", "code": MUG_CASE, "units": 6, "lot": None, "raw": MUG_CASE, "symbology": None}]
    assert _refused(pg, oid, MUG).code == "too_many"
    done = count_item(floor, V, oid, floor.classifier.classify(TEE), times=3)
    assert done.complete and done.scanned == 3 and state(pg.engine, oid) == "verified"


def _trail(engine: Engine, order_id: int) -> list[tuple[str, str, str, str]]:
    with engine.connect() as conn:
        rows = conn.execute(select(EVENTS.c.kind, EVENTS.c.station, EVENTS.c.operator,
                                   EVENTS.c.payload, EVENTS.c.uuid)
                            .where(EVENTS.c.order_id == order_id).order_by(EVENTS.c.id)).all()
    for row in rows:  # UUIDs made by the server look like the station's: uuid4().hex
        assert len(row.uuid) == 32 and int(row.uuid, 16) >= 0
    return [(r.kind, r.station, r.operator, r.payload) for r in rows]


def _basket_of(engine: Engine, order_id: int) -> str | None:
    with engine.connect() as conn:
        return conn.execute(select(BASKETS.c.code).where(BASKETS.c.order_id == order_id)).scalar()


def test_a_count_writes_the_same_trail_on_both_stores(pg: PgStore, engine: Engine) -> None:
    """The count is Python on SQLite and pickpack_count_item on PostgreSQL: the same scans write
    the same events, byte for byte (payload text, lot, case units, the verified move), and on
    this whole-floor route the basket keeps the verified goods for the packer on both."""
    trails = []
    for store in (engine, pg.engine):
        seed(store, orders=0)
        oid = picked_order(store, "PAR1", qty=2)
        with store.begin() as conn:
            conn.execute(LINES.insert().values(order_id=oid, sku="MUG-WH", name="杯", qty=6))
            conn.execute(BASKETS.insert().values(code="BK-PAR1", order_id=oid, picker="OP1001"))
        floor = Floor(store, pg.config)
        scans = [f'010{TEE}10L"7/b{GS}17261231', MUG_CASE, TEE]
        results = [count_item(floor, V, oid, floor.classifier.classify(code)) for code in scans]
        assert [(r.sku, r.units, r.scanned, r.complete) for r in results] == [
            ("TEE-BK-XL", 1, 1, False), ("MUG-WH", 6, 6, False), ("TEE-BK-XL", 1, 2, True)]
        assert state(store, oid) == "verified" and _basket_of(store, oid) == "BK-PAR1"
        trails.append(_trail(store, oid))
    sqlite_trail, pg_trail = trails
    assert pg_trail == sqlite_trail
    assert [kind for kind, *_ in pg_trail] == ["item_scanned"] * 3 + ["verified"]
    assert json.loads(pg_trail[0][3])["lot"] == 'L"7/b'


def test_a_kept_connection_counts_in_autocommit_and_still_rolls_back_a_transaction(
        pg: PgStore) -> None:
    """A station keeps one connection: counts leave it in autocommit, the next transaction on it
    is a real one (a refusal rolls its writes back), and it goes back to the pool as it came."""
    seed(pg.engine, orders=0)
    oid = picked_order(pg.engine, "KEPT1", qty=3)
    engine = make_engine(pg.url, pool_size=1)
    floor = Floor(engine, pg.config, keep_connection=True)
    item = floor.classifier.classify(TEE)
    count_item(floor, V, oid, item)

    def half_written(conn: Connection) -> None:
        append_event(conn, V, "note", oid, {"text": "must not stay"})
        raise Refusal("test", "refused after a write")

    with pytest.raises(Refusal):
        floor.run(V, half_written)
    assert "note" not in kinds(pg.engine, oid)
    assert count_item(floor, V, oid, item).scanned == 2
    floor.close()
    with engine.connect() as conn:  # the pool's one connection, back in transaction mode
        dbapi = conn.connection.driver_connection
        assert dbapi is not None and dbapi.autocommit is False
    engine.dispose()


def test_an_item_on_two_lines_fills_both_on_both_stores(pg: PgStore, engine: Engine) -> None:
    """An order with the same item on two lines (one full already): each count goes to a line
    with room, nothing is refused before both are full, and the refusal after reads the same
    on both stores."""
    outcomes = []
    for store in (engine, pg.engine):
        seed(store, orders=0)
        oid = picked_order(store, "TWO1", qty=1)
        with store.begin() as conn:
            conn.execute(LINES.insert().values(order_id=oid, sku="TEE-BK-XL", name="T恤", qty=2))
        floor = Floor(store, pg.config)
        item = floor.classifier.classify(TEE)
        counts = [count_item(floor, V, oid, item) for _ in range(3)]
        assert [c.complete for c in counts] == [False, False, True]
        assert state(store, oid) == "verified" and scanned(store, oid) == 3
        with store.connect() as conn:
            assert sorted(conn.execute(select(LINES.c.qty, LINES.c.scanned)
                                       .where(LINES.c.order_id == oid)).all()) == [(1, 1), (2, 2)]
        with store.begin() as conn:  # back to verify with both lines full, to be refused
            conn.exec_driver_sql(f"UPDATE orders SET state = 'picked' WHERE id = {oid}")
        with pytest.raises(Refusal) as err:
            count_item(floor, V, oid, item)
        outcomes.append((err.value.code, err.value.params["qty"], err.value.params["scanned"],
                         _trail(store, oid)[:3]))
    assert outcomes[0] == outcomes[1]
    assert outcomes[0][:3] == ("too_many", 1, 1)  # the first line, most room (none) then id


def test_a_case_goes_to_the_line_with_most_room_on_both_stores(pg: PgStore, engine: Engine) -> None:
    """Mugs on two lines (6 and 7): a single mug goes to the line with most room, so two cases of
    six then fit; a store that put the single mug on the first line would refuse the last case."""
    for store in (engine, pg.engine):
        seed(store, orders=0)
        oid = picked_order(store, "TWO2", qty=1)
        with store.begin() as conn:
            conn.execute(LINES.insert().values(order_id=oid, sku="MUG-WH", name="杯", qty=6))
            conn.execute(LINES.insert().values(order_id=oid, sku="MUG-WH", name="杯", qty=7))
        floor = Floor(store, pg.config)
        counts = [count_item(floor, V, oid, floor.classifier.classify(code))
                  for code in (TEE, MUG, MUG_CASE, MUG_CASE)]
        assert [(c.qty, c.scanned, c.complete) for c in counts] == [
            (1, 1, False), (7, 1, False), (6, 6, False), (7, 7, True)], store.dialect.name
