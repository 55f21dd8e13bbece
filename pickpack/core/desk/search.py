"""Find an order at the desk by whatever the buyer or the slip gives: order no., tracking no.,
basket, buyer, receiver, the phone number or its last four digits.

Every query is answered from an index, never by reading the whole order table (a store holds
millions of shipped orders): order and tracking numbers and baskets by their unique keys; the
buyer, the receiver and the phone among the orders the desk works on (not shipped: the
``state`` index) and those paid in the last ``RECENT_DAYS`` days (the ``paid_at`` index). An
older shipped order is found by its order or tracking number (after-sales has those).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Connection, Select, or_, select

from pickpack.core.events import now
from pickpack.core.lifecycle import CANCELLED, HELD, NEW, ON_FLOOR
from pickpack.core.orders import find_order_id
from pickpack.core.tables import ORDERS
from pickpack.i18n import N_

RECENT_DAYS = 14
"""Shipped orders paid this many days back are still found by buyer, receiver or phone."""
HITS = 50
"""At most this many orders are listed for one key."""
OPEN_STATES = (NEW, HELD, CANCELLED, *ON_FLOOR)
MATCHED = {
    "key": N_("order, slip or basket"), "buyer": N_("buyer"), "receiver": N_("receiver"),
    "phone": N_("phone"), "phone4": N_("phone, last 4"),
}
"""What a hit matched, in words (marked for translation)."""


@dataclass(frozen=True, slots=True)
class SearchHit:
    order_id: int
    order_no: str
    state: str
    tracking_no: str | None
    buyer: str
    receiver_name: str
    phone: str
    """Masked: the last four digits only (``*******1234``)."""
    paid_at: datetime | None
    matched: str
    """A key of :data:`MATCHED`."""


def mask_phone(phone: str) -> str:
    """A phone number as the desk shows it: the last four digits, the rest starred."""
    return "*" * max(len(phone) - 4, 0) + phone[-4:]


def search_orders(conn: Connection, key: str, *, at: datetime | None = None,
                  limit: int = HITS) -> list[SearchHit]:
    """The orders ``key`` names, first paid first; an exact order or tracking number or
    basket is one hit and ends the search."""
    key = key.strip()
    if not key:
        return []
    oid = find_order_id(conn, key)
    if oid is not None:
        return _hits(conn, ORDERS.c.id == oid, "key", limit)
    since = (at or now()) - timedelta(days=RECENT_DAYS)
    found: dict[int, SearchHit] = {}
    for matched, where in _conditions(key):
        for scope in (ORDERS.c.state.in_(OPEN_STATES), ORDERS.c.paid_at >= since):
            for hit in _hits(conn, where & scope, matched, limit):
                found.setdefault(hit.order_id, hit)
    hits = sorted(found.values(), key=lambda h: (h.paid_at is None, h.paid_at or now(),
                                                 h.order_id))
    return hits[:limit]


def _conditions(key: str) -> list[tuple[str, ColumnElement[bool]]]:
    out: list[tuple[str, ColumnElement[bool]]] = [
        ("buyer", ORDERS.c.buyer == key), ("receiver", ORDERS.c.receiver_name == key)]
    digits = key.replace(" ", "").replace("-", "")
    if digits.isascii() and digits.isdigit():
        if len(digits) == 4:
            out.append(("phone4", ORDERS.c.receiver_phone.endswith(digits, autoescape=True)))
        elif len(digits) >= 7:
            out.append(("phone", or_(ORDERS.c.receiver_phone.in_({key, digits}),
                                     ORDERS.c.receiver_phone.endswith(digits, autoescape=True))))
    return out


def _query(where: ColumnElement[bool], limit: int) -> Select[tuple[object, ...]]:
    return (select(ORDERS.c.id, ORDERS.c.order_no, ORDERS.c.state, ORDERS.c.tracking_no,
                   ORDERS.c.buyer, ORDERS.c.receiver_name, ORDERS.c.receiver_phone,
                   ORDERS.c.paid_at)
            .where(where).order_by(ORDERS.c.paid_at, ORDERS.c.id).limit(limit))


def _hits(conn: Connection, where: ColumnElement[bool], matched: str,
          limit: int) -> list[SearchHit]:
    return [SearchHit(r.id, r.order_no, r.state, r.tracking_no, r.buyer, r.receiver_name,
                      mask_phone(r.receiver_phone or ""), r.paid_at, matched)
            for r in conn.execute(_query(where, limit))]
