"""The floor stations by mode: the registry a station app picks its flow from."""

from __future__ import annotations

from pickpack.core.context import Floor
from pickpack.core.flows.base import StationFlow
from pickpack.core.flows.desk import DeskFlow
from pickpack.core.flows.pack import PackFlow
from pickpack.core.flows.pick import PickFlow
from pickpack.core.flows.returns import ReturnsFlow
from pickpack.core.flows.ship import ShipFlow
from pickpack.core.flows.verify import VerifyFlow
from pickpack.core.flows.weigh import WeighFlow

__all__ = ["PackFlow", "PickFlow", "ShipFlow", "VerifyFlow", "WeighFlow", "make_flow"]

FLOWS: dict[str, type[StationFlow]] = {
    "pick": PickFlow, "verify": VerifyFlow, "pack": PackFlow, "weigh": WeighFlow, "ship": ShipFlow,
    "returns": ReturnsFlow,
    "desk": DeskFlow,
}


def make_flow(floor: Floor, mode: str, station_id: str) -> StationFlow:
    try:
        return FLOWS[mode](floor, station_id)
    except KeyError:
        raise ValueError(f"no station flow for mode {mode!r}") from None
