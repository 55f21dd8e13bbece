"""A refund in the platform's refund export (退款报表) for one platform order that travels merged
with others in one parcel (the desk's merge, issue 18 §2): before shipping a full refund takes
that order's lines off the parcel and cancels them while the rest ships, a refund still pending
holds the parcel; after handover only a refund of the whole parcel asks the courier to
intercept it, a refund of one order in it opens a case."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from pickpack.config import Config
from pickpack.core.aftersales.tables import CASES, INTERCEPTS
from pickpack.core.context import Floor
from pickpack.core.desk.parcels import merge_orders
from pickpack.core.release import release
from pickpack.intake.refunds import import_refunds
from pickpack.store import open_store
from tests.conftest import make_config
from tests.core.desk_kit import CLERK, events, express_printed, oid, row
from tests.core.floorkit import seed, ship_through
from tests.core.test_aftersales_refunds import export
from tests.core.test_aftersales_refunds import row as refund_row
from tests.intake.test_merged_refund import skus

A, B = "3900000000000000000", "3900000000000000001"


@pytest.fixture
def floor(tmp_path: Path) -> Iterator[Floor]:
    cfg: Config = make_config(tmp_path)
    engine = open_store(cfg)
    seed(engine, orders=3)
    release(engine, cfg, CLERK)
    merge_orders(Floor(engine, cfg), CLERK, [oid(engine, A), oid(engine, B)])
    yield Floor(engine, cfg)
    engine.dispose()


def refund(floor: Floor, tmp_path: Path, *rows: str, name: str = "r.csv") -> dict[str, int]:
    res = import_refunds(floor.engine, floor.config, export(tmp_path, *rows, name=name),
                         skip_bad=False)
    assert res.applied is not None
    return res.applied.acted


def test_a_full_refund_of_a_merged_order_takes_its_lines_off_the_parcel(
        floor: Floor, tmp_path: Path) -> None:
    engine = floor.engine
    assert row(engine, B).state == "merged" and len(skus(engine, A)) == 4
    acted = refund(floor, tmp_path, refund_row(B, "7001", "", "30.00", "否", "退款成功"))
    assert acted == {"cancelled": 1}
    assert row(engine, B).state == "cancelled"
    assert skus(engine, B) == [("TEE-BK-XL", 1), ("MUG-WH", 2)]  # off the parcel, cancelled
    assert skus(engine, A) == [("TEE-BK-XL", 1), ("MUG-WH", 2)]  # the rest ships
    assert row(engine, A).state in ("new", "ready")
    cancelled = events(engine, B, "cancelled")[-1][1]
    assert (cancelled["reason"], cancelled["parcel"], cancelled["refund_no"]) == (
        "platform_refund", A, "7001")
    assert events(engine, A, "unmerged")[-1][1]["orders"] == [B]
    assert events(engine, B, "refund_imported")


def test_after_the_slip_printed_a_merged_orders_refund_holds_the_parcel(
        floor: Floor, tmp_path: Path) -> None:
    express_printed(floor.engine, A)
    acted = refund(floor, tmp_path, refund_row(B, "7002", "", "30.00", "否", "退款成功"))
    assert acted == {"cancelled": 1}
    a = row(floor.engine, A)
    assert a.state == "held" and B in a.hold_reason
    assert len(skus(floor.engine, A)) == 4  # the desk takes the lines out
    assert events(floor.engine, A, "held")[-1][1]["refunded_order"] == B


def test_a_pending_refund_of_a_merged_order_holds_the_parcel_until_it_closes(
        floor: Floor, tmp_path: Path) -> None:
    before = row(floor.engine, A).state
    acted = refund(floor, tmp_path, refund_row(B, "7003", "", "30.00", "否", "退款中"))
    assert acted == {"held": 1}
    a = row(floor.engine, A)
    assert a.state == "held" and "7003" in a.hold_reason and a.held_from == before
    assert row(floor.engine, B).state == "merged"
    assert events(floor.engine, A, "held")[-1][1]["refund_no"] == "7003"
    acted = refund(floor, tmp_path, refund_row(B, "7003", "", "30.00", "否", "退款关闭"),
                   name="r2.csv")
    assert acted == {"released": 1}
    assert row(floor.engine, A).state == before and len(skus(floor.engine, A)) == 4


def test_a_full_refund_of_the_parcels_own_order_gives_the_merged_ones_back(
        floor: Floor, tmp_path: Path) -> None:
    """Only the parcel's own lines are its platform order's: B is not refunded with it."""
    acted = refund(floor, tmp_path, refund_row(A, "7004", "", "30.00", "否", "退款成功"))
    assert acted == {"cancelled": 1}
    assert row(floor.engine, A).state == "cancelled"
    assert row(floor.engine, B).state == "new"
    assert skus(floor.engine, B) == [("TEE-BK-XL", 1), ("MUG-WH", 2)]
    assert events(floor.engine, B, "unmerged")[-1][1]["parcel"] == A


def test_after_handover_one_orders_refund_opens_a_case_the_whole_parcels_intercepts(
        floor: Floor, tmp_path: Path) -> None:
    ship_through(floor, A)
    acted = refund(floor, tmp_path, refund_row(B, "7005", "", "30.00", "否", "退款中"))
    assert acted == {"case_opened": 1}
    with floor.engine.connect() as conn:
        assert conn.execute(select(INTERCEPTS)).first() is None
        case = conn.execute(select(CASES)).one()
    assert (case.kind, case.order_no) == ("refund_in_parcel", A)
    assert events(floor.engine, A, "case_opened")[-1][1]["refunded_order"] == B
    acted = refund(floor, tmp_path, refund_row(A, "7006", "", "30.00", "否", "退款中"),
                   name="r2.csv")
    assert acted == {"intercept_requested": 1}
    with floor.engine.connect() as conn:
        intercept = conn.execute(select(INTERCEPTS)).one()
    assert intercept.order_id == oid(floor.engine, A)
    assert events(floor.engine, A, "intercept_requested")[-1][1]["orders"] == [A, B]
