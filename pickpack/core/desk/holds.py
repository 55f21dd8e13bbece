"""Release, hold and cancel at the desk, each with a reason code and an event.

Who may release a held order (DESIGN.md, "Holds"):

- an audit hold whose reason is gone: anyone (the re-audit would release it too);
- a hold the desk made (``hold``): the clerk, except a ``STOCK`` hold while the stock is short;
- a bulk order, a stock shortage the audit found, a station's hold (weight, verify, CMD:HOLD):
  a supervisor (badge + PIN, proven before: :func:`pickpack.core.authority.prove_supervisor`).
  A supervisor's release of a bulk order or a shortage is kept as an approval, so the audit
  does not hold the order again for it.

An audit hold whose reason is still there and no supervisor can waive (unknown SKU, address
incomplete, remark to acknowledge) is refused: the fix is named instead. Cancelling an order
already on the floor (its express slip printed, or picking begun) needs a supervisor; the
cancelled order is intercepted at every station (pickpack.core.context.intercepted), left out
of its manifest at close, and its basket is freed by the put-away scan at pick.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Connection, Row, select

from pickpack.config import Config
from pickpack.core.authority import still_supervisor
from pickpack.core.context import Floor, lock_order, move
from pickpack.core.desk.reasons import HOLD_REASONS, reason_code, reason_text
from pickpack.core.desk.rows import DESK_ORDERS, approvals, set_desk
from pickpack.core.desk.waybills import give_back, slip_out
from pickpack.core.events import Actor
from pickpack.core.lifecycle import CANCELLED, HELD, NEW, READY, SHIPPED, state_name
from pickpack.core.operators import OperatorInfo
from pickpack.core.refusal import Refusal
from pickpack.core.release import AUDIT_REASONS, audit_problem, available_units, release_one
from pickpack.core.tables import EVENTS, LINES, ORDERS
from pickpack.i18n import N_, _

OFF_FLOOR_STATES = (SHIPPED, "returned", "partly_returned", "merged", "unpaid",
                    "shipped_elsewhere")
"""States the desk can no longer hold or cancel (shipped, or travelling in another parcel)."""
WAIVABLE = {"short of stock": "stock", "bulk order": "bulk"}
"""Audit reasons a supervisor's release waives, and the approval it records."""


@dataclass(frozen=True, slots=True)
class DeskChange:
    """What a desk action did, for the screen and ``--json``."""

    order_no: str
    state: str
    was: str
    action: str
    reason: str
    reason_text: str
    supervisor: str | None = None
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _not_in_a_parcel(conn: Connection, row: Row[Any], what: str) -> None:
    """Refuse a platform order merged into another's parcel, and (``cancel``) a parcel that
    carries other platform orders: the merge is undone first, so a refund takes only its own."""
    if row.state == "merged":
        parcel = conn.execute(select(ORDERS.c.order_no).join(
            DESK_ORDERS, DESK_ORDERS.c.parcel_id == ORDERS.c.id)
            .where(DESK_ORDERS.c.order_id == row.id)).scalar()
        raise Refusal("in_parcel", "Order {order_no} travels in parcel {parcel}: undo the merge "
                      "first (order merge --undo)", order_no=row.order_no, parcel=parcel or "-",
                      order_id=row.id)
    if what == "cancel" and conn.execute(select(DESK_ORDERS.c.order_id).where(
            DESK_ORDERS.c.parcel_id == row.id).limit(1)).first() is not None:
        raise Refusal("parcel_of_many", "Order {order_no} is a parcel of several orders: undo "
                      "the merge first (order merge --undo), then cancel the one refunded",
                      order_no=row.order_no, order_id=row.id)


def _last_hold(conn: Connection, order_id: int) -> dict[str, Any]:
    payload = conn.execute(select(EVENTS.c.payload).where(
        EVENTS.c.order_id == order_id, EVENTS.c.kind == "held")
        .order_by(EVENTS.c.id.desc()).limit(1)).scalar()
    return dict(json.loads(payload)) if payload else {}


def _lines(conn: Connection, order_id: int) -> list[tuple[str, int]]:
    return [(sku, int(qty)) for sku, qty in conn.execute(
        select(LINES.c.sku, LINES.c.qty).where(LINES.c.order_id == order_id))]


def _audit_waivers(conn: Connection, row: Row[Any], cfg: Config) -> tuple[str, set[str]]:
    """The audit's problem with the order once a supervisor waived what may be waived, and the
    waivers that needed: ('', set()) when the order is good as it is."""
    known = available_units(conn, cfg)
    lines = _lines(conn, row.id)
    approved = set(approvals(conn, row.id))
    waived: set[str] = set()
    unheld = SimpleNamespace(**{**row._asdict(), "hold_reason": ""})  # remark read afresh
    problem = audit_problem(unheld, lines, known, cfg, approved)
    while problem:
        waiver = next((w for start, w in WAIVABLE.items() if problem.startswith(start)), None)
        if waiver is None or waiver in waived:
            break
        waived.add(waiver)
        problem = audit_problem(unheld, lines, known, cfg, approved | waived)
    return problem, waived


def _why_supervisor(conn: Connection, row: Row[Any], cfg: Config) -> tuple[str, set[str]]:
    """('' or why a supervisor must release this hold, the approvals a release records)."""
    last = _last_hold(conn, row.id)
    if last.get("desk"):
        if last.get("code") == "STOCK":
            known = available_units(conn, cfg)
            if any(known.get(sku, 0) < qty for sku, qty in _lines(conn, row.id)):
                return _("stock hold before the stock is there"), {"stock"}
        return "", set()
    is_audit = row.held_from == NEW and (
        last.get("audit") is True or str(row.hold_reason).startswith(AUDIT_REASONS))
    if not is_audit:
        return _("station hold"), set()
    problem, waived = _audit_waivers(conn, row, cfg)
    if problem:
        raise Refusal("audit_hold", "Order {order_no} still waits for: {reason} — fix that first",
                      order_no=row.order_no, reason=problem, order_id=row.id)
    return (row.hold_reason if waived else ""), waived


def release_order(floor: Floor, actor: Actor, order_id: int, reason: str,
                  supervisor: OperatorInfo | None = None) -> DeskChange:
    """Release a held order by hand (see the module docstring for who may). An order held from
    ``new`` is audited again at once (``ready``, or held by the audit for what is left)."""
    code = reason_code("release", reason)

    def tx(conn: Connection) -> DeskChange:
        row = lock_order(conn, order_id)
        if row.state != HELD:
            raise Refusal("not_held", "Order {order_no} is not held", order_no=row.order_no,
                          order_id=row.id)
        why, waived = _why_supervisor(conn, row, floor.config)
        sup = still_supervisor(conn, supervisor) if supervisor is not None else None
        if why and sup is None:
            raise Refusal("needs_supervisor", "Releasing order {order_no} ({why}) needs a "
                          "supervisor's badge and PIN", order_no=row.order_no, why=why,
                          order_id=row.id)
        if waived:
            set_desk(conn, row.id, approved=",".join(sorted(approvals(conn, row.id) | waived)))
        back = row.held_from or NEW
        move(conn, actor, row, back, "hold_released",
             {"code": code, "reason_text": reason_text("release", code), "was": row.hold_reason,
              "supervisor": sup.code if sup else None, "waived": sorted(waived)},
             hold_reason="", held_from=None)
        note = release_one(conn, floor.config, actor, row.id) if back == NEW else ""
        now_state = lock_order(conn, row.id).state
        return DeskChange(row.order_no, now_state, row.state, "release", code,
                          reason_text("release", code), sup.code if sup else None, note)

    return floor.run(actor, tx, order_id=order_id)


def hold_order(floor: Floor, actor: Actor, order_id: int, reason: str, note: str = "") -> DeskChange:
    """Put an order aside with a reason code (the clerk's hold: the clerk may release it)."""
    code = reason_code("hold", reason)

    def tx(conn: Connection) -> DeskChange:
        row = lock_order(conn, order_id)
        _not_in_a_parcel(conn, row, "hold")
        if row.state in (HELD, CANCELLED, *OFF_FLOOR_STATES):
            raise Refusal("cannot_hold", "Order {order_no} is {state}: it cannot be held",
                          order_no=row.order_no, state=row.state, order_id=row.id)
        text = f"{code}: {HOLD_REASONS[code]}" + (f" — {note}" if note else "")
        move(conn, actor, row, HELD, "held",
             {"reason": text[:200], "code": code, "note": note, "desk": True, "audit": False},
             hold_reason=text[:200], held_from=row.state)
        return DeskChange(row.order_no, HELD, row.state, "hold", code,
                          reason_text("hold", code), None, note)

    return floor.run(actor, tx, order_id=order_id)


def on_floor(conn: Connection, row: Row[Any]) -> bool:
    """Already in a picker's hands: past ``ready``, or its express slip printed."""
    state = (row.held_from or NEW) if row.state == HELD else row.state
    return state not in (NEW, READY) or slip_out(conn, row.id)


def cancel_order(floor: Floor, actor: Actor, order_id: int, reason: str,
                 supervisor: OperatorInfo | None = None) -> DeskChange:
    """Cancel an order (refund before shipping): it never ships. On the floor it needs a
    supervisor and is intercepted at the next station that scans it."""
    code = reason_code("cancel", reason)

    def tx(conn: Connection) -> DeskChange:
        row = lock_order(conn, order_id)
        if row.state == CANCELLED:
            raise Refusal("cancelled", "Order {order_no} is already cancelled",
                          order_no=row.order_no, order_id=row.id)
        _not_in_a_parcel(conn, row, "cancel")
        if row.state in OFF_FLOOR_STATES:
            raise Refusal("cannot_cancel", "Order {order_no} is {state}: it cannot be cancelled "
                          "here (after shipping it is an after-sales case)",
                          order_no=row.order_no, state=row.state, order_id=row.id)
        floor_now = on_floor(conn, row)
        sup = still_supervisor(conn, supervisor) if supervisor is not None else None
        if floor_now and sup is None:
            raise Refusal("needs_supervisor", "Cancelling order {order_no} ({why}) needs a "
                          "supervisor's badge and PIN", order_no=row.order_no,
                          why=_("on the floor: {state}").format(state=state_name(row.state)),
                          order_id=row.id)
        # a number never on paper goes back to the pool; one that may be out stays with it
        back = row.tracking_no if row.tracking_no and not floor_now else None
        if back:
            give_back(conn, row)
        move(conn, actor, row, CANCELLED, "cancelled",
             {"code": code, "reason_text": reason_text("cancel", code), "on_floor": floor_now,
              "supervisor": sup.code if sup else None, "basket": row.basket,
              "manifest_id": row.manifest_id, "waybill_back": back},
             hold_reason="", held_from=None,
             **({"tracking_no": None, "courier": None} if back else {}))
        return DeskChange(row.order_no, CANCELLED, row.state, "cancel", code,
                          reason_text("cancel", code), sup.code if sup else None,
                          N_("intercepted on the floor") if floor_now else "")

    return floor.run(actor, tx, order_id=order_id)
