"""Today's board is read by grouped queries: its figures are those of the board read order by
order (kept here as the reference), on SQLite and PostgreSQL, with several couriers and every
state; and the orders shipped before today are not read back one row each."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, event, select, update

from db.engine import write_tx
from pickpack.config import Config
from pickpack.core.events import append_event
from pickpack.core.lifecycle import HELD, NEW, ON_FLOOR, SHIPPED
from pickpack.core.reports import floor_tz
from pickpack.core.tables import EVENTS, ORDERS
from pickpack.core.waves.priority import cutoff_today
from pickpack.core.waves.today import _COLUMN, COLUMNS, _clock, _count_shipped, _miss_reason, today_board
from tests.conftest import make_config
from tests.core.wavekit import DESK, ready, seed_floor, store
from tests.pg.conftest import PgStore, pg, pg_url  # noqa: F401 - the fixtures

CST = timezone(timedelta(hours=8))
COURIERS = {"SF": {"pickup": "17:30"}, "YTO": {"pickup": "16:00"}}


def local(hh: int, mm: int = 0, day: int = 21) -> datetime:
    return datetime(2026, 11, day, hh, mm, tzinfo=CST).astimezone(UTC)


AT = local(17)


def reference(conn: Connection, cfg: Config, at: datetime) -> dict[str, Any]:
    """The board as it was read before: every order paid before the cut-off, shipped history
    included, looked at one row at a time."""
    tz = floor_tz(cfg)
    start = datetime.combine(at.astimezone(tz).date(), time(0, 0), tz).astimezone(UTC)
    cutoff = cutoff_today(cfg, at)
    shipped_today = set(conn.execute(select(EVENTS.c.order_id).where(
        EVENTS.c.kind == "shipped", EVENTS.c.at >= start, EVENTS.c.at <= at)).scalars())
    rows = conn.execute(select(
        ORDERS.c.id, ORDERS.c.order_no, ORDERS.c.courier, ORDERS.c.state, ORDERS.c.paid_at,
        ORDERS.c.manifest_id, ORDERS.c.hold_reason,
    ).where(ORDERS.c.paid_at < cutoff, ORDERS.c.state.in_((*ON_FLOOR, NEW, HELD, SHIPPED)))
        .order_by(ORDERS.c.paid_at, ORDERS.c.id))
    counts: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(COLUMNS, 0))
    missing: list[dict[str, Any]] = []
    for r in rows:
        if r.state == SHIPPED and r.id not in shipped_today:
            continue
        courier = r.courier or "-"
        handed = r.state == SHIPPED or r.manifest_id is not None
        counts[courier]["handed_over" if handed else _COLUMN.get(r.state, r.state)] += 1
        if handed:
            continue
        pickup_at = _clock(at, cfg.couriers.pickup(courier, cfg.floor.cutoff_handover), cfg)
        reason = _miss_reason(r, at, pickup_at)
        if reason:
            missing.append({"order_no": r.order_no, "courier": courier, "state": r.state,
                            "paid_at": r.paid_at.astimezone(tz).isoformat(), "reason": reason})
    couriers = []
    for courier in sorted(counts):
        row = counts[courier]
        pickup = cfg.couriers.pickup(courier, cfg.floor.cutoff_handover)
        couriers.append({
            "courier": courier, "name": cfg.couriers.names.get(courier, courier),
            "pickup": pickup, "pickup_passed": at >= _clock(at, pickup, cfg),
            "due": sum(row.values()), "to_ship": sum(row.values()) - row["handed_over"], **row})
    return {"date": at.astimezone(tz).date().isoformat(), "cutoff_paid": cfg.floor.cutoff_paid,
            "cutoff_handover": cfg.floor.cutoff_handover, "couriers": couriers,
            "missing": missing, "shipped_today": _count_shipped(conn, start, at)}


def fill(engine: Engine, history: int = 3) -> None:
    """Three couriers in every state, a held and an unreleased order, one with no courier,
    parcels on a manifest, shipped today, and ``history`` orders shipped on earlier days."""
    sock = [("SOCK-3", 1)]
    made: list[tuple[int, str]] = []
    for n, courier in enumerate(("ZTO", "SF", "YTO")):
        for k, state in enumerate(("ready", "printed", "picking", "picked", "verified",
                                   "packed", "weighed", "held", "new", "cancelled")):
            made.append((ready(engine, sock, courier=courier, state=state,
                               paid=local(8 + k % 8, 5 * n)), state))
        made.append((ready(engine, sock, courier=courier, paid=local(16, 40)), "tomorrow"))
        made.append((ready(engine, sock, courier=courier, state="shipped", paid=local(9)),
                     "shipped today"))
    no_courier = ready(engine, sock, state="new", paid=local(10))
    old = [ready(engine, sock, courier=("ZTO", "SF", "YTO")[i % 3], state="shipped",
                 paid=local(9, day=20) - timedelta(days=i // 3)) for i in range(history)]
    with write_tx(engine) as conn:
        conn.execute(update(ORDERS).where(ORDERS.c.id == no_courier)
                     .values(courier=None, tracking_no=None))
        for oid, state in made:
            if state == "held":
                conn.execute(update(ORDERS).where(ORDERS.c.id == oid)
                             .values(hold_reason="address"))
            if state in ("packed", "weighed") and oid % 2:
                conn.execute(update(ORDERS).where(ORDERS.c.id == oid).values(manifest_id=1))
            if state == "shipped today":
                append_event(conn, DESK, "shipped", oid, at=local(14))
        for i, oid in enumerate(old):
            append_event(conn, DESK, "shipped", oid, at=local(15, day=20) - timedelta(days=i // 3))


def _check(engine: Engine, cfg: Config) -> dict[str, Any]:
    with engine.connect() as conn:
        board, want = today_board(conn, cfg, at=AT), reference(conn, cfg, AT)
    assert board == want
    return board


def test_the_grouped_board_is_the_row_by_row_board(tmp_path: Path) -> None:
    engine, cfg, _floor = store(tmp_path, couriers=COURIERS)
    fill(engine)
    board = _check(engine, cfg)
    rows = {r["courier"]: r for r in board["couriers"]}
    assert sorted(rows) == ["-", "SF", "YTO", "ZTO"]
    assert [rows[c]["due"] for c in ("SF", "YTO", "ZTO", "-")] == [10, 10, 10, 1]
    assert {r["pickup_passed"] for c, r in rows.items() if c != "SF"} == {True}
    assert rows["SF"]["pickup_passed"] is False
    reasons = defaultdict(list)
    for m in board["missing"]:
        reasons[m["courier"]].append(m["reason"])
    assert sorted(reasons["SF"]) == ["held: address", "not released"]  # SF comes at 17:30
    assert reasons["-"] == ["not released"]
    assert board["shipped_today"] == 3
    for at in (local(12), local(16, 10), local(23, 59)):  # before, between, after the pickups
        with engine.connect() as conn:
            assert today_board(conn, cfg, at=at) == reference(conn, cfg, at)


def test_the_grouped_board_is_the_row_by_row_board_on_postgresql(
        pg: PgStore, tmp_path: Path) -> None:  # noqa: F811
    cfg = make_config(tmp_path, store={"url": pg.url}, couriers=COURIERS)
    seed_floor(pg.engine)
    fill(pg.engine)
    rows = {r["courier"]: r for r in _check(pg.engine, cfg)["couriers"]}
    assert rows["ZTO"]["handed_over"] == 2 and rows["SF"]["waiting"] == 4


def _rows_read(engine: Engine, cfg: Config) -> int:
    """Rows the store hands back while the board is read (each statement run again to count)."""
    ran: list[tuple[str, Any]] = []

    def keep(_conn, _cursor, statement: str, parameters: Any, *_args) -> None:  # noqa: ANN001
        if statement.lstrip().upper().startswith("SELECT"):
            ran.append((statement, parameters))

    with engine.connect() as conn:
        event.listen(engine, "before_cursor_execute", keep)
        try:
            today_board(conn, cfg, at=AT)
        finally:
            event.remove(engine, "before_cursor_execute", keep)
        return sum(len(conn.exec_driver_sql(sql, params).all()) for sql, params in ran)


def test_shipped_history_is_not_read_back_row_by_row(tmp_path: Path) -> None:
    (tmp_path / "short").mkdir()
    (tmp_path / "long").mkdir()
    engine, cfg, _floor = store(tmp_path / "short", couriers=COURIERS)
    fill(engine, history=3)
    other, cfg_long, _floor = store(tmp_path / "long", couriers=COURIERS)
    fill(other, history=60)
    short, long = _rows_read(engine, cfg), _rows_read(other, cfg_long)
    assert long == short, f"{short} rows with 3 old parcels, {long} with 60"
