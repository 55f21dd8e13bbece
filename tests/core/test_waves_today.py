"""Today's board: per courier, what must still ship today and how far it got, against each
courier's pickup time; orders paid before the cut-off that will miss it are listed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import update

from db.engine import write_tx
from pickpack.core.events import append_event
from pickpack.core.tables import ORDERS
from pickpack.core.waves.today import today_board
from tests.core.wavekit import DESK, ready, store

CST = timezone(timedelta(hours=8))


def local(hh: int, mm: int = 0, day: int = 21) -> datetime:
    return datetime(2026, 11, day, hh, mm, tzinfo=CST).astimezone(UTC)


def test_per_courier_against_its_own_pickup(tmp_path: Path) -> None:
    engine, cfg, _floor = store(tmp_path, couriers={"SF": {"pickup": "17:30"}})
    zto_waiting = ready(engine, [("SOCK-3", 1)], paid=local(9))
    zto_packed = ready(engine, [("SOCK-3", 1)], paid=local(10), state="packed")
    sf_weighed = ready(engine, [("SOCK-3", 1)], courier="SF", paid=local(11), state="weighed")
    sf_shipped = ready(engine, [("SOCK-3", 1)], courier="SF", paid=local(11, 30),
                       state="shipped")
    ready(engine, [("SOCK-3", 1)], paid=local(16, 30))  # after the cut-off: tomorrow's
    held = ready(engine, [("SOCK-3", 1)], paid=local(8), state="held")
    yesterdays = ready(engine, [("SOCK-3", 1)], paid=local(9, day=20), state="shipped")
    with write_tx(engine) as conn:
        conn.execute(update(ORDERS).where(ORDERS.c.id == held).values(hold_reason="address"))
        conn.execute(update(ORDERS).where(ORDERS.c.id == zto_packed).values(manifest_id=1))
        append_event(conn, DESK, "shipped", sf_shipped, at=local(14))
        append_event(conn, DESK, "shipped", yesterdays, at=local(15, day=20))
    with engine.connect() as conn:
        board = today_board(conn, cfg, at=local(17))
    rows = {r["courier"]: r for r in board["couriers"]}
    assert rows["ZTO"]["pickup"] == "16:30" and rows["ZTO"]["pickup_passed"] is True
    assert rows["SF"]["pickup"] == "17:30" and rows["SF"]["pickup_passed"] is False
    assert (rows["ZTO"]["due"], rows["ZTO"]["to_ship"], rows["ZTO"]["waiting"],
            rows["ZTO"]["handed_over"]) == (3, 2, 2, 1)  # the held one waits too
    assert (rows["SF"]["due"], rows["SF"]["weighed"], rows["SF"]["handed_over"]) == (2, 1, 1)
    missing = {m["order_no"][-3:]: m["reason"] for m in board["missing"]}
    with engine.connect() as conn:
        nos = {r.id: r.order_no[-3:] for r in conn.execute(ORDERS.select())}
    assert missing == {nos[zto_waiting]: "pickup passed", nos[held]: "held: address"}
    assert sf_weighed not in [m["order_no"] for m in board["missing"]]  # SF comes at 17:30
    assert board["shipped_today"] == 1


def test_before_the_pickup_only_held_and_unreleased_orders_will_miss(tmp_path: Path) -> None:
    engine, cfg, _floor = store(tmp_path)
    ready(engine, [("SOCK-3", 1)], paid=local(9))
    ready(engine, [("SOCK-3", 1)], paid=local(9, 30), state="new")
    with engine.connect() as conn:
        board = today_board(conn, cfg, at=local(15))
    assert [(m["state"], m["reason"]) for m in board["missing"]] == [("new", "not released")]
    assert board["couriers"][0]["to_ship"] == 2 and board["couriers"][0]["pickup_passed"] is False
