"""One investigation per parcel: the whole outbound trail and a verdict reasoned from it.

The shop's procedure for a short or wrong claim has three checks: 1) the order's outbound
record, 2) the parcel's recorded weight against the expected weight, 3) a count of the item's
stock at its bin. This module does the first two from the store (who picked, verified, packed,
weighed and handed over; every scan with its raw code and result; every override; every slip
printed) and proposes the third, and the person responsible, for a supervisor to confirm.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import Connection, select

from pickpack.config import Config
from pickpack.core.aftersales.cases import load_case, record_verdict
from pickpack.core.aftersales.counts import CountProposal, propose_counts
from pickpack.core.context import Floor
from pickpack.core.events import Actor
from pickpack.core.refusal import Refusal
from pickpack.core.tables import EVENTS, LINES, ORDERS, SKUS
from pickpack.core.weigh import expected_weight
from pickpack.i18n import _

PEOPLE = {"picked": "picker", "pick_started": "picker", "verified": "verifier",
          "packed": "packer", "weighed": "weigher", "weight_exception": "weigher",
          "manifested": "shipper", "shipped": "shipper"}
"""Which trail event names which person (the operator who recorded it)."""
SHOWN = ("pick_started", "picked", "verify_opened", "item_scanned", "item_unscanned",
         "verify_reset", "verified", "refused", "override", "held", "packed", "weighed",
         "weight_exception", "slip_printed", "manifested", "unmanifested", "shipped")
"""The outbound trail's events an investigation lists."""
COMPLETE, SHORT, WRONG, NO_WEIGHT = "complete", "short", "wrong_item", "no_weight"


@dataclass(frozen=True, slots=True)
class TrailStep:
    kind: str
    station: str
    operator: str
    at: str
    detail: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Investigation:
    order_id: int
    order_no: str
    people: dict[str, str]
    trail: list[TrailStep]
    weight_g: float | None
    expected_g: float
    tolerance_g: float
    finding: str
    """complete | short | wrong_item | no_weight"""
    verdict: str
    short_sku: str = ""
    short_units: int = 0
    counts: list[CountProposal] = field(default_factory=list)
    proposed: dict[str, str] = field(default_factory=dict)
    """The responsible person the trail points at: ``{"responsible", "step", "also"}``."""
    missing_value: float = 0.0
    """What the units the weight says are missing are worth (catalog price)."""
    remedy: str = ""
    """The procedure's remedy for a short: ``refund`` below ``[aftersales] small_value``, else
    ``refund_or_reship`` (the buyer chooses)."""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _units(n: int) -> str:
    return _("one unit") if n == 1 else _("{n} units").format(n=n)


def weigh_verdict(recorded: float | None, expected: float, tolerance: float,
                  lines: list[tuple[str, int, float]]) -> tuple[str, str, str, int]:
    """(finding, verdict text, short sku, units) from the recorded weight, the expected one and
    the order's lines ``(sku, qty, unit weight g)``."""
    if recorded is None:
        return NO_WEIGHT, _("no weight recorded: the outbound record alone decides"), "", 0
    head = _("recorded weight {w:.0f} g, expected {e:.0f} g").format(w=recorded, e=expected)
    missing = expected - recorded
    if abs(missing) <= tolerance:
        return COMPLETE, _("{head}: weight matches: the parcel left complete").format(
            head=head), "", 0
    best: tuple[float, str, int, float] | None = None
    if missing > 0:
        for sku, qty, unit in lines:
            for n in range(1, qty + 1):
                off = abs(missing - n * unit)
                if unit > 0 and off <= tolerance and (best is None or off < best[0]):
                    best = (off, sku, n, unit)
    if best is None:
        return WRONG, _("{head}: weight differs by no unit of this order: a wrong item is "
                        "likely").format(head=head), "", 0
    _off, sku, n, unit = best
    return SHORT, _("{head}: short by about {units} of {sku} ({g:.0f} g)").format(
        head=head, units=_units(n), sku=sku, g=unit * n), sku, n


def _trail(conn: Connection, order_id: int) -> tuple[list[TrailStep], dict[str, str]]:
    steps: list[TrailStep] = []
    people: dict[str, str] = {}
    for e in conn.execute(select(EVENTS).where(EVENTS.c.order_id == order_id,
                                               EVENTS.c.kind.in_(SHOWN)).order_by(EVENTS.c.id)):
        detail = json.loads(e.payload or "{}")
        steps.append(TrailStep(e.kind, e.station, e.operator, e.at.isoformat(), detail))
        role = PEOPLE.get(e.kind)
        if role and e.operator:
            people[role] = e.operator
    return steps, people


def _propose(finding: str, kind: str, people: dict[str, str]) -> dict[str, str]:
    """Who the trail points at: a short or wrong item goes back to the picker (the verifier
    passed it); damage to the packer; a parcel that left complete to the courier."""
    if kind == "damaged":
        return {"responsible": people.get("packer", ""), "step": "pack", "also": ""}
    if finding in (SHORT, WRONG) or (finding == NO_WEIGHT and kind in ("short", "wrong_item")):
        return {"responsible": people.get("picker", ""), "step": "pick",
                "also": people.get("verifier", "")}
    if finding == COMPLETE:
        return {"responsible": "", "step": "courier", "also": ""}
    return {"responsible": "", "step": "", "also": ""}


def investigate_order(conn: Connection, cfg: Config, order_id: int,
                      kind: str = "short") -> Investigation:
    """The trail, the weight check and the proposals for one shipped parcel (no writes)."""
    order = conn.execute(select(ORDERS.c.order_no, ORDERS.c.weight_g)
                         .where(ORDERS.c.id == order_id)).one()
    trail, people = _trail(conn, order_id)
    recorded = order.weight_g
    weighed = next((step for step in reversed(trail) if step.kind in (
        "weighed", "weight_exception") and "weight_g" in step.detail), None)
    if recorded is None and weighed is not None:
        recorded = float(weighed.detail["weight_g"])
    typed_by = str(weighed.detail.get("supervisor") or "?") if (
        weighed is not None and weighed.detail.get("source") == "manual") else ""
    exp = expected_weight(conn, order_id, cfg.weighing)
    lines = [(r.sku, int(r.qty), float(r.weight_g or 0)) for r in conn.execute(
        select(LINES.c.sku, LINES.c.qty, SKUS.c.weight_g)
        .select_from(LINES.outerjoin(SKUS, SKUS.c.sku == LINES.c.sku))
        .where(LINES.c.order_id == order_id).order_by(LINES.c.id))]
    finding, verdict, sku, units = weigh_verdict(recorded, exp.weight_g, exp.tolerance_g, lines)
    if typed_by:  # a typed weight is a person's word, not a scale's reading: weaker evidence
        verdict += _(" (the weight was typed by hand, vouched by supervisor {sup}: not a scale's "
                     "reading; count the stock too)").format(sup=typed_by)
    to_count = [sku] if sku else [line[0] for line in lines]
    counts = propose_counts(conn, to_count) if finding != COMPLETE or typed_by else []
    value, remedy = 0.0, ""
    if finding == SHORT:
        price = conn.execute(select(SKUS.c.price).where(SKUS.c.sku == sku)).scalar() or 0.0
        value = round(float(price) * units, 2)
        remedy = "refund" if value < cfg.aftersales.small_value else "refund_or_reship"
    proposed = _propose(finding, kind, people)
    if typed_by and finding == COMPLETE:  # "left complete" rests on a typed weight: no one yet
        proposed = {"responsible": "", "step": "", "also": ""}
    return Investigation(order_id, order.order_no, people, trail, recorded, exp.weight_g,
                         exp.tolerance_g, finding, verdict, sku, units, counts,
                         proposed, value, remedy)


def investigate_case(floor: Floor, actor: Actor, case_id: int) -> Investigation:
    """Investigate a case's parcel and record the verdict on the case (an event)."""
    def tx(conn: Connection) -> Investigation:
        case = load_case(conn, case_id)
        if case.order_id is None:
            raise Refusal("case_no_order", "Case {case} names no order to investigate",
                          case=case_id)
        found = investigate_order(conn, floor.config, case.order_id, case.kind)
        missing = [{"sku": found.short_sku, "qty": found.short_units}] if found.short_sku else []
        record_verdict(conn, actor, case_id, found.verdict,
                       {"finding": found.finding, "proposed": found.proposed,
                        "counts": [asdict(c) for c in found.counts]}, items=missing)
        return found

    return floor.run(actor, tx)
