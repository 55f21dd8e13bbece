"""Split: a platform order's lines into parcels with their own waybills (docs/DESK.md).

A split parcel is a new ``orders`` row numbered ``ORDERNO-2``, ``-3``… with the platform order's
receiver and address, ``desk_order.split_from`` naming the platform order (``export shipped``
writes the platform order's number with each parcel's tracking number). A line goes whole, or
part of its quantity is cut off into a line of its own (``desk_line.from_line``). Both parcels
are audited again when the order had been released; undoable until an express slip prints.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Row, delete, insert, select, update

from pickpack.core.context import Floor, lock_order, move
from pickpack.core.desk.parcels import (
    MERGED,
    ParcelChange,
    changeable,
    parcel_change,
    reaudit_parcel,
)
from pickpack.core.desk.rows import DESK_LINES, desk_row, set_desk
from pickpack.core.desk.waybills import give_back
from pickpack.core.events import Actor, append_event, now
from pickpack.core.lifecycle import NEW
from pickpack.core.refusal import Refusal
from pickpack.core.tables import LINES, ORDERS
from pickpack.i18n import N_

COPIED = ("platform", "shop", "buyer", "receiver_name", "receiver_phone", "province", "city",
          "district", "street", "postcode", "buyer_remark", "seller_memo", "created_at", "paid_at",
          "platform_status", "remark_ack")
"""What a split parcel takes from its platform order."""
ORDER_NO_MAX = 40
"""orders.order_no's length."""


def parse_lines(text: str) -> list[tuple[int, int | None]]:
    """``"12,13:2"`` → [(12, None), (13, 2)]: line ids, each with the quantity to move (None:
    the whole line)."""
    out: list[tuple[int, int | None]] = []
    for part in (p.strip() for p in text.split(",") if p.strip()):
        line, _, qty = part.partition(":")
        if not line.isdigit() or (qty and not qty.isdigit()) or qty == "0":
            raise ValueError(f"--lines {part!r}: LINE or LINE:QTY, numbers (see order show)")
        out.append((int(line), int(qty) if qty else None))
    if not out:
        raise ValueError("--lines: name the lines to split off")
    return out


def _next_no(conn: Connection, order_no: str) -> str:
    n = 2
    while conn.execute(select(ORDERS.c.id).where(ORDERS.c.order_no == f"{order_no}-{n}")).first():
        n += 1
    if len(f"{order_no}-{n}") > ORDER_NO_MAX:
        raise Refusal("split_number", "Order {order_no}: its number is too long to number a "
                      "parcel -{n}", order_no=order_no, n=n)
    return f"{order_no}-{n}"


def _cut(conn: Connection, row: Row[Any], platform_id: int, parcel_id: int,
         wanted: Sequence[tuple[int, int | None]]) -> list[dict[str, Any]]:
    lines = {r.id: r for r in conn.execute(select(LINES).where(LINES.c.order_id == row.id))}
    moved: list[dict[str, Any]] = []
    left = sum(r.qty for r in lines.values())
    for line_id, qty in wanted:
        line = lines.get(line_id)
        if line is None:
            raise Refusal("no_line", "Order {order_no} has no line {line}", order_no=row.order_no,
                          line=line_id, order_id=row.id)
        take = line.qty if qty is None else qty
        if take > line.qty:
            raise Refusal("too_many", "Line {line} of {order_no} has {n}, not {qty}",
                          line=line_id, order_no=row.order_no, n=line.qty, qty=take,
                          order_id=row.id)
        left -= take
        if take == line.qty:
            conn.execute(update(LINES).where(LINES.c.id == line_id).values(order_id=parcel_id))
            new_id, from_line = line_id, None
        else:
            conn.execute(update(LINES).where(LINES.c.id == line_id).values(qty=line.qty - take))
            new_id = int(conn.execute(insert(LINES).values(
                order_id=parcel_id, sku=line.sku, name=line.name, variant=line.variant,
                qty=take, price=line.price, scanned=0)).inserted_primary_key[0])  # type: ignore[index]
            from_line = line_id
        conn.execute(delete(DESK_LINES).where(DESK_LINES.c.line_id == new_id))
        conn.execute(insert(DESK_LINES).values(line_id=new_id, origin_id=platform_id,
                                               from_line=from_line, gift=False))
        moved.append({"line": new_id, "sku": line.sku, "qty": take, "from_line": from_line})
    if left <= 0:
        raise Refusal("split_all", "That takes every unit of {order_no}: nothing is left to ship "
                      "in the first parcel", order_no=row.order_no, order_id=row.id)
    return moved


def split_order(floor: Floor, actor: Actor, order_id: int,
                lines: Sequence[tuple[int, int | None]]) -> ParcelChange:
    """Split ``lines`` (line id, quantity or None for all of it) off into a parcel of their own."""

    def tx(conn: Connection) -> ParcelChange:
        row = lock_order(conn, order_id)
        if row.state == MERGED:
            raise Refusal("in_parcel", "Order {order_no} travels in another parcel: undo the "
                          "merge first", order_no=row.order_no, order_id=row.id)
        changeable(conn, row, N_("split into parcels"))
        desk = desk_row(conn, order_id)
        platform_id = desk.split_from if desk is not None and desk.split_from else order_id
        platform_no = conn.execute(select(ORDERS.c.order_no)
                                   .where(ORDERS.c.id == platform_id)).scalar_one()
        new_no = _next_no(conn, platform_no)
        parcel_id = int(conn.execute(insert(ORDERS).values(
            order_no=new_no, state=NEW, total=0, hold_reason="", updated_at=now(),
            **{c: getattr(row, c) for c in COPIED})).inserted_primary_key[0])  # type: ignore[index]
        moved = _cut(conn, row, platform_id, parcel_id, lines)
        set_desk(conn, parcel_id, split_from=platform_id,
                 no_price=bool(desk.no_price) if desk else False,
                 courier=desk.courier if desk else "", avoid=desk.avoid if desk else "")
        append_event(conn, actor, "split", order_id, {"parcel": new_no, "lines": moved})
        append_event(conn, actor, "split_off", parcel_id,
                     {"from": row.order_no, "platform_order": platform_no, "lines": moved})
        note = reaudit_parcel(conn, floor, actor, row)
        if not note and lock_order(conn, order_id).state != NEW:  # the first parcel went ready
            from pickpack.core.release import release_one

            problem = release_one(conn, floor.config, actor, parcel_id)
            note = f"{new_no} held: {problem}" if problem else ""
        return parcel_change(conn, order_id, "split", note, [row.order_no, new_no])

    return floor.run(actor, tx, order_id=order_id)


def unsplit(floor: Floor, actor: Actor, order_id: int) -> ParcelChange:
    """Undo a split (``order_id``: the split parcel): its lines go back to the platform order,
    and the split parcel rests as ``merged`` into it (its waybill, never printed, back to the
    pool)."""

    def tx(conn: Connection) -> ParcelChange:
        row = lock_order(conn, order_id)
        desk = desk_row(conn, order_id)
        if desk is None or desk.split_from is None or row.state == MERGED:
            raise Refusal("not_split", "Order {order_no} is not a split parcel (undo names the "
                          "parcel -2, -3…)", order_no=row.order_no, order_id=row.id)
        platform = lock_order(conn, desk.split_from)
        changeable(conn, row, N_("joined again"))
        changeable(conn, platform, N_("joined again"))
        back = []
        for line in conn.execute(select(LINES, DESK_LINES.c.from_line)
                                 .join(DESK_LINES, DESK_LINES.c.line_id == LINES.c.id)
                                 .where(LINES.c.order_id == order_id)).all():
            home = line.from_line and conn.execute(select(LINES.c.id).where(
                LINES.c.id == line.from_line, LINES.c.order_id == platform.id)).scalar()
            if home:
                conn.execute(update(LINES).where(LINES.c.id == home)
                             .values(qty=LINES.c.qty + line.qty))
                conn.execute(delete(DESK_LINES).where(DESK_LINES.c.line_id == line.id))
                conn.execute(delete(LINES).where(LINES.c.id == line.id))
            else:
                conn.execute(update(LINES).where(LINES.c.id == line.id)
                             .values(order_id=platform.id))
            back.append({"line": home or line.id, "sku": line.sku, "qty": line.qty})
        give_back(conn, row)
        move(conn, actor, row, MERGED, "unsplit", {"into": platform.order_no, "lines": back},
             courier=None, tracking_no=None, hold_reason="", held_from=None)
        append_event(conn, actor, "unsplit", platform.id, {"parcel": row.order_no, "lines": back})
        note = reaudit_parcel(conn, floor, actor, platform)
        return parcel_change(conn, platform.id, "unsplit", note)

    return floor.run(actor, tx, order_id=order_id)
