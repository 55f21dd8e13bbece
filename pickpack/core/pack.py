"""Pack: the packer closes a verified order into a carton; the packer and carton are recorded.

Opening an order here is an event too (``pack_opened``), like verify's: the trail keeps each
scan as the scanner sent it (``raw``, ``symbology``), the carton scan on ``packed`` as well.
"""

from __future__ import annotations

from sqlalchemy import Connection

from pickpack.core.context import Floor, check_at_step, lock_order, move
from pickpack.core.events import Actor, append_event
from pickpack.core.lifecycle import PACKED
from pickpack.core.orders import OrderView, load_order, require_order_id
from pickpack.core.pick import release_basket
from pickpack.core.refusal import scan_fields

CARTONS = ("S", "M", "L", "XL", "BAG")


def open_for_pack(floor: Floor, actor: Actor, key: str) -> OrderView:
    def tx(conn: Connection) -> OrderView:
        order_id = require_order_id(conn, key)
        check_at_step(conn, actor, lock_order(conn, order_id), "pack", floor.route)
        append_event(conn, actor, "pack_opened", order_id, {"key": key, **scan_fields(key)})
        return load_order(conn, order_id)

    return floor.run(actor, tx)


def pack_order(floor: Floor, actor: Actor, order_id: int, carton: str) -> OrderView:
    def tx(conn: Connection) -> OrderView:
        row = lock_order(conn, order_id)
        check_at_step(conn, actor, row, "pack", floor.route)
        move(conn, actor, row, PACKED, "packed", {"carton": carton, **scan_fields()},
             packer=actor.operator, carton=carton)
        release_basket(conn, order_id)  # the goods are in the carton (a route without verify)
        return load_order(conn, order_id)

    return floor.run(actor, tx, order_id=order_id)
