"""The after-sales register (售后登记表): one case per problem, open → solved → closed.

Every case names the buyer, the order, the items, what the buyer said, what was done, who
handled it and who was responsible; each change is an event (``case_opened``,
``case_investigated``, ``case_solved``, ``case_responsible``, ``case_closed``) on the case's
order, in the transaction that makes it. The responsible person is confirmed by a supervisor
(badge + PIN, :func:`pickpack.core.authority.prove_supervisor`).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, insert, select, update

from pickpack.core.aftersales.tables import CASES
from pickpack.core.authority import as_utc, still_supervisor
from pickpack.core.context import Floor
from pickpack.core.events import Actor, append_event, now
from pickpack.core.operators import OperatorInfo, operator_row
from pickpack.core.orders import find_order_id
from pickpack.core.refusal import Refusal
from pickpack.core.tables import EVENTS, ORDERS
from pickpack.i18n import N_, _

OPEN, SOLVED, CLOSED = "open", "solved", "closed"
KINDS: dict[str, str] = {
    "short": N_("short parcel"), "wrong_item": N_("wrong item"),
    "damaged": N_("damaged in transit"), "lost": N_("lost parcel"), "exchange": N_("exchange"),
    "quality": N_("quality"), "invoice": N_("invoice"), "address": N_("address after shipping"),
    "return_mismatch": N_("return differs from declared"),
    "unregistered_return": N_("return with no registration"),
    "ship_short": N_("shipped short"), "tracking": N_("tracking problem"),
    "intercept": N_("courier intercept"),
    "refund_in_parcel": N_("refund of some orders of a shipped parcel"), "other": N_("other"),
}
"""Case kinds and their names in the register (translated where shown)."""
STEPS = ("pick", "verify", "pack", "weigh", "ship", "courier", "buyer", "supplier")
"""Who or which step a case is held against."""


@dataclass(frozen=True, slots=True)
class CaseView:
    id: int
    kind: str
    state: str
    order_id: int | None
    order_no: str
    buyer: str
    items: list[dict[str, Any]]
    claim: str
    solution: str
    verdict: str
    tracking_no: str
    opened_by: str
    handler: str
    responsible: str
    responsible_step: str
    confirmed_by: str
    opened_at: datetime
    solved_at: datetime | None
    closed_at: datetime | None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("opened_at", "solved_at", "closed_at"):
            data[key] = data[key].isoformat() if data[key] else None
        return data


def case_view(row: Row[Any]) -> CaseView:
    return CaseView(
        id=row.id, kind=row.kind, state=row.state, order_id=row.order_id, order_no=row.order_no,
        buyer=row.buyer, items=json.loads(row.items or "[]"), claim=row.claim,
        solution=row.solution, verdict=row.verdict, tracking_no=row.tracking_no,
        opened_by=row.opened_by, handler=row.handler, responsible=row.responsible,
        responsible_step=row.responsible_step, confirmed_by=row.confirmed_by,
        opened_at=as_utc(row.opened_at) or now(), solved_at=as_utc(row.solved_at),
        closed_at=as_utc(row.closed_at),
    )


def parse_case_id(key: str | int) -> int:
    """``12``, ``C12`` or ``#12`` as a case id (ValueError naming the key otherwise)."""
    text = str(key).strip().lstrip("#").upper().removeprefix("C")
    if not text.isdigit():
        raise ValueError(_("case {key!r}: a case number such as 12 or C12").format(key=key))
    return int(text)


def load_case(conn: Connection, case_id: int) -> CaseView:
    row = conn.execute(select(CASES).where(CASES.c.id == case_id)).first()
    if row is None:
        raise Refusal("unknown_case", "No after-sales case {case}", case=case_id)
    return case_view(row)


def _lock_case(conn: Connection, case_id: int) -> Row[Any]:
    query = select(CASES).where(CASES.c.id == case_id)
    if conn.dialect.name != "sqlite":
        query = query.with_for_update()
    row = conn.execute(query).first()
    if row is None:
        raise Refusal("unknown_case", "No after-sales case {case}", case=case_id)
    return row


def insert_case(conn: Connection, actor: Actor, kind: str, *, order_id: int | None = None,
                claim: str = "", items: list[dict[str, Any]] | None = None,
                tracking_no: str = "", payload: dict[str, Any] | None = None) -> int:
    """Open a case inside the caller's transaction (a station's return, an import, a
    ship-short); returns its id. The order's buyer is copied for the register."""
    if kind not in KINDS:
        raise Refusal("bad_case_kind", "Unknown case kind {kind}: one of {kinds}", kind=kind,
                      kinds=", ".join(KINDS))
    order_no = buyer = ""
    if order_id is not None:
        order = conn.execute(select(ORDERS.c.order_no, ORDERS.c.buyer, ORDERS.c.tracking_no)
                             .where(ORDERS.c.id == order_id)).one()
        order_no, buyer = order.order_no, order.buyer
        tracking_no = tracking_no or order.tracking_no or ""
    case_id = int(conn.execute(insert(CASES).values(
        kind=kind, state=OPEN, order_id=order_id, order_no=order_no, buyer=buyer,
        items=json.dumps(items or [], ensure_ascii=False), claim=claim, tracking_no=tracking_no,
        opened_by=actor.operator, handler=actor.operator, opened_at=now(),
    )).inserted_primary_key[0])  # type: ignore[index]
    append_event(conn, actor, "case_opened", order_id,
                 {"case": case_id, "kind": kind, "claim": claim, "items": items or [],
                  "tracking_no": tracking_no, **(payload or {})})
    return case_id


PARCEL_KINDS = frozenset({"short", "wrong_item", "damaged", "lost"})
"""Cases about a parcel the buyer had (or should have had): only for an order handed over."""


def never_shipped(conn: Connection, order_id: int) -> Row[Any, Any] | None:
    """The order (its number and state) when it was never handed over (no ``shipped`` event:
    still on the floor, held or on its way); None once it has left."""
    if conn.execute(select(EVENTS.c.id).where(EVENTS.c.order_id == order_id,
                                              EVENTS.c.kind == "shipped").limit(1)).first():
        return None
    return conn.execute(select(ORDERS.c.order_no, ORDERS.c.state)
                        .where(ORDERS.c.id == order_id)).one()


def _left_the_floor(conn: Connection, order_id: int, kind: str) -> None:
    """Refuse a parcel case for an order never handed over (field test: a short case opened on
    an order still new): it is still on the floor, where the desk deals with it."""
    order = never_shipped(conn, order_id)
    if order is None:
        return
    raise Refusal("case_not_shipped", "Order {order} was never handed over (it is {state}): "
                  "a parcel case waits until it has left; the desk deals with it on the floor",
                  order=order.order_no, state=order.state, kind=kind)


def open_case(floor: Floor, actor: Actor, kind: str, *, order_key: str = "", claim: str = "",
              items: list[dict[str, Any]] | None = None) -> CaseView:
    """Open a case for the order ``order_key`` names (order no. or tracking no.; '' for none)."""
    def tx(conn: Connection) -> CaseView:
        order_id = None
        if order_key:
            order_id = find_order_id(conn, order_key)
            if order_id is None:
                raise Refusal("unknown_order", "No order, slip or basket {key}", key=order_key)
            if kind in PARCEL_KINDS:
                _left_the_floor(conn, order_id, kind)
        return load_case(conn, insert_case(conn, actor, kind, order_id=order_id, claim=claim,
                                           items=items))

    return floor.run(actor, tx)


def record_verdict(conn: Connection, actor: Actor, case_id: int, verdict: str,
                   proposed: dict[str, Any], items: list[dict[str, Any]] | None = None) -> None:
    """The investigation's verdict on the case (and the responsible person it proposes);
    ``items``: what the verdict says is missing, kept when the buyer named none."""
    row = _lock_case(conn, case_id)
    values: dict[str, Any] = {"verdict": verdict}
    if items and json.loads(row.items or "[]") == []:
        values["items"] = json.dumps(items, ensure_ascii=False)
    conn.execute(update(CASES).where(CASES.c.id == case_id).values(**values))
    append_event(conn, actor, "case_investigated", row.order_id,
                 {"case": case_id, "verdict": verdict, **proposed})


def solve_case(floor: Floor, actor: Actor, case_id: int, solution: str, *,
               responsible: str = "", step: str = "",
               supervisor: OperatorInfo | None = None) -> CaseView:
    """Record what was done. Naming who was responsible needs a proven supervisor."""
    if not solution.strip():
        raise Refusal("no_solution", "Say what was done for case {case}", case=case_id)
    if step and step not in STEPS:
        raise Refusal("bad_step", "Unknown step {step}: one of {steps}", step=step,
                      steps=", ".join(STEPS))

    def tx(conn: Connection) -> CaseView:
        row = _lock_case(conn, case_id)
        if row.state != OPEN:
            raise Refusal("case_not_open", "Case {case} is {state}", case=case_id,
                          state=row.state)
        values: dict[str, Any] = {"state": SOLVED, "solution": solution, "solved_at": now(),
                                  "handler": actor.operator}
        append_event(conn, actor, "case_solved", row.order_id,
                     {"case": case_id, "solution": solution})
        if responsible or step:
            values.update(confirm_values(conn, actor, row, responsible, step, supervisor))
        conn.execute(update(CASES).where(CASES.c.id == case_id).values(**values))
        return load_case(conn, case_id)

    return floor.run(actor, tx)


def confirm_values(conn: Connection, actor: Actor, row: Row[Any], responsible: str, step: str,
                   supervisor: OperatorInfo | None) -> dict[str, Any]:
    """The responsible person (and step), confirmed by ``supervisor``: its event and columns."""
    if supervisor is None:
        raise Refusal("needs_supervisor", "Naming who was responsible needs a supervisor "
                      "(badge and PIN)")
    sup = still_supervisor(conn, supervisor)
    if responsible and operator_row(conn, responsible) is None:
        raise Refusal("unknown_operator", "Unknown badge {scanned}", scanned=responsible)
    append_event(conn, actor, "case_responsible", row.order_id,
                 {"case": row.id, "responsible": responsible, "step": step,
                  "supervisor": sup.code, "kind": row.kind})
    return {"responsible": responsible, "responsible_step": step, "confirmed_by": sup.code}


def close_case(floor: Floor, actor: Actor, case_id: int) -> CaseView:
    """A solved case followed to its end (the buyer refunded, the reship delivered…)."""
    def tx(conn: Connection) -> CaseView:
        row = _lock_case(conn, case_id)
        if row.state != SOLVED:
            raise Refusal("case_not_solved", "Case {case} is {state}: solve it before closing",
                          case=case_id, state=row.state)
        conn.execute(update(CASES).where(CASES.c.id == case_id)
                     .values(state=CLOSED, closed_at=now()))
        append_event(conn, actor, "case_closed", row.order_id, {"case": case_id})
        return load_case(conn, case_id)

    return floor.run(actor, tx)


def list_cases(conn: Connection, *, state: str | None = None, since: datetime | None = None,
               until: datetime | None = None, order_id: int | None = None) -> list[CaseView]:
    """Cases, oldest first; ``since``/``until`` bound when they were opened."""
    query = select(CASES).order_by(CASES.c.opened_at, CASES.c.id)
    if state:
        query = query.where(CASES.c.state == state)
    if since is not None:
        query = query.where(CASES.c.opened_at >= since)
    if until is not None:
        query = query.where(CASES.c.opened_at < until)
    if order_id is not None:
        query = query.where(CASES.c.order_id == order_id)
    return [case_view(r) for r in conn.execute(query)]


def overdue_cases(conn: Connection, day_start: datetime) -> list[CaseView]:
    """Cases still open that were opened before ``day_start``: no solution by the end of
    their day."""
    return [c for c in list_cases(conn, state=OPEN, until=day_start)]
