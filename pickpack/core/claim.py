"""Claim: hand a station the next order waiting at its step, never the same one to two stations.

The claim is the step's operator column (``picker``/``verifier``/``packer``) set in the same
transaction that found the order; on PostgreSQL the search takes the row with
``FOR UPDATE SKIP LOCKED``, so stations claiming at once each get a different order instead of
queueing behind one another (SQLite's ``BEGIN IMMEDIATE`` serialises claims on its own).
"""

from __future__ import annotations

from sqlalchemy import Connection, select, update

from pickpack.core.context import Floor, is_sqlite_conn
from pickpack.core.events import Actor, append_event
from pickpack.core.lifecycle import states_before
from pickpack.core.orders import OrderView, load_order
from pickpack.core.refusal import Refusal
from pickpack.core.tables import ORDERS

CLAIM_COLUMN = {"pick": "picker", "verify": "verifier", "pack": "packer"}


def claim_next(floor: Floor, actor: Actor, step: str) -> OrderView | None:
    """The next order (first paid first) waiting at ``step`` and not yet claimed, claimed for
    ``actor``; None when there is none."""
    if step not in CLAIM_COLUMN:
        raise ValueError(f"orders are not claimed at {step!r}")
    column = ORDERS.c[CLAIM_COLUMN[step]]

    def tx(conn: Connection) -> OrderView | None:
        query = (select(ORDERS.c.id)
                 .where(ORDERS.c.state.in_(states_before(step, floor.route)), column.is_(None))
                 .order_by(ORDERS.c.paid_at, ORDERS.c.id).limit(1))
        if not is_sqlite_conn(conn):
            query = query.with_for_update(skip_locked=True)
        order_id = conn.execute(query).scalar()
        if order_id is None:
            return None
        claimed = conn.execute(update(ORDERS).where(ORDERS.c.id == order_id, column.is_(None))
                               .values({column.name: actor.operator})).rowcount
        if claimed != 1:  # cannot happen under the row lock; kept as the compare-and-set guard
            raise Refusal("conflict", "Order was claimed at another station just now; scan again",
                          order_id=order_id)
        append_event(conn, actor, "claimed", order_id, {"step": step})
        return load_order(conn, order_id)

    return floor.run(actor, tx)
