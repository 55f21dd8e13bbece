"""Units a return brings beyond what the buyer declared are not put back on sale by a restock
grade: they wait in quarantine for their case (field test: two mugs back against one shipped and
declared put both into sellable stock)."""

from __future__ import annotations

import json

from sqlalchemy import Engine, select

from pickpack.config import Config
from pickpack.core.aftersales.returns import arrive, finish_return, receive_item
from pickpack.core.aftersales.tables import RETURN_ITEMS
from pickpack.core.context import Floor
from pickpack.core.events import Actor
from pickpack.core.tables import EVENTS
from tests.stations.conftest import MUG
from tests.stations.test_returns import RETURN_TRACKING, on_hand, shipped_with_return

BENCH = Actor("R1", "OP9001", "supervisor")


def on_the_bench(config: Config, engine: Engine) -> tuple[Floor, int, int]:
    """One mug shipped and declared returned; its parcel on the bench: (floor, stock, return)."""
    shipped_with_return(config, engine, declared=1)
    floor = Floor(engine, config)
    return floor, on_hand(engine, "MUG-WH"), arrive(floor, BENCH, RETURN_TRACKING).id


def test_a_unit_beyond_the_declaration_is_held_not_restocked(config: Config,
                                                              engine: Engine) -> None:
    floor, before, parcel = on_the_bench(config, engine)
    _view, sku, flagged = receive_item(floor, BENCH, parcel, MUG, "restock")
    assert (sku, flagged) == ("MUG-WH", False) and on_hand(engine, "MUG-WH") == before + 1
    _view, sku, flagged = receive_item(floor, BENCH, parcel, MUG, "restock")
    assert flagged, "the second mug was not declared"
    assert on_hand(engine, "MUG-WH") == before + 1, "the undeclared mug is not for sale yet"
    with engine.connect() as conn:
        rows = [(r.grade, r.qty) for r in conn.execute(
            select(RETURN_ITEMS).where(RETURN_ITEMS.c.return_id == parcel)
            .order_by(RETURN_ITEMS.c.id))]
        [last] = [json.loads(p) for p in conn.execute(
            select(EVENTS.c.payload).where(EVENTS.c.kind == "return_item_received")
            .order_by(EVENTS.c.id.desc()).limit(1)).scalars()]
    assert rows == [("restock", 1), ("quarantine", 1)]
    assert (last["grade"], last["held"], last["flagged"]) == ("restock", 1, True)
    done = finish_return(floor, BENCH, parcel)
    assert done.case_id is not None, "the difference opens its case"


def test_a_case_of_six_scanned_against_one_declared_restocks_one(config: Config,
                                                                 engine: Engine) -> None:
    floor, before, parcel = on_the_bench(config, engine)
    _view, _sku, flagged = receive_item(floor, BENCH, parcel, MUG, "restock", qty=6)
    assert flagged and on_hand(engine, "MUG-WH") == before + 1
