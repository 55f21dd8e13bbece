"""百世 (HTKY) and 中通快运 (ZTOKY) numbers by their default shapes (docs/CODES.md says where
each comes from): each tells its courier, claims no other courier's or order's number, leaves
retail misreads misreads, and a number another reading claims too is the store's call or
ambiguous. Sample numbers are built here in the real shapes, none copied."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from pickpack.config import Config, CouriersConfig
from pickpack.core.classify import Classified, Classifier, ean_check_ok
from pickpack.core.context import Floor
from pickpack.core.resolve import meaning
from pickpack.core.tables import BARCODES, COURIERS, WAYBILLS
from pickpack.scan import Scan
from tests.conftest import make_config
from tests.core.floorkit import seed
from tests.core.test_classify import with_check_digit, wrong_check_digit
from tests.core.test_resolve import _add
from tests.pg.kit import picked_order

CLASSIFIER = Classifier(Config().barcodes, Config().couriers)

HTKY_NUMBERS = {  # Taobao's HTKY rule, shape by shape (built numbers, not real waybills)
    "letter and twelve digits": ["A123456789012", "B300012345678", "D201234567890",
                                 "E987654321098"],
    "BXA and ten digits": ["BXA1234567890"],
    "K8 and eleven digits": ["K812345678901"],
    "C0000 and eight digits": ["C000012345678"],
    "02 and eleven digits": ["0212345678901"],
    "50/51 and twelve digits": ["50002498503421", "51012345678901"],
    "6 and thirteen digits": ["61234567890123"],
}


def test_the_defaults_name_both_couriers() -> None:
    couriers = CouriersConfig()
    assert couriers.names["HTKY"] == "百世快递" and couriers.names["ZTOKY"] == "中通快运"
    assert {"HTKY", "ZTOKY"} <= set(couriers.patterns)


@pytest.mark.parametrize("number", [n for ns in HTKY_NUMBERS.values() for n in ns])
def test_a_best_express_number_is_htky(number: str) -> None:
    assert CLASSIFIER.classify(number) == Classified("tracking", number, courier="HTKY")


@pytest.mark.parametrize("number", ["202197601430", "212345678901", "299999999990"])
def test_a_zto_freight_number_is_ztoky(number: str) -> None:
    assert not ean_check_ok(number)  # a valid UPC-A too would be ambiguous (below)
    assert CLASSIFIER.classify(number) == Classified("tracking", number, courier="ZTOKY")


@pytest.mark.parametrize(
    ("number", "courier"),
    [("73123456789012", "ZTO"), ("77301234567890", "STO"), ("773012345678901", "STO"),
     ("JT1234567890123", "JT"), ("5123456789012", "YD"), ("1123456789012", "EMS"),
     ("SF1234567890123", "SF"), ("DPK123456789012", "DBL")],
)
def test_other_couriers_numbers_stay_theirs(number: str, courier: str) -> None:
    """Taobao's HTKY rule also has 7… fourteen digits (ZTO's and STO's numbers) and JT…
    (极兔's): left out of the default, so these are not made ambiguous."""
    assert CLASSIFIER.classify(number) == Classified("tracking", number, courier=courier)


def test_platform_order_numbers_are_not_best_express() -> None:
    """58… sixteen digits is in Taobao's HTKY rule and is a platform order number's shape."""
    assert CLASSIFIER.classify("5812345678901234") == Classified("order", "5812345678901234")


@pytest.mark.parametrize("upca", ["036000291452", with_check_digit("30045012345"), "614141000036"])
def test_a_upca_misread_is_still_a_misread(upca: str) -> None:
    """ZTOKY claims only 2… (UPC-A's number system 2 is in-store weight labels, no product
    in trade): every other UPC-A with a wrong check digit stays a misread."""
    assert ean_check_ok(upca)
    got = CLASSIFIER.classify(wrong_check_digit(upca))
    assert got.kind == "invalid" and "check digit" in got.reason


@pytest.mark.parametrize(
    ("number", "courier"),
    [(with_check_digit("5000249850342"), "HTKY"), (with_check_digit("6123456789012"), "HTKY"),
     (with_check_digit("021234567890"), "HTKY"), (with_check_digit("20219760143"), "ZTOKY")],
)
def test_a_number_that_is_also_a_valid_gtin_is_ambiguous(number: str, courier: str) -> None:
    got = CLASSIFIER.classify(number)
    assert got.kind == "ambiguous", got
    assert {(r.kind, r.courier) for r in got.readings} == {("item", None), ("tracking", courier)}


@pytest.fixture
def floor(engine: Engine, config: Config) -> Floor:
    seed(engine, orders=0)
    return Floor(engine, config)


def test_the_store_decides_a_number_both_a_gtin_and_htky(floor: Floor, engine: Engine) -> None:
    pooled, catalog = with_check_digit("5000249850342"), with_check_digit("5100000000001")
    _add(engine, COURIERS, code="HTKY", name="百世快递")
    _add(engine, WAYBILLS, tracking_no=pooled, courier="HTKY")
    _add(engine, BARCODES, code=catalog, sku="TEE-BK-XL", units=6)
    assert meaning(floor, Scan(pooled)) == Classified("tracking", pooled, courier="HTKY")
    got = meaning(floor, Scan(catalog))
    assert (got.kind, got.value, got.gtin) == ("item", catalog, catalog)
    unknown = with_check_digit("5099999999999")
    assert meaning(floor, Scan(unknown)).kind == "ambiguous"  # the store does not know it


def test_a_jd_order_number_the_store_holds_is_that_order_not_zto_freight(
        engine: Engine, tmp_path: Path) -> None:
    """JD order numbers are twelve digits too: with a 12-digit order pattern a 2… number is
    claimed twice, and only the store says which it is."""
    config = make_config(tmp_path, barcodes={"order": r"\d{12}|\d{16,20}"})
    seed(engine, orders=0)
    picked_order(engine, "280000000001", qty=1)
    floor = Floor(engine, config)
    got = floor.classifier.classify("280000000001")
    assert got.kind == "ambiguous"
    assert {(r.kind, r.courier) for r in got.readings} == {("tracking", "ZTOKY"), ("order", None)}
    assert meaning(floor, Scan("280000000001")) == Classified("order", "280000000001")
    assert meaning(floor, Scan("280000000002")).kind == "ambiguous"
