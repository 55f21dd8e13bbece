"""The store going away mid-shift and coming back: the station works from its journal, then
syncs — once per event UUID, with conflicts recorded for the operator and the desk."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, update
from sqlalchemy.engine import make_url

from db.engine import make_engine
from pickpack.app.printing import SlipPrinter
from pickpack.core.context import Floor
from pickpack.core.events import Actor
from pickpack.core.refusal import Refusal
from pickpack.core.ship import scan_parcel
from pickpack.core.tables import EVENTS, MANIFESTS, ORDERS, PRINT_JOBS
from pickpack.core.verify import count_item
from pickpack.live import Change, LiveFeed
from pickpack.offline import ResilientFloor, StoreSwitch, open_journal, sync
from tests.conftest import make_config
from tests.core.floorkit import seed
from tests.pg.conftest import PgStore
from tests.pg.kit import TEE, kinds, picked_order, scanned, state
from tests.pg.proxy import Proxy
from tests.printing.test_queue import Printer

V = Actor("V1", "OP2001")


@pytest.fixture
def proxied(pg: PgStore) -> Iterator[tuple[Proxy, Engine]]:
    """The test's store behind a proxy the test can cut: (proxy, engine through it)."""
    u = make_url(pg.url)
    proxy = Proxy(u.host or "127.0.0.1", u.port or 5432)
    proxy.start()
    engine = make_engine(u.set(port=proxy.port).render_as_string(hide_password=False),
                         connect_timeout_s=2)
    yield proxy, engine
    proxy.stop()
    engine.dispose()


def _station(pg: PgStore, central: Engine, tmp_path: Path) -> tuple[ResilientFloor, list[bool]]:
    seen: list[bool] = []
    switch = StoreSwitch(central, open_journal(tmp_path / "journal.db"),
                         on_change=lambda online, _report: seen.append(online))
    return ResilientFloor(switch, pg.config), seen


def _verified_offline(pg: PgStore, proxied: tuple[Proxy, Engine], tmp_path: Path,
                      order_no: str) -> tuple[ResilientFloor, int]:
    """A station holding a two-unit order loses the store and verifies the order offline."""
    proxy, central = proxied
    seed(pg.engine, orders=0)
    oid = picked_order(pg.engine, order_no, qty=2)
    floor, _seen = _station(pg, central, tmp_path)
    item = floor.classifier.classify(TEE)
    floor.hold(oid)
    proxy.stop()
    with pytest.raises(Refusal):
        count_item(floor, V, oid, item)  # finds the store away: offline from here
    count_item(floor, V, oid, item)
    count_item(floor, V, oid, item)  # the last unit, verified in the journal
    return floor, oid


def test_store_goes_away_mid_shift_and_comes_back(
    pg: PgStore, proxied: tuple[Proxy, Engine], tmp_path: Path
) -> None:
    proxy, central = proxied
    seed(pg.engine, orders=0)
    oid = picked_order(pg.engine, "OFF1", qty=4)
    floor, seen = _station(pg, central, tmp_path)
    item = floor.classifier.classify(TEE)
    floor.hold(oid)
    assert count_item(floor, V, oid, item).scanned == 1

    proxy.stop()  # the store goes away
    with pytest.raises(Refusal) as err:
        count_item(floor, V, oid, item)
    assert err.value.code == "offline" and not floor.online and seen == [False]
    assert floor.switch.try_return() is None  # still away
    for _ in range(3):  # keeps working from the journal
        count_item(floor, V, oid, item)
    assert state(floor.engine, oid) == "verified" and scanned(floor.engine, oid) == 4
    assert scanned(pg.engine, oid) == 1

    proxy.start()  # back
    report = floor.switch.try_return()
    assert report is not None and report.conflicts == []
    assert report.replayed == 4  # 3 item_scanned + verified
    assert floor.online and seen == [False, True]
    assert scanned(pg.engine, oid) == 4 and state(pg.engine, oid) == "verified"
    with pg.engine.connect() as conn:
        assert conn.execute(select(ORDERS.c.verifier).where(ORDERS.c.id == oid)).scalar() == "OP2001"
    assert kinds(pg.engine, oid).count("item_scanned") == 4
    again = sync(floor.switch.journal, pg.engine)  # idempotent by UUID
    assert again.replayed == 0 and again.conflicts == [] and again.skipped > 0
    assert kinds(pg.engine, oid).count("item_scanned") == 4


def test_order_cancelled_centrally_while_verified_offline_is_a_conflict(
    pg: PgStore, proxied: tuple[Proxy, Engine], tmp_path: Path
) -> None:
    proxy = proxied[0]
    floor, oid = _verified_offline(pg, proxied, tmp_path, "OFF2")
    assert state(floor.engine, oid) == "verified"
    with pg.engine.begin() as conn:  # the desk cancels it meanwhile
        conn.execute(update(ORDERS).where(ORDERS.c.id == oid).values(state="cancelled"))

    proxy.start()
    report = floor.switch.try_return()
    assert report is not None and report.replayed == 0
    assert [c.event_kind for c in report.conflicts] == ["item_scanned", "item_scanned", "verified"]
    assert "cancelled" in report.conflicts[0].reason and report.conflicts[0].order_no == "OFF2"
    assert state(pg.engine, oid) == "cancelled" and scanned(pg.engine, oid) == 0
    with pg.engine.connect() as conn:
        rows = conn.execute(select(EVENTS.c.payload, EVENTS.c.station)
                            .where(EVENTS.c.kind == "sync_conflict")).all()
    assert len(rows) == 3 and {r.station for r in rows} == {"V1"}
    first = json.loads(rows[0].payload)
    assert first["central_state"] == "cancelled" and first["expected_state"] == "picked"
    again = sync(floor.switch.journal, pg.engine)  # recorded once, not again
    assert again.conflicts == [] and kinds(pg.engine, oid).count("sync_conflict") == 3


def test_background_probe_brings_the_station_back(
    pg: PgStore, proxied: tuple[Proxy, Engine], tmp_path: Path
) -> None:
    proxy, central = proxied
    seed(pg.engine, orders=0)
    oid = picked_order(pg.engine, "OFF3", qty=5)
    floor, seen = _station(pg, central, tmp_path)
    item = floor.classifier.classify(TEE)
    floor.hold(oid)
    floor.switch.start(interval_s=0.2)
    try:
        proxy.stop()
        with pytest.raises(Refusal):
            count_item(floor, V, oid, item)
        count_item(floor, V, oid, item)
        proxy.start()
        # the probe flips online, then tells on_change: wait for the telling, not the flip
        assert floor.switch.wait(online=True, timeout=30)
        assert floor.online and seen == [False, True]
        assert scanned(pg.engine, oid) == 1
        count_item(floor, V, oid, item)  # online again: straight to the central store
        assert scanned(pg.engine, oid) == 2
    finally:
        floor.switch.stop()


def test_a_return_is_settled_only_after_on_change_has_run(
    pg: PgStore, proxied: tuple[Proxy, Engine], tmp_path: Path
) -> None:
    """``online`` flips before ``on_change`` runs; ``wait`` waits for the announcement."""
    import threading

    proxy, central = proxied
    seed(pg.engine, orders=0)
    entered, gate = threading.Event(), threading.Event()
    seen: list[bool] = []

    def on_change(online: bool, _report: object) -> None:
        if online:
            entered.set()
            assert gate.wait(10)
        seen.append(online)

    switch = StoreSwitch(central, open_journal(tmp_path / "journal.db"), on_change=on_change)
    proxy.stop()
    switch.go_offline(RuntimeError("gone"))
    assert switch.wait(online=False, timeout=1) and seen == [False]
    proxy.start()
    back = threading.Thread(target=switch.try_return)
    back.start()
    try:
        assert entered.wait(10)
        assert switch.online  # flipped, but on_change has not finished
        assert not switch.wait(online=True, timeout=0.05) and seen == [False]
    finally:
        gate.set()
        back.join(10)
    assert switch.wait(online=True, timeout=1) and seen == [False, True]


def test_journal_uses_the_same_migrations(tmp_path: Path) -> None:
    from db.migrate import current_revision, head_revision

    journal = open_journal(tmp_path / "j.db")
    assert current_revision(journal) == head_revision()


def _uuids(engine: Engine, oid: int) -> set[str]:
    with engine.connect() as conn:
        return set(conn.execute(select(EVENTS.c.uuid).where(EVENTS.c.order_id == oid)).scalars())


def test_journal_copy_follows_every_scan_and_other_stations_scans(pg: PgStore, tmp_path: Path) -> None:
    """After each committed scan only the new events are copied; the copy still ends up with
    the order's whole trail, scans other stations made in between included."""
    seed(pg.engine, orders=0)
    oid = picked_order(pg.engine, "INC1", qty=60)
    floor, _ = _station(pg, pg.engine, tmp_path)
    other = Floor(pg.engine, pg.config)
    item = floor.classifier.classify(TEE)
    floor.hold(oid)
    for i in range(30):
        count_item(floor, V, oid, item)
        if i % 7 == 0:
            count_item(other, Actor("V2", "OP2002"), oid, item)
    journal = floor.switch.journal
    assert scanned(journal, oid) == scanned(pg.engine, oid) == 35
    central = _uuids(pg.engine, oid)
    assert len(central) >= 35 and _uuids(journal, oid) == central


def test_shipping_is_refused_while_offline_and_nothing_half_kept(
    pg: PgStore, proxied: tuple[Proxy, Engine], tmp_path: Path
) -> None:
    """Manifests and the stock they take out live only on the central store: offline, a
    parcel scan at ship is refused (recorded, synced), no manifest is made in the journal, and
    the same scan works once the store is back."""
    proxy, central = proxied
    seed(pg.engine, orders=0)
    oid = picked_order(pg.engine, "SHIP1", qty=1)
    with pg.engine.begin() as conn:
        conn.execute(update(ORDERS).where(ORDERS.c.id == oid).values(state="weighed"))
        from pickpack.core.events import append_event  # its express slip printed at verify

        append_event(conn, Actor("V1", "printer"), "slip_printed", oid, {"kind": "express"})
    floor, _ = _station(pg, central, tmp_path)
    ship = Actor("S1", "OP4001")
    floor.hold(oid)
    proxy.stop()
    with pytest.raises(Refusal) as err:  # the scan that finds the store away
        scan_parcel(floor, ship, "SHIP1")
    assert err.value.code == "offline" and not floor.online
    with pytest.raises(Refusal) as err:
        scan_parcel(floor, ship, "SHIP1")
    assert err.value.code == "offline_central_only"
    with floor.switch.journal.connect() as conn:
        assert conn.execute(select(MANIFESTS.c.id)).first() is None
        assert conn.execute(select(ORDERS.c.manifest_id).where(ORDERS.c.id == oid)).scalar() is None

    proxy.start()
    assert floor.switch.try_return() is not None and floor.online
    assert "refused" in kinds(pg.engine)  # the refusal reached the central trail
    manifest = scan_parcel(floor, ship, "SHIP1")
    assert manifest.count == 1
    with pg.engine.connect() as conn:
        assert conn.execute(select(ORDERS.c.manifest_id).where(ORDERS.c.id == oid)).scalar() \
            == manifest.id


def test_counts_synced_from_the_journal_ring_the_doorbell(
    pg: PgStore, proxied: tuple[Proxy, Engine], tmp_path: Path
) -> None:
    """The event trigger leaves item counts to whoever makes them (migration 0005): the sync
    rings for the counts it replays, so a view open on the order sees them arrive."""
    proxy = proxied[0]
    floor, oid = _verified_offline(pg, proxied, tmp_path, "OFF6")
    with LiveFeed(pg.engine) as feed:
        proxy.start()
        report = floor.switch.try_return()
        assert report is not None and report.replayed == 3
        changes: list[Change] = []
        while len(changes) < 3 and (more := feed.wait(2)):
            changes += more
    assert [(c.kind, c.order_id, c.station) for c in changes] == [
        ("item_scanned", oid, "V1"), ("item_scanned", oid, "V1"), ("verified", oid, "V1")]
    assert all(c.event_id for c in changes)


def test_slips_print_from_the_journal_offline_and_unprinted_ones_move_to_the_store(
    pg: PgStore, proxied: tuple[Proxy, Engine], tmp_path: Path
) -> None:
    """Print-on-verify with the store away: the slips are queued and printed from the journal
    (the printer is the station's own). One whose printer is off stays queued there; back
    online, the sync moves it to the central queue, once, with the trail of what printed."""
    proxy, central = proxied
    packing = Printer()  # off
    cfg = make_config(tmp_path, store={"url": pg.url},
                      printers={"express": f"preview://{tmp_path / 'slips'}",
                                "packing": packing.url})
    floor, oid = _verified_offline(pg, proxied, tmp_path, "OFF7")
    slips = SlipPrinter(central, cfg, engine_now=lambda: floor.engine)
    state_line = slips.print_order(oid)
    assert "(1 waiting)" in state_line and "(journal)" in state_line
    assert len(list((tmp_path / "slips").glob("*.txt"))) == 1  # the express slip
    assert _jobs(floor.switch.journal) == [("express", "printed"), ("packing", "queued")]
    assert _jobs(pg.engine) == []

    proxy.start()
    report = floor.switch.try_return()
    assert report is not None and report.conflicts == [] and report.slips_moved == 1
    assert _jobs(pg.engine) == [("packing", "queued")]
    assert _jobs(floor.switch.journal) == [("express", "printed"), ("packing", "moved")]
    assert [k for k in kinds(pg.engine, oid) if "print" in k] == [
        "print_queued", "print_queued", "slip_printed"]
    with pg.engine.connect() as conn:  # their job ids are the journal's, and they say so
        assert all(json.loads(p)["journal"] for p in conn.execute(
            select(EVENTS.c.payload).where(EVENTS.c.order_id == oid,
                                           EVENTS.c.kind.in_(("print_queued", "slip_printed"))))
            .scalars())
    assert sync(floor.switch.journal, pg.engine).slips_moved == 0

    packing.on()  # the station prints it from the central queue now (as the app does on return)
    assert "waiting" not in slips.print_pending()
    assert len(packing.wait_jobs(1)) == 1
    assert _jobs(pg.engine) == [("packing", "printed")]
    packing.off()


def _jobs(engine: Engine) -> list[tuple[str, str]]:
    with engine.connect() as conn:
        return [(r.kind, r.state) for r in conn.execute(
            select(PRINT_JOBS.c.kind, PRINT_JOBS.c.state).order_by(PRINT_JOBS.c.id))]


def test_an_order_the_journal_does_not_hold_is_refused_as_store_away_not_unknown(
    pg: PgStore, proxied: tuple[Proxy, Engine], tmp_path: Path
) -> None:
    from pickpack.core.verify import open_for_verify

    proxy, central = proxied
    seed(pg.engine, orders=0)
    held = picked_order(pg.engine, "OFF7", qty=2)
    picked_order(pg.engine, "OFF8", qty=1)  # exists centrally, never copied to this station
    floor, _seen = _station(pg, central, tmp_path)
    item = floor.classifier.classify(TEE)
    floor.hold(held)
    proxy.stop()
    with pytest.raises(Refusal):
        count_item(floor, V, held, item)  # finds the store away: offline from here
    for key in ("OFF8", "NOSUCH1"):
        with pytest.raises(Refusal) as err:
            open_for_verify(floor, V, key)
        assert err.value.code == "store_away"
        assert err.value.text().lower().startswith("store away: put it aside")
        assert "No order" not in err.value.text()
    assert kinds(floor.engine).count("refused") >= 2  # recorded in the journal, synced later
