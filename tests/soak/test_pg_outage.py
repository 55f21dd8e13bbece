"""Drill: the PostgreSQL store stops dead (``pg_ctl stop -m immediate``) in the middle of a verify
station's scans, stays away a few seconds, and comes back.

The store is a private server the test starts itself (``tests/soak/pgserver.py``: initdb on a
free port on 127.0.0.1, fsync on), never the machine's shared one. The station is put together
as the app does it (``StoreSwitch`` + ``ResilientFloor`` with its journal, the background probe)
and scans through ``VerifyFlow.handle`` like an operator: one unit in hand per scan, a unit
counts only when the station said so; "store unreachable: scan again" means scan the same unit
again. After the last return the central store must hold every confirmed scan once: per order
line, the ``item_scanned`` events cover the confirmed scans, and exceed them by at most the
"scan again" refusals of that line (a commit cut off in flight may have landed); each line's
count equals its events; no event UUID twice; every scan the journal took is on the central
store (or recorded there as a sync conflict, only for a line whose commit was cut off).

CI runs one outage of ~3 s; ``make soak`` sets ``PICKPACK_SOAK_OUTAGES`` and
``PICKPACK_SOAK_OUTAGE_S`` for a longer run. initdb missing fails the drill, it never skips.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, insert, select

from db.engine import make_engine, write_tx
from db.migrate import upgrade
from pickpack.core.flows import make_flow
from pickpack.core.flows.base import Outcome, StationFlow
from pickpack.core.tables import EVENTS, LINES, ORDERS
from pickpack.offline import ResilientFloor, StoreSwitch, SyncReport, open_journal
from pickpack.offline.sync import conflict_uuid
from pickpack.scan import Scan
from pickpack.store import open_store
from tests.conftest import make_config
from tests.core.floorkit import PAID, SKU_ROWS, seed
from tests.soak.pgserver import PgServer

OUTAGES = int(os.environ.get("PICKPACK_SOAK_OUTAGES", "1"))
OUTAGE_S = float(os.environ.get("PICKPACK_SOAK_OUTAGE_S", "3"))
PACE_S = 0.1
"""An operator's pace between scans (offline, how many scans an outage takes)."""
RETURN_TIMEOUT_S = 60.0
UNITS = {sku: code for sku, _n, code, *_ in SKU_ROWS}
ORDER_LINES = (("TEE-BK-XL", 2), ("SOCK-3", 1))


@pytest.fixture
def server() -> Iterator[PgServer]:
    try:
        srv = PgServer()
    except RuntimeError as exc:
        pytest.fail(str(exc))
    try:
        srv.init()
        yield srv
    finally:
        srv.close()  # pg_ctl stop -m immediate, then the directory goes


def _seed(engine: Engine, orders: int) -> list[tuple[int, str]]:
    """floorkit's catalog and operators, and ``orders`` picked orders (id, tracking no)."""
    seed(engine, orders=0)
    made = []
    with write_tx(engine) as conn:
        for i in range(orders):
            tracking = f"7{i + 100:013d}"
            oid = conn.execute(insert(ORDERS).values(
                order_no=f"DRILL{i:05d}", receiver_name="张三", receiver_phone="13812341234",
                province="浙江省", city="杭州市", street="长江路1号", paid_at=PAID,
                state="picked", courier="ZTO", tracking_no=tracking, picker="OP1001",
            ).returning(ORDERS.c.id)).scalar_one()
            for sku, qty in ORDER_LINES:
                conn.execute(insert(LINES).values(order_id=oid, sku=sku, name=sku, qty=qty))
            made.append((int(oid), tracking))
    return made


@dataclass
class Operator:
    """Scans through the flow; keeps what the station told them."""

    flow: StationFlow
    switch: StoreSwitch
    confirmed: Counter[tuple[int, str]] = field(default_factory=Counter)
    again: Counter[tuple[int, str]] = field(default_factory=Counter)
    """"Scan again" refusals per line: the commit cut off may have landed."""
    offline_scans: int = 0
    refused_offline: int = 0
    scans: int = 0

    def scan(self, code: str) -> Outcome:
        time.sleep(PACE_S)
        out = self.flow.handle(Scan(code))
        self.scans += 1
        if not out.ok:
            assert self.flow.handle(Scan("CMD:OK")).ok
            self.refused_offline += 1
            if out.code != "offline":
                pytest.fail(f"scan {code} refused ({out.code}): {out.message}")
        return out

    def verify(self, oid: int, tracking: str, between: object) -> None:
        while not self.scan(tracking).ok:
            pass
        last: Outcome | None = None
        for sku, qty in ORDER_LINES:
            for _ in range(qty):
                while not (last := self.scan(UNITS[sku])).ok:
                    self.again[(oid, sku)] += 1
                self.confirmed[(oid, sku)] += 1
                if not self.switch.online:
                    self.offline_scans += 1
                if callable(between):
                    between()
        assert last is not None
        if not last.data.get("complete"):
            shown = [(ln.sku, ln.scanned, ln.qty) for ln in (last.order.lines if last.order else [])]
            pytest.fail(f"order {oid}: every unit scanned and confirmed, yet the station still "
                        f"asks for more: {shown} (online={self.switch.online})")


@dataclass
class Drill:
    server: PgServer
    switch: StoreSwitch
    rng: random.Random
    outages_left: int = OUTAGES
    phase: str = "online"
    countdown: int = 0
    stopper: subprocess.Popen[bytes] | None = None
    starter: subprocess.Popen[bytes] | None = None
    down_at: float = 0.0
    back_at: float = 0.0
    away_s: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.countdown = self.rng.randint(5, 15)

    def step(self) -> None:
        """Called after every confirmed scan: stop the store, bring it back, wait for sync."""
        if self.phase == "online" and self.outages_left:
            self.countdown -= 1
            if self.countdown <= 0:
                time.sleep(self.rng.random() * PACE_S)  # land the stop anywhere in a scan
                self.stopper = self.server.stop_immediate()
                self.down_at = time.monotonic()
                self.phase = "down"
        elif self.phase == "down" and time.monotonic() - self.down_at >= OUTAGE_S:
            assert self.stopper is not None and self.stopper.wait(30) == 0
            assert not self.server.running()
            self.starter = subprocess.Popen(self.server.start_argv(), stdout=subprocess.DEVNULL,
                                            stderr=subprocess.DEVNULL)
            self.phase = "starting"
        elif self.phase == "starting" and self.starter is not None \
                and self.starter.poll() is not None:
            assert self.starter.returncode == 0, self.server.tail()
            self.back_at = time.monotonic()
            self.phase = "syncing"
        elif self.phase == "syncing" and (self.switch.online or
                                          time.monotonic() - self.back_at > RETURN_TIMEOUT_S):
            assert self.switch.wait(online=True, timeout=RETURN_TIMEOUT_S), \
                f"station not back {RETURN_TIMEOUT_S:g} s after the store: {self.switch.last_error}"
            self.away_s.append(time.monotonic() - self.down_at)
            self.outages_left -= 1
            self.countdown = self.rng.randint(5, 15)
            self.phase = "online"


def _check(central: Engine, journal: Engine, op: Operator, reports: list[SyncReport]) -> None:
    with central.connect() as conn:
        counted = Counter({(oid, sku): int(n) for oid, sku, n in conn.execute(
            select(LINES.c.order_id, LINES.c.sku, LINES.c.scanned))})
        events: Counter[tuple[int, str]] = Counter()
        uuids: Counter[str] = Counter()
        for oid, uuid, payload in conn.execute(select(EVENTS.c.order_id, EVENTS.c.uuid,
                                                      EVENTS.c.payload)
                                               .where(EVENTS.c.kind == "item_scanned")):
            p = json.loads(payload)
            events[(oid, p["sku"])] += int(p.get("units", 1))
            uuids[uuid] += 1
        conflicts = set(conn.execute(select(EVENTS.c.uuid)
                                     .where(EVENTS.c.kind == "sync_conflict")).scalars())
        twice = conn.execute(select(EVENTS.c.uuid).group_by(EVENTS.c.uuid)
                             .having(func.count() > 1)).scalars().all()
    with journal.connect() as conn:
        offline = list(conn.execute(select(EVENTS.c.uuid, EVENTS.c.order_id)
                                    .where(EVENTS.c.kind == "item_scanned")))
    assert not twice, f"event UUIDs on the central store twice: {twice[:5]}"
    lost = {k: (events[k], n) for k, n in op.confirmed.items() if events[k] < n}
    assert not lost, f"confirmed scans missing on the central store (events, confirmed): {lost}"
    extra = {k: (n, op.confirmed[k], op.again[k]) for k, n in events.items()
             if n > op.confirmed[k] + op.again[k]}
    assert not extra, f"scans counted more than once (events, confirmed, scan-again): {extra}"
    differ = {k: (counted[k], n) for k, n in events.items() if counted[k] != n}
    assert not differ, f"line counts differ from their item_scanned events: {differ}"
    missing = [u for u, _ in offline if u not in uuids and conflict_uuid(u) not in conflicts]
    assert not missing, f"journal scans neither on the central store nor a conflict: {missing[:5]}"
    cut = {oid for oid, _sku in op.again}
    unexplained = [c for r in reports for c in r.conflicts if c.order_id not in cut]
    assert not unexplained, f"sync conflicts on orders with no cut-off commit: {unexplained}"


def test_pg_outage_during_verify_scans_loses_and_doubles_nothing(
    server: PgServer, tmp_path: Path
) -> None:
    rng = random.Random(int(os.environ.get("PICKPACK_SOAK_SEED", "1412")))
    scans_per_order = 1 + sum(q for _s, q in ORDER_LINES)
    per_outage = 15 + (OUTAGE_S + 10) / PACE_S
    orders = _seed_store(server, int(OUTAGES * per_outage / scans_per_order) + 4)
    cfg = make_config(tmp_path, store={"url": server.url, "journal": str(tmp_path / "journal.db"),
                                       "connect_timeout_s": 2},
                      station={"id": "V1", "mode": "verify"})
    central = open_store(cfg)
    reports: list[SyncReport] = []
    seen: list[bool] = []

    def on_change(online: bool, report: SyncReport | None) -> None:
        seen.append(online)
        if report is not None:
            reports.append(report)

    switch = StoreSwitch(central, open_journal(cfg.store.journal), on_change=on_change)
    floor = ResilientFloor(switch, cfg, keep_connection=True)
    try:
        assert floor.wait_filled(30)  # the journal holds a copy of every order at verify
        switch.start(interval_s=0.25)
        flow = make_flow(floor, "verify", "V1")
        op = Operator(flow, switch)
        assert op.scan("OP2001").ok
        drill = Drill(server, switch, rng)
        for oid, tracking in orders:
            if not drill.outages_left and drill.phase == "online":
                break
            op.verify(oid, tracking, drill.step)
        assert not drill.outages_left, f"ran out of orders in phase {drill.phase}"
        assert seen == [False, True] * OUTAGES
        _check(make_engine(server.url), switch.journal, op, reports)
    finally:
        switch.stop()
        floor.close()
        central.dispose()
    replayed = sum(r.replayed for r in reports)
    print(f"\nPostgreSQL outage drill: {OUTAGES} outage(s) of {OUTAGE_S:g} s "
          f"(store away {', '.join(f'{s:.1f}' for s in drill.away_s)} s), "
          f"{sum(op.confirmed.values())} confirmed scans ({op.offline_scans} offline), "
          f"{op.refused_offline} refused as offline ({sum(op.again.values())} of them a unit), "
          f"{replayed} events synced, "
          f"{sum(len(r.conflicts) for r in reports)} conflicts, 0 lost, 0 duplicated")


def _seed_store(server: PgServer, orders: int) -> list[tuple[int, str]]:
    engine = make_engine(server.url)
    try:
        upgrade(engine)
        return _seed(engine, orders)
    finally:
        engine.dispose()
