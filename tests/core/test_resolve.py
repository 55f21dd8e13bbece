"""A scan means what the store says first: pool numbers, ambiguous shapes, GTIN spellings, cases,
shops' own codes, SSCCs and expiry, through the stations' flows on a real SQLite store."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, insert, select, update

from db.engine import write_tx
from pickpack.config import Config
from pickpack.core.classify import Classified
from pickpack.core.context import Floor
from pickpack.core.flows import StationFlow, make_flow
from pickpack.core.refusal import Refusal
from pickpack.core.resolve import check_shelf_life, meaning, resolve, store_knows
from pickpack.core.tables import BARCODES, EVENTS, LINES, ORDERS, SKUS, WAYBILLS
from pickpack.scan import Scan
from tests.conftest import make_config
from tests.core.floorkit import seed
from tests.pg.kit import TEE, picked_order, scanned

ORDER_NO = "3900000000000000555"


def _verify(floor: Floor, order_no: str = ORDER_NO) -> StationFlow:
    flow = make_flow(floor, "verify", "X2")
    assert flow.handle(Scan("OP2001")).ok
    out = flow.handle(Scan(order_no))
    assert out.ok, out.message
    return flow


def _counted(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        rows = conn.execute(select(EVENTS.c.payload).where(EVENTS.c.kind == "item_scanned")
                            .order_by(EVENTS.c.id)).scalars()
        return [json.loads(p) for p in rows]


def _add(engine: Engine, table: Any, **values: Any) -> None:  # noqa: ANN401
    with write_tx(engine) as conn:
        conn.execute(insert(table).values(**values))


def _meaning(floor: Floor, code: str, symbology: str | None = None) -> Classified:
    return meaning(floor, Scan(code, symbology=symbology))


@pytest.fixture
def floor(engine: Engine, config: Config) -> Floor:
    seed(engine, orders=0)
    picked_order(engine, ORDER_NO, qty=6)
    return Floor(engine, config)


# -- what the store holds comes first ----------------------------------------------------------

def test_a_number_from_the_waybill_pool_is_tracking_of_its_courier_whatever_its_shape(
        floor: Floor) -> None:
    code = "70000000000003"  # floorkit's pool: no courier pattern claims 70…
    assert floor.classifier.classify(code).kind != "tracking"
    assert _meaning(floor, code) == Classified("tracking", code, courier="ZTO")


def test_a_jd_pool_number_is_recognised_at_the_ship_station(engine: Engine, tmp_path: Path) -> None:
    """Reproduced: JDVA… from the station's own pool was refused at ship as 'Not expected
    here'. With the old JD pattern (no JDVA) the pool still says what it is."""
    config = make_config(tmp_path, couriers={"patterns": {"JD": r"JD[A-Z]?\d{11,15}"}})
    seed(engine, orders=0)
    _add(engine, WAYBILLS, tracking_no="JDVA00012345678", courier="SF")
    floor = Floor(engine, config)
    assert floor.classifier.classify("JDVA00012345678").kind == "item"
    assert _meaning(floor, "JDVA00012345678") == Classified("tracking", "JDVA00012345678",
                                                            courier="SF")
    ship = make_flow(floor, "ship", "S9")
    assert ship.handle(Scan("OP3001")).ok
    out = ship.handle(Scan("JDVA00012345678"))
    assert out.code != "unexpected" and out.code == "unknown_order", out.message  # not handed out


def test_two_patterns_claim_a_code_the_store_decides(floor: Floor, engine: Engine) -> None:
    code = "431234567890123"  # Yunda 4… and STO 43…
    assert floor.classifier.classify(code).kind == "ambiguous"
    with write_tx(engine) as conn:
        conn.execute(update(ORDERS).where(ORDERS.c.order_no == ORDER_NO)
                     .values(tracking_no=code, courier="STO"))
    assert _meaning(floor, code) == Classified("tracking", code, courier="STO")
    flow = make_flow(floor, "verify", "X3")
    assert flow.handle(Scan("OP2001")).ok
    out = flow.handle(Scan(code))
    assert out.ok and out.order is not None and out.order.order_no == ORDER_NO


def test_a_code_two_patterns_claim_and_the_store_does_not_know_is_refused_as_ambiguous(
        floor: Floor) -> None:
    flow = _verify(floor)
    out = flow.handle(Scan("431234567890124"))
    assert not out.ok and out.code == "ambiguous_code", out.message
    assert "STO" in out.message and "YD" in out.message


def test_a_badge_shaped_shop_code_the_catalog_holds_is_its_item(floor: Floor,
                                                                engine: Engine) -> None:
    _add(engine, BARCODES, code="OP5555", sku="TEE-BK-XL", units=1)
    flow = _verify(floor)
    out = flow.handle(Scan("OP5555"))
    assert out.ok, out.message
    assert flow.operator is not None and flow.operator.code == "OP2001"  # no login as OP5555
    assert scanned(engine, flow.order.id if flow.order else 0) == 1


def test_a_code_the_store_holds_as_two_things_is_ambiguous(floor: Floor, engine: Engine) -> None:
    _add(engine, BARCODES, code=ORDER_NO, sku="TEE-BK-XL", units=1)
    with engine.connect() as conn:
        got = resolve(conn, floor.classifier.classify(ORDER_NO)).scan
    assert got.kind == "ambiguous" and "order" in got.reason and "item" in got.reason


def test_store_knows_every_table_in_one_read(floor: Floor, engine: Engine) -> None:
    with engine.connect() as conn:
        assert {k.kind for k in store_knows(conn, "OP2001")} == {"operator"}
        assert {k.kind for k in store_knows(conn, "A-01-02")} == {"location"}  # a SKU's bin
        assert [(k.kind, k.order_no) for k in store_knows(conn, f"T{ORDER_NO}")] == [
            ("tracking", ORDER_NO)]
        assert store_knows(conn, "nothing-here") == ()


def test_another_orders_slip_while_counting_is_that_order_not_an_unknown_barcode(
        floor: Floor, engine: Engine) -> None:
    other = picked_order(engine, "3900000000000000556", qty=1)
    with write_tx(engine) as conn:
        conn.execute(update(ORDERS).where(ORDERS.c.id == other).values(tracking_no="SOMESLIP-9"))
    flow = _verify(floor)
    out = flow.handle(Scan("SOMESLIP-9"))  # an item by its shape; the store knows the slip
    assert out.code == "order_open", out.message


# -- GTIN in one normal form -----------------------------------------------------------------

@pytest.mark.parametrize(("code", "symbology"), [
    (TEE, None), ("0" + TEE, None), ("010" + TEE, None), ("(01)0" + TEE, None),
    ("010" + TEE, "]C1"), ("https://id.gs1.org/01/0" + TEE, None)])
def test_ean13_gtin14_itf14_and_gs1_spellings_find_the_same_item(
        floor: Floor, engine: Engine, code: str, symbology: str | None) -> None:
    flow = _verify(floor)
    out = flow.handle(Scan(code, symbology=symbology))
    assert out.ok, (code, out.message)
    assert _counted(engine)[-1]["sku"] == "TEE-BK-XL"


def test_upca_held_is_found_by_its_ean13_gtin14_and_upce(floor: Floor, engine: Engine) -> None:
    with write_tx(engine) as conn:
        conn.execute(insert(SKUS).values(sku="GUM", name="口香糖", price=1))
        conn.execute(insert(BARCODES).values(code="042100005264", sku="GUM", units=1))
        oid = conn.execute(select(ORDERS.c.id).where(ORDERS.c.order_no == ORDER_NO)).scalar_one()
        conn.execute(insert(LINES).values(order_id=oid, sku="GUM", name="口香糖", qty=3))
    flow = _verify(floor)
    for code in ("0042100005264", "00042100005264", "04252614"):  # EAN-13, GTIN-14, UPC-E
        out = flow.handle(Scan(code))
        assert out.ok, (code, out.message)
    assert [p["sku"] for p in _counted(engine)] == ["GUM"] * 3


def test_an_itf14_case_counts_as_its_units(floor: Floor, engine: Engine) -> None:
    case = "16901661318606"  # indicator 1: another GTIN, the catalog's case of 6
    _add(engine, BARCODES, code=case, sku="TEE-BK-XL", units=6)
    flow = _verify(floor)
    out = flow.handle(Scan(case))
    assert out.ok and out.data.get("complete"), out.message
    assert _counted(engine)[-1]["units"] == 6


def test_a_shops_own_code_with_a_wrong_check_digit_is_its_item_any_other_is_a_misread(
        floor: Floor, engine: Engine) -> None:
    own = "6901661318600"  # TEE's number with a wrong check digit, held by the catalog
    _add(engine, BARCODES, code=own, sku="TEE-BK-XL", units=1)
    flow = _verify(floor)
    assert flow.handle(Scan(own)).ok
    out = flow.handle(Scan("6901661318601"))
    assert out.code == "invalid_code" and "check digit" in out.message
    assert flow.handle(Scan("CMD:OK")).ok
    out = flow.handle(Scan("0106901661318601"))  # bad-check (01) without AIM: no order number
    assert out.code == "invalid_code" and "check digit" in out.message


# -- SSCC and expiry -------------------------------------------------------------------------

@pytest.mark.parametrize("mode", ["verify", "ship"])
def test_an_sscc_is_a_cage_or_pallet_label_never_an_order(floor: Floor, mode: str) -> None:
    flow = make_flow(floor, mode, "Z1")
    assert flow.handle(Scan("OP2001" if mode == "verify" else "OP3001")).ok
    for code, symbology in (("00106141411234567897", None), ("00106141411234567897", "]C1"),
                            ("(00)106141411234567897", None)):
        out = flow.handle(Scan(code, symbology=symbology))
        assert out.code == "sscc", (code, out.message)
        assert "SSCC" in out.message or "托盘" in out.message
        assert flow.handle(Scan("CMD:OK")).ok


def test_an_expired_lot_is_refused_at_verify_with_its_date(floor: Floor, engine: Engine) -> None:
    flow = _verify(floor)
    out = flow.handle(Scan(f"010{TEE}17200131\x1d10OLD1"))
    assert out.code == "expired" and "2020-01-31" in out.message, out.message
    assert _counted(engine) == []


def test_the_expiry_is_kept_with_the_counted_scan(floor: Floor, engine: Engine) -> None:
    flow = _verify(floor)
    assert flow.handle(Scan(f"010{TEE}17741231\x1d10NEW1")).ok  # 2074-12-31
    payload = _counted(engine)[-1]
    assert (payload["lot"], payload["expiry"]) == ("NEW1", "2074-12-31")
    assert flow.handle(Scan(TEE)).ok
    assert "expiry" not in _counted(engine)[-1]  # a scan without one: no key


def test_a_lot_closer_to_expiry_than_the_minimum_shelf_life_is_refused(
        engine: Engine, tmp_path: Path) -> None:
    config = make_config(tmp_path, barcodes={"min_shelf_days": 30})
    floor = Floor(engine, config)
    item = Classified("item", TEE, lot="L1", expiry="2026-03-10")
    with pytest.raises(Refusal) as refused:
        check_shelf_life(floor, item, today=date(2026, 2, 20))
    assert refused.value.code == "short_dated" and "2026-03-10" in refused.value.text()
    check_shelf_life(floor, item, today=date(2026, 2, 8))  # 30 days left: fine
    with pytest.raises(Refusal) as expired:
        check_shelf_life(floor, item, today=date(2026, 3, 11))
    assert expired.value.code == "expired"


def test_a_resolved_item_carries_the_spelling_the_catalog_holds(floor: Floor) -> None:
    """Stations that look a barcode up as given (pick, returns, counts) find a GTIN-14 or
    GS1 spelling of a product the catalog holds as EAN-13."""
    got = _meaning(floor, f"0{TEE}")
    assert (got.kind, got.value, got.gtin) == ("item", TEE, "0" + TEE)
    got = _meaning(floor, f"https://id.gs1.org/01/0{TEE}/10/L1")
    assert (got.value, got.lot) == (TEE, "L1")
