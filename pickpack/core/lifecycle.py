"""The order lifecycle of DESIGN.md and the route of stations from config."""

from __future__ import annotations

from collections.abc import Sequence

NEW, READY, PRINTED, HELD, CANCELLED = "new", "ready", "printed", "held", "cancelled"
PICKING, PICKED, VERIFIED, PACKED, WEIGHED, SHIPPED = (
    "picking", "picked", "verified", "packed", "weighed", "shipped",
)
RETURNED, PARTLY_RETURNED = "returned", "partly_returned"

DONE_STATE = {"pick": PICKED, "verify": VERIFIED, "pack": PACKED, "weigh": WEIGHED, "ship": SHIPPED}
ON_FLOOR = (READY, PRINTED, PICKING, PICKED, VERIFIED, PACKED, WEIGHED)
"""Released and not yet shipped: holds stock, can be intercepted."""
STATES = (NEW, READY, PRINTED, HELD, CANCELLED, PICKING, PICKED, VERIFIED, PACKED, WEIGHED,
          SHIPPED, RETURNED, PARTLY_RETURNED, "unpaid", "shipped_elsewhere")


def states_before(step: str, route: Sequence[str]) -> tuple[str, ...]:
    """States an order may be in when it arrives at ``step`` on this route."""
    if step not in route:
        raise ValueError(f"station {step!r} is not on the route {list(route)}")
    i = list(route).index(step)
    if i == 0:
        return (READY, PRINTED)
    return (DONE_STATE[route[i - 1]],)


def step_for_state(state: str, route: Sequence[str]) -> str | None:
    """The station an order in ``state`` should go to next (None when it is off the floor)."""
    for step in route:
        if state in states_before(step, route):
            return step
    if state == PICKING:
        return "pick"
    return None
