"""Find an order at the desk by whatever the buyer or the slip gives: order no., tracking no.,
basket, buyer, receiver, the phone number or its last four digits.

Every query is answered from an index, never by reading the whole order table (a store holds
millions of shipped orders): order and tracking numbers and baskets by their unique keys; the
buyer, the receiver and the phone among the orders the desk works on (not shipped: the
``state`` index) and those paid in the last ``RECENT_DAYS`` days (the ``paid_at`` index). An
older shipped order is found by its order or tracking number (after-sales has those); finding
it by buyer, receiver or phone too would want indexes on those columns (the phone's on its
last four digits, an expression index) — a migration this module does not have.
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

RECENT_DAYS = 3
"""Shipped orders paid this many days back are still found by buyer, receiver or phone (the
``paid_at`` range read for them grows with the days: 3 days of a busy shop is some 20 000)."""
OPEN_READ = 1000
"""At most this many open orders are read for one key, then sorted first paid first."""
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
        # open orders state by state through the state index, unsorted: ordered by paid_at, or
        # with all the states in one IN (), SQLite's planner walks every shipped order instead
        for state in OPEN_STATES:
            for hit in _hits(conn, where & (ORDERS.c.state == state), matched, OPEN_READ,
                             sort=False):
                found.setdefault(hit.order_id, hit)
        for hit in _hits(conn, where & (ORDERS.c.paid_at >= since), matched, limit):
            found.setdefault(hit.order_id, hit)  # shipped lately: by the paid_at range
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


def _query(where: ColumnElement[bool], limit: int, *,
           sort: bool = True) -> Select[tuple[object, ...]]:
    query = (select(ORDERS.c.id, ORDERS.c.order_no, ORDERS.c.state, ORDERS.c.tracking_no,
                    ORDERS.c.buyer, ORDERS.c.receiver_name, ORDERS.c.receiver_phone,
                    ORDERS.c.paid_at)
             .where(where).limit(limit))
    return query.order_by(ORDERS.c.paid_at, ORDERS.c.id) if sort else query


def _hits(conn: Connection, where: ColumnElement[bool], matched: str, limit: int, *,
          sort: bool = True) -> list[SearchHit]:
    return [SearchHit(r.id, r.order_no, r.state, r.tracking_no, r.buyer, r.receiver_name,
                      mask_phone(r.receiver_phone or ""), r.paid_at, matched)
            for r in conn.execute(_query(where, limit, sort=sort))]
