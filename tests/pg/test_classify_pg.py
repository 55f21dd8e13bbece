"""A scan means what the store says first, on PostgreSQL too: the verify count finds a barcode by
its GTIN spellings inside pickpack_count_item (one round trip, migration 0013), both stores
write the same trail for them (expiry included), and the store's one-read answer is the same."""

from __future__ import annotations

import contextlib
import json
import socket
import threading

from sqlalchemy import Engine, insert, select
from sqlalchemy.engine import make_url

from db.engine import make_engine, read_tx, write_tx
from pickpack.core.context import Floor
from pickpack.core.events import Actor
from pickpack.core.resolve import resolve, store_knows
from pickpack.core.tables import BARCODES, BASKETS, EVENTS, LINES, SKUS, WAYBILLS
from pickpack.core.verify import count_item
from tests.core.floorkit import seed
from tests.pg.conftest import PgStore
from tests.pg.kit import TEE, picked_order, state
from tests.pg.proxy import Proxy

V = Actor("V1", "OP2001", "verifier")
GS = "\x1d"


class CountingProxy(Proxy):
    """The test proxy, counting what the client sends: one burst per round trip."""

    def __init__(self, host: str, port: int) -> None:
        super().__init__(host, port)
        self.sent = 0
        self._count = threading.Lock()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target, timeout=3)
            upstream.settimeout(None)
            with self._lock:
                self._conns += [client, upstream]
            threading.Thread(target=self._count_pipe, args=(client, upstream), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client), daemon=True).start()

    def _count_pipe(self, src: socket.socket, dst: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := src.recv(65536):
                with self._count:
                    self.sent += 1
                dst.sendall(data)


def _catalog(store: Engine) -> int:
    """floorkit's catalog plus a UPC-A product and a case ITF-14; an order of them at verify."""
    seed(store, orders=0)
    oid = picked_order(store, "FORMS1", qty=9)  # 3 scanned alone, 6 as the case
    with write_tx(store) as conn:
        conn.execute(insert(SKUS).values(sku="GUM", name="口香糖", price=1))
        conn.execute(insert(BARCODES).values(code="042100005264", sku="GUM", units=1))
        conn.execute(insert(BARCODES).values(code="16901661318606", sku="TEE-BK-XL", units=6))
        conn.execute(insert(LINES).values(order_id=oid, sku="GUM", name="口香糖", qty=3))
        conn.execute(insert(BASKETS).values(code="BK-F1", order_id=oid, picker="OP1001"))
    return oid


SCANS = ["0" + TEE, f"010{TEE}17741231{GS}10L7", f"(01)0{TEE}", "0042100005264",
         "00042100005264", "04252614", "16901661318606"]


def _trail(store: Engine, oid: int) -> list[tuple[str, str, str, str]]:
    with store.connect() as conn:
        return [(r.kind, r.station, r.operator, r.payload) for r in conn.execute(
            select(EVENTS).where(EVENTS.c.order_id == oid).order_by(EVENTS.c.id))]


def test_gtin_spellings_count_the_same_and_write_the_same_trail_on_both_stores(
        pg: PgStore, engine: Engine) -> None:
    trails = []
    for store in (engine, pg.engine):
        oid = _catalog(store)
        floor = Floor(store, pg.config)
        got = [count_item(floor, V, oid, floor.classifier.classify(code)) for code in SCANS]
        assert [(r.sku, r.units) for r in got] == [
            ("TEE-BK-XL", 1), ("TEE-BK-XL", 1), ("TEE-BK-XL", 1), ("GUM", 1), ("GUM", 1),
            ("GUM", 1), ("TEE-BK-XL", 6)]
        assert got[-1].complete and state(store, oid) == "verified"
        trails.append(_trail(store, oid))
    assert trails[1] == trails[0]
    payloads = [json.loads(p) for kind, _, _, p in trails[1] if kind == "item_scanned"]
    assert payloads[1]["expiry"] == "2074-12-31" and payloads[1]["lot"] == "L7"
    assert "expiry" not in payloads[0]


def test_the_spellings_ride_in_the_counts_one_round_trip(pg: PgStore) -> None:
    url = make_url(pg.url)
    proxy = CountingProxy(url.host or "127.0.0.1", url.port or 5432)
    proxy.start()
    engine = make_engine(url.set(host="127.0.0.1", port=proxy.port)
                         .render_as_string(hide_password=False), pool_size=1)
    try:
        oid = _catalog(engine)
        floor = Floor(engine, pg.config, keep_connection=True)
        count_item(floor, V, oid, floor.classifier.classify(TEE))  # the connection is set up
        for code in ("0" + TEE, "04252614", "0042100005264"):
            before = proxy.sent
            count_item(floor, V, oid, floor.classifier.classify(code))
            assert proxy.sent - before == 1, code
        floor.close()
    finally:
        engine.dispose()
        proxy.stop()


def test_the_store_gives_the_same_answer_on_both_stores(pg: PgStore, engine: Engine) -> None:
    answers = []
    for store in (engine, pg.engine):
        _catalog(store)
        with write_tx(store) as conn:
            conn.execute(insert(WAYBILLS).values(tracking_no="JDVA00012345678", courier="SF"))
        floor = Floor(store, pg.config)
        with read_tx(store) as conn:
            answers.append([
                (resolve(conn, floor.classifier.classify(code)).scan.kind,
                 sorted((k.kind, k.courier, k.sku, k.units, k.order_no)
                        for k in store_knows(conn, code, floor.classifier.classify(code).forms)))
                for code in ("JDVA00012345678", "TFORMS1", "FORMS1", "BK-F1", "OP2001",
                             "A-01-02", "0" + TEE, "04252614", "NOTHING")])
    assert answers[1] == answers[0]
    assert [kind for kind, _ in answers[1]] == [
        "tracking", "tracking", "order", "basket", "operator", "location", "item", "item",
        "item"]


def test_a_verify_station_on_postgresql_takes_what_the_store_says(pg: PgStore) -> None:
    """Login, the order by its pool-less tracking number, a GTIN-14 spelling, an ambiguous
    shape and an SSCC, through the flow on a kept connection (the look-up in one statement)."""
    from pickpack.core.flows import make_flow
    from pickpack.scan import Scan

    oid = _catalog(pg.engine)
    floor = Floor(pg.engine, pg.config, keep_connection=True)
    flow = make_flow(floor, "verify", "PGV1")
    try:
        assert flow.handle(Scan("OP2001")).ok
        opened = flow.handle(Scan("TFORMS1"))
        assert opened.ok and opened.order is not None and opened.order.id == oid
        assert flow.handle(Scan("0" + TEE)).ok
        for code, refusal in (("431234567890123", "ambiguous_code"),
                              ("00106141411234567897", "sscc")):
            out = flow.handle(Scan(code))
            assert out.code == refusal, (code, out.message)
            assert flow.handle(Scan("CMD:OK")).ok
    finally:
        floor.close()
