"""The order lifecycle of DESIGN.md and the route of stations from config."""

from __future__ import annotations

from collections.abc import Sequence

from pickpack.i18n import N_, _

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

STATE_NAMES = {
    NEW: N_("new"), READY: N_("ready"), PRINTED: N_("printed"), HELD: N_("held"),
    CANCELLED: N_("cancelled"), PICKING: N_("picking"), PICKED: N_("picked"),
    VERIFIED: N_("verified"), PACKED: N_("packed"), WEIGHED: N_("weighed"),
    SHIPPED: N_("shipped"), RETURNED: N_("returned"), PARTLY_RETURNED: N_("partly returned"),
    "unpaid": N_("unpaid"), "shipped_elsewhere": N_("shipped elsewhere"),
    "expected": N_("expected"), "receiving": N_("receiving"), "received": N_("received"),
}
"""What a person reads for a state (orders' and returns'); stores and ``--json`` keep the code."""
STATION_NAMES = {
    "pick": N_("Pick"), "verify": N_("Verify"), "pack": N_("Pack"), "weigh": N_("Weigh"),
    "ship": N_("Ship"), "returns": N_("Returns"), "desk": N_("Desk"),
}
EVENT_NAMES = {
    "imported": N_("imported"), "released": N_("released"), "held": N_("held"),
    "hold_cleared": N_("hold cleared"), "hold_released": N_("hold released"),
    "override": N_("override"), "cancelled": N_("cancelled"), "refused": N_("refused"),
    "pick_started": N_("pick started"), "picked": N_("picked"),
    "verify_opened": N_("verify opened"), "verified": N_("verified"), "packed": N_("packed"),
    "weighed": N_("weighed"), "weight_exception": N_("weight exception"),
    "shipped": N_("shipped"), "printed": N_("printed"), "slip_printed": N_("slip printed"),
    "print_queued": N_("print queued"), "reprint_queued": N_("reprint queued"),
    "remark_acked": N_("remark acknowledged"), "merged": N_("merged"), "split": N_("split"),
    "address_changed": N_("address changed"), "courier_chosen": N_("courier chosen"),
    "item_scanned": N_("item scanned"), "manifested": N_("manifested"),
    "tracking_updated": N_("tracking updated"), "reaudit": N_("audited again"),
    "item_unscanned": N_("item taken back"), "verify_reset": N_("verify started again"),
    "pack_opened": N_("pack opened"), "weigh_opened": N_("weigh opened"),
    "own_pick_warned": N_("own pick warned"), "local_pickup": N_("local pickup"),
    "out_of_area": N_("out of area"), "waybill_voided": N_("waybill voided"),
    "unmerged": N_("merge undone"), "unsplit": N_("split undone"), "split_off": N_("split off"),
    "unmanifested": N_("taken off the manifest"), "stock_decision": N_("stock decision"),
    "intercept_requested": N_("intercept requested"), "intercept_pending": N_("intercept pending"),
    "intercept_settled": N_("intercept settled"), "return_registered": N_("return registered"),
    "return_arrived": N_("return arrived"), "return_received": N_("return received"),
    "reship_created": N_("reship created"), "reshipped": N_("reshipped"),
    "refund_imported": N_("refund imported"), "refund_instructed": N_("refund instructed"),
    "case_opened": N_("case opened"), "case_solved": N_("case solved"),
    "case_closed": N_("case closed"), "exported": N_("exported"),
    "case_investigated": N_("case investigated"), "case_responsible": N_("responsibility found"),
    "claim_filed": N_("claim filed"), "claim_settled": N_("claim settled"),
    "return_item_received": N_("returned item received"),
    "return_abandoned": N_("return abandoned"), "stock_returned": N_("back into stock"),
    "stock_kept": N_("kept out of stock"), "put_away": N_("put away"),
}
"""What a person reads for an event kind (the desk's trail); the store keeps the kind."""


def event_name(kind: str) -> str:
    """An event kind in the station's language (an unknown one as it is)."""
    return _(EVENT_NAMES[kind]) if kind in EVENT_NAMES else kind


def state_name(state: str) -> str:
    """A state in the station's language (an unknown one as it is)."""
    return _(STATE_NAMES[state]) if state in STATE_NAMES else state


def station_name(step: str) -> str:
    """A station (route step) in the station's language (an unknown one as it is)."""
    return _(STATION_NAMES[step]) if step in STATION_NAMES else step


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
