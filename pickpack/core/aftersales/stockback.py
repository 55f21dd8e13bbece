"""Restocked units back on hand: the stock movement of a return graded ``restock``.

Stock leaves ``on_hand`` when a parcel ships; a restocked unit comes back here, in the receiving
transaction. Where the stock ledger (``pickpack.core.stock.ledger``) is installed, the unit is
its ``returned`` movement (a movement row and the event ``stock_returned``); otherwise the SKU's
``on_hand`` goes up here with the same event ``stock_returned`` (SKU, units, bin, the order
and the return), so the trail shows where the unit came from either way.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, select, update

from pickpack.core.events import Actor, append_event
from pickpack.core.tables import SKUS


def _ledger() -> Callable[..., int] | None:
    try:
        module = importlib.import_module("pickpack.core.stock.ledger")
    except ModuleNotFoundError as exc:
        if exc.name not in ("pickpack.core.stock.ledger", "pickpack.core.stock"):
            raise
        return None
    record: Callable[..., int] | None = getattr(module, "record_movement", None)
    return record


def stock_back(conn: Connection, actor: Actor, sku: str, units: int, *,
               order_id: int | None, return_id: int | None = None, why: str = "return") -> None:
    """``units`` of ``sku`` back on hand at its bin (in the caller's transaction)."""
    record = _ledger()
    if record is not None:
        record(conn, actor, sku, None, units, "returned", order_id,
               f"{why} {return_id}" if return_id is not None else why)
        return
    bin_: Any = conn.execute(select(SKUS.c.bin).where(SKUS.c.sku == sku)).scalar() or ""
    conn.execute(update(SKUS).where(SKUS.c.sku == sku).values(on_hand=SKUS.c.on_hand + units))
    append_event(conn, actor, "stock_returned", order_id,
                 {"sku": sku, "units": units, "bin": bin_, "return": return_id, "why": why})
