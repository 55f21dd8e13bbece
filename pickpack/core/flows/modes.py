"""The floor stations by mode: the registry a station app picks its flow from.

A station imports its own flow only (issue 20 §6: the desk's, with its printing and after-sales
work, costs a verify station's start-up a third of a second); ``FLOWS`` imports each flow the
first time it is asked for."""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from pickpack.core.context import Floor
from pickpack.core.flows.base import StationFlow

if TYPE_CHECKING:
    from pickpack.core.flows.desk import DeskFlow
    from pickpack.core.flows.pack import PackFlow
    from pickpack.core.flows.pick import PickFlow
    from pickpack.core.flows.returns import ReturnsFlow
    from pickpack.core.flows.ship import ShipFlow
    from pickpack.core.flows.verify import VerifyFlow
    from pickpack.core.flows.weigh import WeighFlow

__all__ = ["DeskFlow", "FLOWS", "PackFlow", "PickFlow", "ReturnsFlow", "ShipFlow", "VerifyFlow",
           "WeighFlow", "make_flow"]

_WHERE: dict[str, tuple[str, str]] = {
    "pick": ("pick", "PickFlow"), "verify": ("verify", "VerifyFlow"), "pack": ("pack", "PackFlow"),
    "weigh": ("weigh", "WeighFlow"), "ship": ("ship", "ShipFlow"),
    "returns": ("returns", "ReturnsFlow"),
    "desk": ("desk", "DeskFlow"),
}
"""Station mode → (module under pickpack.core.flows, class)."""


def _flow_class(module: str, name: str) -> type[StationFlow]:
    cls: type[StationFlow] = getattr(importlib.import_module(f"pickpack.core.flows.{module}"), name)
    return cls


class _Flows(Mapping[str, type[StationFlow]]):
    """Mode → flow class, each flow's module imported when it is first looked up."""

    def __getitem__(self, mode: str) -> type[StationFlow]:
        return _flow_class(*_WHERE[mode])

    def __iter__(self) -> Iterator[str]:
        return iter(_WHERE)

    def __len__(self) -> int:
        return len(_WHERE)


FLOWS: Mapping[str, type[StationFlow]] = _Flows()


def make_flow(floor: Floor, mode: str, station_id: str) -> StationFlow:
    try:
        return FLOWS[mode](floor, station_id)
    except KeyError:
        raise ValueError(f"no station flow for mode {mode!r}") from None


def __getattr__(name: str) -> type[StationFlow]:
    """``PackFlow``, ``VerifyFlow``…: a flow class by its name, imported when asked for."""
    for module, cls in _WHERE.values():
        if cls == name:
            return _flow_class(module, cls)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
