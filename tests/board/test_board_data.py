"""The board's figures from a real trail: per courier what is still to ship today, parcels
per hour, who is logged in where, holds and at-risk orders; no receiver data in it."""

from __future__ import annotations

import json

from sqlalchemy import Engine, update

from db.engine import write_tx
from pickpack.board.data import read_board
from pickpack.config import Config
from pickpack.core.context import Floor
from pickpack.core.events import Actor, append_event, now
from pickpack.core.operators import logout
from pickpack.core.reports import floor_tz
from pickpack.core.tables import ORDERS
from tests.board.boardkit import floor_with_orders
from tests.core.floorkit import ship_through


def test_a_parcel_handed_over_moves_the_board(engine: Engine, config: Config) -> None:
    numbers = floor_with_orders(engine, config)
    with engine.connect() as conn:
        before = read_board(conn, config)
    zto = {c.courier: c for c in before.couriers}["ZTO"]
    assert (zto.due, zto.to_ship, zto.handed_over, zto.pickup) == (3, 3, 0, "16:30")
    assert before.shipped_today == 0 and sum(before.per_hour) == 0
    assert before.at_risk_total == 3 and before.late_total == 3  # paid 2026-11-20
    ship_through(Floor(engine, config), numbers[0])
    with engine.connect() as conn:
        after = read_board(conn, config)
    zto = {c.courier: c for c in after.couriers}["ZTO"]
    assert (zto.due, zto.to_ship, zto.handed_over) == (3, 2, 1)
    assert after.shipped_today == 1
    assert after.per_hour[now().astimezone(floor_tz(config)).hour] == 1
    assert numbers[0] not in [f.order_no for f in after.at_risk]


def test_who_is_logged_in_where(engine: Engine, config: Config) -> None:
    floor_with_orders(engine, config)
    logout(engine, Actor("V1", "OP2001", "verifier"))
    with engine.connect() as conn:
        seen = {s.station: s for s in read_board(conn, config).stations}
    assert (seen["P1"].mode, seen["P1"].operator, seen["P1"].operator_name) == (
        "pick", "OP1001", "李拣货")
    assert seen["P1"].online and seen["V1"].operator == "" and seen["V1"].mode == "verify"


def test_holds_listed_and_no_receiver_data(engine: Engine, config: Config) -> None:
    numbers = floor_with_orders(engine, config)
    with write_tx(engine) as conn:
        conn.execute(update(ORDERS).where(ORDERS.c.order_no == numbers[1])
                     .values(state="held", hold_reason="地址待确认"))
    with engine.connect() as conn:
        board = read_board(conn, config)
    assert board.holds_total == 1
    assert (board.holds[0].order_no, board.holds[0].note) == (numbers[1], "地址待确认")
    text = json.dumps(board.to_json(), ensure_ascii=False)
    for private in ("张三", "13812341234", "长江路", "滨江区", "tb1"):
        assert private not in text


def test_the_couriers_as_report_today_counts_them(engine: Engine, config: Config) -> None:
    """The board counts in grouped queries what `pickpack report today` counts row by row."""
    from pickpack.core.waves.today import today_board

    numbers = floor_with_orders(engine, config, orders=4)
    ship_through(Floor(engine, config), numbers[0])
    with write_tx(engine) as conn:
        conn.execute(update(ORDERS).where(ORDERS.c.order_no == numbers[1])
                     .values(state="held", hold_reason="x"))
        conn.execute(update(ORDERS).where(ORDERS.c.order_no == numbers[2]).values(courier="SF"))
    with engine.connect() as conn:
        at = now()
        board = read_board(conn, config, at)
        report = today_board(conn, config, at)
    assert [(c.courier, c.pickup, c.pickup_passed, c.due, c.to_ship, c.handed_over)
            for c in board.couriers] == [
        (r["courier"], r["pickup"], r["pickup_passed"], r["due"], r["to_ship"], r["handed_over"])
        for r in report["couriers"]]
    assert board.shipped_today == report["shipped_today"] == 1


def test_a_parcel_cancelled_on_an_open_manifest_is_to_pull(engine: Engine, config: Config) -> None:
    from pickpack.core.authority import prove_supervisor
    from pickpack.core.desk.holds import cancel_order
    from pickpack.core.orders import find_order_id
    from pickpack.core.ship import scan_parcel
    from tests.core.floorkit import SUPERVISOR_PIN

    numbers = floor_with_orders(engine, config)
    floor = Floor(engine, config)
    shipper = Actor("S1", "OP3001", "packer")
    with write_tx(engine) as conn:
        conn.execute(update(ORDERS).where(ORDERS.c.order_no == numbers[2]).values(state="weighed"))
        oid = find_order_id(conn, numbers[2])
        assert oid is not None
        append_event(conn, shipper, "slip_printed", oid, {"kind": "express"})
    manifest = scan_parcel(floor, shipper, numbers[2])
    desk = Actor("D1", "OP9001", "supervisor")
    cancel_order(floor, desk, oid, "REFUND",
                 prove_supervisor(floor, desk, "OP9001", SUPERVISOR_PIN))
    with engine.connect() as conn:
        board = read_board(conn, config)
    assert board.intercepts_total == 1
    assert (board.intercepts[0].order_no, board.intercepts[0].state,
            board.intercepts[0].note) == (numbers[2], "cancelled", f"manifest M{manifest.id}")


def test_a_long_backlog_is_counted_by_the_store_and_its_oldest_listed(
        engine: Engine, config: Config) -> None:
    """Past the list's length the board still counts every at-risk and late order, and lists
    the oldest; an audit hold's reason reads in the board's language."""
    from datetime import timedelta

    from pickpack.board.data import LIST_MAX
    from pickpack.core.reports import late_orders
    from pickpack.i18n import set_language

    numbers = floor_with_orders(engine, config, orders=LIST_MAX + 3)
    at = now()
    with write_tx(engine) as conn:
        for i, number in enumerate(numbers):  # oldest first; the last three only at risk
            hours = 200 - i if i < LIST_MAX else 60
            conn.execute(update(ORDERS).where(ORDERS.c.order_no == number)
                         .values(paid_at=at - timedelta(hours=hours)))
        conn.execute(update(ORDERS).where(ORDERS.c.order_no == numbers[0])
                     .values(state="held", hold_reason="unknown SKU: GIFT-X"))
    set_language("zh_CN")
    try:
        with engine.connect() as conn:
            board = read_board(conn, config, at)
            listed = late_orders(conn, config, at)
    finally:
        set_language("en")
    assert (board.at_risk_total, board.late_total) == (
        len(listed), sum(1 for r in listed if r["late"])) == (LIST_MAX + 3, LIST_MAX)
    assert [f.order_no for f in board.at_risk] == numbers[:LIST_MAX]
    assert board.at_risk[0].note == board.holds[0].note == "未知商品编码：GIFT-X"
