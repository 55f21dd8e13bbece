"""Receiver and address changes at the desk (issue 16.5), with a reason code, evented.

Before the express slip printed, the change is made and the courier chosen again (the order is
audited again: the waybill it had goes back to the pool, never having been on paper). After
printing, the printed waybill is voided for good, a new one taken and its express slip queued
at this station; the old slip is refused at every station as a void slip. A platform order that
travels in another parcel (merged) is changed through its parcel; the parcel's change is made
on every platform order in it (one buyer, one address).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import Connection, select, update

from pickpack.core.context import Floor, lock_order
from pickpack.core.desk.reasons import reason_code, reason_text
from pickpack.core.desk.rows import DESK_ORDERS
from pickpack.core.desk.waybills import after_change
from pickpack.core.events import Actor, append_event, now
from pickpack.core.lifecycle import CANCELLED, SHIPPED
from pickpack.core.refusal import Refusal
from pickpack.core.tables import ORDERS
from pickpack.text import visible

FIELDS: dict[str, int] = {"receiver_name": 64, "receiver_phone": 32, "province": 32, "city": 32,
                          "district": 32, "street": 200, "postcode": 12}
"""The receiver and address columns the desk may change, with their lengths."""
REQUIRED = ("receiver_name", "receiver_phone", "province", "city", "street")
CLOSED = (SHIPPED, CANCELLED, "returned", "partly_returned", "merged")


@dataclass(frozen=True, slots=True)
class Edited:
    order_no: str
    state: str
    changes: dict[str, list[str]]
    reason: str
    reason_text: str
    tracking_no: str | None
    note: str = ""
    orders: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def check_fields(changes: Mapping[str, str]) -> dict[str, str]:
    """The changes cleaned (stripped), or a refusal naming the field that is wrong."""
    if not changes:
        raise Refusal("nothing_to_change", "Nothing to change: name a field to change")
    out: dict[str, str] = {}
    for name, value in changes.items():
        if name not in FIELDS:
            raise Refusal("bad_field", "Unknown field {field}: one of {fields}", field=name,
                          fields=", ".join(FIELDS))
        value = value.strip()
        if visible(value) != value:
            raise Refusal("bad_value", "{field}: control characters are not an address",
                          field=name)
        if len(value) > FIELDS[name]:
            raise Refusal("bad_value", "{field}: at most {n} characters", field=name,
                          n=FIELDS[name])
        if not value and name in REQUIRED:
            raise Refusal("bad_value", "{field} cannot be empty", field=name)
        out[name] = value
    return out


def edit_address(floor: Floor, actor: Actor, order_id: int, changes: Mapping[str, str],
                 reason: str, note: str = "") -> Edited:
    """Change the receiver or address of an order (and every platform order in its parcel)."""
    code = reason_code("edit", reason)
    clean = check_fields(changes)

    def tx(conn: Connection) -> Edited:
        row = lock_order(conn, order_id)
        if row.state in CLOSED:
            parcel = conn.execute(select(DESK_ORDERS.c.parcel_id)
                                  .where(DESK_ORDERS.c.order_id == order_id)).scalar()
            if parcel is not None:
                host = conn.execute(select(ORDERS.c.order_no)
                                    .where(ORDERS.c.id == parcel)).scalar()
                raise Refusal("in_parcel", "Order {order_no} travels in parcel {parcel}: "
                              "change the parcel", order_no=row.order_no, parcel=host,
                              order_id=row.id)
            raise Refusal("cannot_edit", "Order {order_no} is {state}: its address cannot "
                          "change now", order_no=row.order_no, state=row.state, order_id=row.id)
        diff = {k: [str(getattr(row, k) or ""), v] for k, v in clean.items()
                if str(getattr(row, k) or "") != v}
        if not diff:
            raise Refusal("nothing_to_change", "Order {order_no} already has that address",
                          order_no=row.order_no, order_id=row.id)
        members = [order_id, *conn.execute(select(DESK_ORDERS.c.order_id)
                                           .where(DESK_ORDERS.c.parcel_id == order_id)).scalars()]
        new = {k: v[1] for k, v in diff.items()}
        conn.execute(update(ORDERS).where(ORDERS.c.id.in_(members)).values(**new, updated_at=now()))
        payload = {"changes": diff, "code": code, "reason_text": reason_text("edit", code),
                   "note": note}
        for member in members:
            append_event(conn, actor, "address_changed", member,
                         {**payload, "parcel": row.order_no} if member != order_id else payload)
        what = "address changed: " + ", ".join(diff)
        result = after_change(conn, floor.config, actor, order_id, what)
        fresh = conn.execute(select(ORDERS.c.state, ORDERS.c.tracking_no)
                             .where(ORDERS.c.id == order_id)).one()
        names = list(conn.execute(select(ORDERS.c.order_no).where(ORDERS.c.id.in_(members))
                                  .order_by(ORDERS.c.id)).scalars())
        return Edited(row.order_no, fresh.state, diff, code, reason_text("edit", code),
                      fresh.tracking_no, result, names)

    return floor.run(actor, tx, order_id=order_id)
