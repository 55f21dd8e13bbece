"""Weigh takes a parcel's own weight: the first stable reading after its scan that follows a
change on the platter, never the load the last parcel left there (issue 13.5); what an override
at weigh says is what the trail records (issue 13.7)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from pickpack.config import Config
from pickpack.core.context import Floor
from pickpack.core.events import Actor
from pickpack.core.flows import make_flow
from pickpack.core.flows.modes import WeighFlow
from pickpack.core.release import release
from pickpack.core.weigh import CLEARED, FRESH, STALE, Platter
from pickpack.scan import Scan
from tests.core.floorkit import SUPERVISOR_PIN, seed
from tests.core.test_lifecycle import events, order, scan

A, B = "3900000000000000000", "3900000000000000001"
"""Both weigh 214 + 2 × 350 + 40 = 954 g (906–1002 g with the 5 % tolerance)."""


@pytest.fixture
def floor(engine: Engine, config: Config) -> Floor:
    seed(engine, orders=3)
    release(engine, config, Actor("D1", "clerk"))
    floor = Floor(engine, config)
    for i, no in enumerate((A, B)):
        steps = {"pick": ["OP1001", f"B00{i + 1}", no, "CMD:DONE"],
                 "verify": ["OP2001", f"B00{i + 1}", "6901661318609", "CMD:QTY:2", "6952890786660"],
                 "pack": ["OP3001", no, "CMD:CARTON:M"]}
        for mode, codes in steps.items():
            flow = make_flow(floor, mode, "X1")
            for code in codes:
                assert flow.handle(Scan(code)).ok, (mode, code)
    return floor


@pytest.fixture
def weigh(floor: Floor) -> WeighFlow:
    flow = make_flow(floor, "weigh", "W1")
    assert isinstance(flow, WeighFlow)
    assert scan(flow, "OP3001").ok
    return flow


def feed(flow: WeighFlow, *readings: tuple[float, bool]):  # noqa: ANN201
    """Readings as the scale sends them; the outcomes of those that decided something."""
    return [out for g, stable in readings if (out := flow.on_weight(g, stable)) is not None]


def test_the_last_parcels_load_left_on_the_scale_is_not_the_next_parcels_weight(
        weigh: WeighFlow, floor: Floor) -> None:
    assert scan(weigh, A).ok
    [first] = feed(weigh, (0, True), (700, False), (960, True), (960, True))
    assert first.ok and order(floor, A).weight_g == pytest.approx(960)
    opened = scan(weigh, B)  # A still lies on the scale
    assert opened.ok and "Place the parcel" in opened.prompt and "960 g" in opened.prompt
    assert feed(weigh, (960, True), (960, True), (958, True), (961, False)) == []
    assert order(floor, B).state == "packed" and order(floor, B).weight_g is None
    assert feed(weigh, (3, True)) == []  # A lifted off: the platter is empty
    assert weigh.prompt() == "Put the parcel on the scale"
    [second] = feed(weigh, (500, False), (955, True))
    assert second.ok and order(floor, B).state == "weighed"
    assert order(floor, B).weight_g == pytest.approx(955)


def test_a_stale_out_of_tolerance_load_holds_nothing(weigh: WeighFlow, floor: Floor) -> None:
    """The issue's case: 1179 g left on the scale; the next parcel was held at once."""
    feed(weigh, (1179, True))
    assert scan(weigh, B).ok
    assert feed(weigh, *[(1179, True)] * 5) == []
    assert order(floor, B).state == "packed" and not weigh.awaiting_ack


def test_a_reading_that_moves_is_another_load(weigh: WeighFlow, floor: Floor) -> None:
    feed(weigh, (960, True))
    assert scan(weigh, B).ok
    assert feed(weigh, (1300, False), (962, True)) == []  # bumped, settled back: still stale
    [taken] = feed(weigh, (1100, False), (1000, True))  # swapped without going back to zero
    assert taken.ok and order(floor, B).weight_g == pytest.approx(1000)


def test_an_empty_or_settling_scale_at_the_scan_takes_the_first_stable_reading(
        weigh: WeighFlow, floor: Floor) -> None:
    feed(weigh, (0, True))
    assert scan(weigh, A).ok and weigh.prompt() == "Put the parcel on the scale"
    [a] = feed(weigh, (400, False), (954, True))
    assert a.ok and order(floor, A).weight_g == pytest.approx(954)
    feed(weigh, (0, True), (800, False))  # B is being put down while it is scanned
    assert scan(weigh, B).ok
    [b] = feed(weigh, (956, True))
    assert b.ok and order(floor, B).weight_g == pytest.approx(956)


def test_a_weight_is_taken_once(weigh: WeighFlow, floor: Floor) -> None:
    assert scan(weigh, A).ok
    assert len(feed(weigh, *[(954, True)] * 5)) == 1
    assert [e.kind for e in order(floor, A).events].count("weighed") == 1


def test_platter_verdicts() -> None:
    platter = Platter()
    assert platter.reading(1179, True) == ""  # nothing awaited
    assert platter.expect() == 1179
    assert platter.reading(1179, True) == STALE and platter.reading(1185, False) == ""
    assert not platter.claim(1179)
    assert platter.reading(-2, False) == CLEARED  # off the platter, even while it settles
    assert platter.reading(954, False) == "" and platter.reading(954, True) == FRESH
    assert not platter.claim(700)  # not what the platter holds now
    assert platter.claim(954) and not platter.claim(954)
    assert platter.reading(954, True) == ""


def _held_at_weigh(weigh: WeighFlow, floor: Floor) -> None:
    assert scan(weigh, B).ok
    [out] = feed(weigh, (1500, True))
    assert out.alert and out.code == "weight_out_of_tolerance" and order(floor, B).state == "held"
    assert scan(weigh, "CMD:OK").ok


def _supervisor(weigh: WeighFlow, command: str, reason: str):  # noqa: ANN202
    assert scan(weigh, command).ok
    assert scan(weigh, "OP9001").ok and weigh.wants_pin
    assert weigh.enter_pin(SUPERVISOR_PIN).ok
    return scan(weigh, reason)


@pytest.mark.parametrize(("command", "kind", "said", "state"), [
    ("CMD:ACCEPT", "accept_weight", "Weight accepted by supervisor", "weighed"),
    ("CMD:RELEASE", "release_hold", "Hold released by supervisor", "packed"),
])
def test_what_an_override_says_at_weigh_is_what_the_trail_records(
        weigh: WeighFlow, floor: Floor, command: str, kind: str, said: str, state: str) -> None:
    _held_at_weigh(weigh, floor)
    done = _supervisor(weigh, command, "R:R2")
    assert done.ok and done.message == said, done.message
    [recorded] = [e for e in events(floor, "override") if e["order_id"] == order(floor, B).id]
    assert recorded["payload"]["override"] == kind
    assert order(floor, B).state == state


def test_a_released_weight_hold_is_weighed_again_after_a_change(weigh: WeighFlow,
                                                                floor: Floor) -> None:
    _held_at_weigh(weigh, floor)
    _supervisor(weigh, "CMD:RELEASE", "R:R2")
    assert weigh.order is not None and weigh.order.order_no == B and weigh.expected is not None
    assert "Place the parcel" in weigh.prompt()
    assert feed(weigh, (1500, True)) == []  # the same load as before the release: stale
    [again] = feed(weigh, (0, True), (955, True))  # the packer fixed the parcel
    assert again.ok and order(floor, B).state == "weighed"
    assert order(floor, B).weight_g == pytest.approx(955)
