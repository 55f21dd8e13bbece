"""A weight typed at a weigh station with no scale: refused with one clear line when it is no
weight, never recorded without a supervisor, marked ``"source": "manual"`` when it is (field test)."""

from __future__ import annotations

import pytest

from pickpack.core.context import Floor
from pickpack.core.flows.modes import WeighFlow
from pickpack.core.refusal import Refusal
from pickpack.scan import Scan
from tests.core import test_weigh_flow
from tests.core.floorkit import SUPERVISOR_PIN
from tests.core.test_lifecycle import events, order, scan
from tests.core.test_weigh_flow import A

floor = test_weigh_flow.floor  # the packed floor and the logged-in weigh flow of those tests
weigh = test_weigh_flow.weigh


@pytest.mark.parametrize("typed", ["abc", "0", "-5", "250000", ""])
def test_a_typed_weight_that_is_no_weight_is_refused_in_one_line(
        weigh: WeighFlow, floor: Floor, typed: str) -> None:
    assert scan(weigh, A).ok
    with pytest.raises(Refusal) as refused:
        weigh.type_weight(typed)
    assert refused.value.code == "bad_weight" and "\n" not in refused.value.text()
    assert weigh.pending is None and order(floor, A).state == "packed"


def test_a_typed_weight_waits_for_a_supervisor_and_is_marked_manual(
        weigh: WeighFlow, floor: Floor) -> None:
    with pytest.raises(Refusal):  # no parcel open yet
        weigh.type_weight("957")
    assert scan(weigh, A).ok
    asked = weigh.type_weight("957")
    assert asked.ok and "957 g" in asked.message and order(floor, A).state == "packed"
    with pytest.raises(Refusal) as again:  # one override at a time
        weigh.type_weight("958")
    assert again.value.code == "override_open"
    assert weigh.handle(Scan("OP9001")).ok
    assert weigh.enter_pin(SUPERVISOR_PIN).ok
    done = weigh.handle(Scan("R:R2"))
    assert done.ok and order(floor, A).state == "weighed", done.message
    [weighed] = events(floor, "weighed")
    assert weighed["payload"]["source"] == "manual" and weighed["payload"]["weight_g"] == 957


def test_a_borrowed_badge_leaves_the_typed_weight_waiting_for_the_supervisor(
        weigh: WeighFlow, floor: Floor) -> None:
    """Field test: the weigher's own badge at the supervisor step is refused; the typed weight is
    not dropped without a word, and the supervisor's badge then continues it: it does not log the
    supervisor in in the weigher's place."""
    assert scan(weigh, A).ok
    assert weigh.type_weight("957").ok
    refused = weigh.handle(Scan("OP3001"))  # the weigher's own badge: not a supervisor's
    assert refused.alert and refused.code == "not_supervisor"
    assert weigh.pending is not None and "CMD:CANCEL" in refused.prompt
    weigh.acknowledge()
    asked = weigh.handle(Scan("OP9001"))
    assert asked.ok and weigh.wants_pin, asked.message
    assert weigh.operator is not None and weigh.operator.code == "OP3001"
    assert weigh.enter_pin(SUPERVISOR_PIN).ok
    done = weigh.handle(Scan("R:R2"))
    assert done.ok and order(floor, A).state == "weighed", done.message
    [weighed] = events(floor, "weighed")
    assert weighed["operator"] == "OP3001" and weighed["payload"]["supervisor"] == "OP9001"
    assert weighed["payload"]["weight_g"] == 957


def test_cancel_after_a_borrowed_badge_drops_the_typed_weight(
        weigh: WeighFlow, floor: Floor) -> None:
    assert scan(weigh, A).ok
    assert weigh.type_weight("957").ok
    assert weigh.handle(Scan("OP3001")).alert
    weigh.acknowledge()
    cancelled = weigh.handle(Scan("CMD:CANCEL"))
    assert cancelled.ok and weigh.pending is None and order(floor, A).state == "packed"
    assert not events(floor, "weighed")


def test_another_badge_at_a_manned_station_says_who_left(weigh: WeighFlow) -> None:
    """A badge swap logs the one before out: the screen says so, not only hello."""
    swapped = weigh.handle(Scan("OP9001"))
    assert swapped.ok and weigh.operator is not None and weigh.operator.code == "OP9001"
    assert "赵打包" in swapped.message and "陈主管" in swapped.message
