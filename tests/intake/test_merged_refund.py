"""A refunded order that travels merged in another order's parcel (the desk's merge), as a
later order export reports it (交易关闭): the refunded order's lines leave the parcel, each
change with its event; never the whole parcel cancelled for one order, never the refunded
order's lines shipped (issue 18 §2)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from pickpack.config import Config
from pickpack.core.context import Floor
from pickpack.core.desk.parcels import merge_orders
from pickpack.core.release import release
from pickpack.core.tables import LINES
from pickpack.intake import import_orders
from pickpack.store import open_store
from tests.conftest import make_config
from tests.core.desk_kit import CLERK, events, express_printed, oid, row
from tests.core.floorkit import seed
from tests.intake.conftest import CLOSED, Writer, line, order

A, B = "3900000000000000000", "3900000000000000001"


@pytest.fixture
def cfg(tmp_path: Path) -> Config:
    return make_config(tmp_path)


@pytest.fixture
def store(cfg: Config) -> Iterator[Engine]:
    engine = open_store(cfg)
    seed(engine, orders=3)
    release(engine, cfg, CLERK)
    merge_orders(Floor(engine, cfg), CLERK, [oid(engine, A), oid(engine, B)])
    yield engine
    engine.dispose()


def skus(engine: Engine, key: str) -> list[tuple[str, int]]:
    with engine.connect() as conn:
        return [(s, q) for s, q in conn.execute(
            select(LINES.c.sku, LINES.c.qty).where(LINES.c.order_id == oid(engine, key))
            .order_by(LINES.c.id))]


def closed(write_export: Writer, *nos: str) -> list[Path]:
    return write_export([order(n, CLOSED) for n in nos], [line(n) for n in nos], tag="-2")


def test_a_refunded_order_merged_into_a_parcel_leaves_it(store: Engine,
                                                         write_export: Writer) -> None:
    assert row(store, B).state == "merged"
    res = import_orders(store, closed(write_export, B), skip_bad=False)
    assert res.cancelled == 1
    b, a = row(store, B), row(store, A)
    assert b.state == "cancelled"
    assert skus(store, A) == [("TEE-BK-XL", 1), ("MUG-WH", 2)]  # its own lines only
    assert skus(store, B) == [("TEE-BK-XL", 1), ("MUG-WH", 2)]  # the refunded lines, back
    assert a.state == "new" and a.tracking_no  # audited again at the next round
    assert events(store, A, "reaudit")[-1][1]["order"] == B
    cancelled = events(store, B, "cancelled")[-1][1]
    assert (cancelled["reason"], cancelled["parcel"]) == ("platform_closed", A)
    taken = events(store, A, "unmerged")[-1][1]
    assert (taken["reason"], taken["orders"]) == ("platform_closed", [B])


def test_after_the_parcels_slip_printed_the_parcel_is_held(store: Engine,
                                                           write_export: Writer) -> None:
    """Its lines can no longer change without the desk: the parcel is held naming the refunded
    order, which is cancelled."""
    express_printed(store, A)
    import_orders(store, closed(write_export, B), skip_bad=False)
    a, b = row(store, A), row(store, B)
    assert b.state == "cancelled"
    assert a.state == "held" and B in a.hold_reason and a.held_from == "ready"
    assert len(skus(store, A)) == 4  # nothing moved behind the printed slip
    assert events(store, A, "held")[-1][1]["refunded_order"] == B


def test_a_refunded_parcel_gives_the_orders_merged_into_it_back(store: Engine,
                                                                write_export: Writer) -> None:
    """The parcel's own platform order refunded: it is cancelled (intercepted on the floor);
    the order merged into it is not lost with it but goes back to new with its lines."""
    res = import_orders(store, closed(write_export, A), skip_bad=False)
    assert res.intercepted == 1
    a, b = row(store, A), row(store, B)
    assert a.state == "cancelled" and b.state == "new"
    assert skus(store, B) == [("TEE-BK-XL", 1), ("MUG-WH", 2)]
    assert skus(store, A) == [("TEE-BK-XL", 1), ("MUG-WH", 2)]
    back = events(store, B, "unmerged")[-1][1]
    assert (back["reason"], back["parcel"]) == ("platform_closed", A)
