"""Returns (退货签收): a parcel back from a buyer, received item by item with a grade.

A return is registered beforehand (from the platform's refund export, or by the desk) or
arrives with none: then it is received all the same and a case is opened
(``unregistered_return``). Each unit is scanned with a grade (restock, quarantine, scrap) and a
note; restocked units go back on hand (:mod:`pickpack.core.aftersales.stockback`). At the
end a count or an item that differs from what the buyer declared opens a ``return_mismatch``
case, the original order becomes ``returned`` or ``partly_returned``, and finance gets a
refund instruction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, insert, select, update

from pickpack.core.aftersales.cases import insert_case, never_shipped
from pickpack.core.aftersales.stockback import stock_back
from pickpack.core.aftersales.tables import INSTRUCTIONS, REFUNDS, RETURN_ITEMS, RETURNS
from pickpack.core.aftersales.window import no_reason_window
from pickpack.core.context import Floor, OrderAt, lock_order, move
from pickpack.core.events import Actor, append_event, now
from pickpack.core.lifecycle import PARTLY_RETURNED, RETURNED, SHIPPED
from pickpack.core.orders import find_order_id
from pickpack.core.refusal import Refusal, scan_fields
from pickpack.core.tables import BARCODES, LINES, ORDERS

GRADES = ("restock", "quarantine", "scrap")
EXPECTED, RECEIVING, RECEIVED = "expected", "receiving", "received"


@dataclass(frozen=True, slots=True)
class ReturnView:
    id: int
    state: str
    order_id: int | None
    order_no: str
    order_tracking: str
    tracking_no: str
    reason: str
    source: str
    declared: list[dict[str, Any]]
    received: list[dict[str, Any]]
    ordered: list[dict[str, Any]]
    window: str
    case_id: int | None
    registered_at: datetime
    flags: list[str] = field(default_factory=list)
    """What differs from the declaration (shown, and a case at the end)."""


def _units(items: list[dict[str, Any]]) -> dict[str, int]:
    out: dict[str, int] = {}
    for item in items:
        out[item["sku"]] = out.get(item["sku"], 0) + int(item.get("qty", 1))
    return out


def differing(declared: dict[str, int], received: dict[str, int]) -> list[tuple[str, int, int]]:
    """Each SKU whose count received differs from the declared: (SKU, declared, received)."""
    return [(sku, declared.get(sku, 0), received.get(sku, 0))
            for sku in sorted(set(declared) | set(received))
            if declared.get(sku, 0) != received.get(sku, 0)]


def differences(declared: dict[str, int], received: dict[str, int]) -> list[str]:
    """What was received against what was declared, one line per SKU that differs (kept in
    the trail and the case as it is; a station shows :func:`view_differences` in words)."""
    return [f"{sku}: declared {want}, received {got}"
            for sku, want, got in differing(declared, received)]


def view_differences(view: ReturnView) -> list[tuple[str, int, int]]:
    """What a return received differs by from what was declared (or ordered)."""
    return differing(_units(view.declared or view.ordered), _units(view.received))


def load_return(conn: Connection, return_id: int, cfg: Any = None) -> ReturnView:
    r = conn.execute(select(RETURNS).where(RETURNS.c.id == return_id)).one()
    order = None if r.order_id is None else conn.execute(
        select(ORDERS.c.order_no, ORDERS.c.tracking_no).where(ORDERS.c.id == r.order_id)).one()
    received = [{"sku": i.sku, "qty": i.qty, "grade": i.grade, "note": i.note}
                for i in conn.execute(select(RETURN_ITEMS).where(RETURN_ITEMS.c.return_id ==
                                                                 return_id)
                                      .order_by(RETURN_ITEMS.c.id))]
    ordered = [] if r.order_id is None else [
        {"sku": line.sku, "name": line.name, "qty": line.qty}
        for line in conn.execute(select(LINES).where(LINES.c.order_id == r.order_id)
                                 .order_by(LINES.c.id))]
    declared = json.loads(r.declared or "[]")
    flags = differences(_units(declared or ordered), _units(received)) if received else []
    order_tracking = order.tracking_no or "" if order else ""
    return ReturnView(
        r.id, r.state, r.order_id, order.order_no if order else "", order_tracking,
        r.tracking_no, r.reason, r.source, declared, received, ordered,
        no_reason_window(conn, cfg, order_tracking) if cfg is not None else "", r.case_id,
        r.registered_at, flags)


def register_return(conn: Connection, actor: Actor, order_id: int | None, *,
                    refund_no: str = "", tracking_no: str = "", reason: str = "",
                    declared: list[dict[str, Any]] | None = None, source: str = "desk") -> int:
    """A return expected (in the caller's transaction); its event ``return_registered``."""
    return_id = int(conn.execute(insert(RETURNS).values(
        order_id=order_id, refund_no=refund_no, tracking_no=tracking_no, reason=reason,
        declared=json.dumps(declared or [], ensure_ascii=False), state=EXPECTED, source=source,
        registered_at=now(), received_by="",
    )).inserted_primary_key[0])  # type: ignore[index]
    append_event(conn, actor, "return_registered", order_id,
                 {"return": return_id, "refund_no": refund_no, "tracking_no": tracking_no,
                  "reason": reason, "declared": declared or [], "source": source})
    return return_id


def _expected_for(conn: Connection, code: str) -> Row[Any] | None:
    """The open return a scanned code names: its own tracking number, else the original
    order's tracking or order number."""
    open_states = (EXPECTED, RECEIVING)
    row = conn.execute(select(RETURNS).where(RETURNS.c.tracking_no == code,
                                             RETURNS.c.state.in_(open_states))
                       .order_by(RETURNS.c.id.desc())).first()
    if row is not None:
        return row
    order_id = find_order_id(conn, code)
    if order_id is None:
        return None
    return conn.execute(select(RETURNS).where(RETURNS.c.order_id == order_id,
                                              RETURNS.c.state.in_(open_states))
                        .order_by(RETURNS.c.id.desc())).first()


def _handed_over(conn: Connection, order_id: int) -> None:
    """Refuse a return for an order that never left: no ``shipped`` event, it is still on the
    floor (held, or on its way) and will ship; nothing is received against it."""
    order = never_shipped(conn, order_id)
    if order is None:
        return
    raise Refusal("return_not_shipped", "Order {order} was never handed over (it is {state}): "
                  "it is no return, nothing received", order=order.order_no, state=order.state)


NOT_PARCEL = ("operator", "basket", "location", "command", "sscc", "invalid")
"""Readings of a code that make it no return parcel's tracking number, whatever else it fits."""


def _tracking_shaped(floor: Floor, code: str) -> bool:
    """Whether a code the store does not know may be a return parcel's tracking number: printable,
    shaped like a courier's tracking number (``[couriers] patterns``), and no badge, basket,
    bin, command or SSCC as well."""
    if not code.isprintable() or code != code.strip():
        return False
    kinds = {c.kind for c in floor.classifier.candidates(code)}
    return "tracking" in kinds and not kinds & set(NOT_PARCEL)


def _refuse_untracked(conn: Connection, code: str) -> None:
    shown = code.encode("unicode_escape").decode()[:60]
    if conn.execute(select(BARCODES.c.sku).where(BARCODES.c.code == code)).first() is not None:
        raise Refusal("parcel_first", "{scanned} is an item: scan the return parcel first",
                      scanned=shown)
    raise Refusal("unknown_code", "Unknown code {scanned}: not a return parcel, an order "
                  "or a tracking number", scanned=shown)


def arrive(floor: Floor, actor: Actor, code: str, *,
           tracking_shaped: bool | None = None) -> ReturnView:
    """A return parcel on the bench: its registration, or a new return and a case when it has
    none (a code the store does not know is the return parcel's own tracking number, when it
    has a courier's shape: ``tracking_shaped``, decided here from the code when None). An item
    barcode, a badge or a code with control characters is refused; so is an order never handed
    over."""
    shaped = _tracking_shaped(floor, code) if tracking_shaped is None else tracking_shaped

    def tx(conn: Connection) -> ReturnView:
        row = _expected_for(conn, code)
        if row is not None and row.order_id is not None:
            _handed_over(conn, row.order_id)
        if row is not None:
            conn.execute(update(RETURNS).where(RETURNS.c.id == row.id)
                         .values(state=RECEIVING, received_by=actor.operator))
            append_event(conn, actor, "return_arrived", row.order_id,
                         {"return": row.id, **scan_fields(code)})
            return load_return(conn, row.id, floor.config)
        order_id = find_order_id(conn, code)
        if order_id is not None:
            _handed_over(conn, order_id)
        elif not shaped:
            _refuse_untracked(conn, code)
        return_id = register_return(conn, actor, order_id, source="station",
                                    tracking_no="" if order_id else code)
        case_id = insert_case(conn, actor, "unregistered_return", order_id=order_id,
                              claim="return parcel with no registration", tracking_no=code,
                              payload={"return": return_id})
        conn.execute(update(RETURNS).where(RETURNS.c.id == return_id)
                     .values(state=RECEIVING, received_by=actor.operator, case_id=case_id))
        append_event(conn, actor, "return_arrived", order_id,
                     {"return": return_id, "unregistered": True, **scan_fields(code)})
        return load_return(conn, return_id, floor.config)

    return floor.run(actor, tx)


def _receiving(conn: Connection, return_id: int) -> Row[Any]:
    row = conn.execute(select(RETURNS).where(RETURNS.c.id == return_id)).one()
    if row.state != RECEIVING:
        raise Refusal("return_not_open", "Return {r} is {state}: scan the return parcel first",
                      r=return_id, state=row.state)
    return row


HELD_NOTE = "more than declared: held until its case is decided"
"""The note on units a restock grade did not put back (beyond the declaration)."""


def receive_item(floor: Floor, actor: Actor, return_id: int, code: str, grade: str,
                 note: str = "", qty: int = 1) -> tuple[ReturnView, str, bool]:
    """One item scanned off the return with its grade: (the return, the SKU, True when it is
    not what the buyer declared or the order held)."""
    if grade not in GRADES:
        raise Refusal("bad_grade", "Unknown grade {grade}: restock, quarantine or scrap",
                      grade=grade)

    def tx(conn: Connection) -> tuple[ReturnView, str, bool]:
        row = _receiving(conn, return_id)
        hit = conn.execute(select(BARCODES.c.sku, BARCODES.c.units)
                           .where(BARCODES.c.code == code)).first()
        if hit is None:
            raise Refusal("unknown_code", "Unknown barcode {scanned}", scanned=code)
        units = int(hit.units) * qty
        before = load_return(conn, return_id)
        expected = _units(before.declared or before.ordered)
        had = _units(before.received).get(hit.sku, 0)
        # Units beyond what the buyer declared (or the order held) are not the shop's to sell
        # until their case is decided: a restock grade holds them in quarantine instead.
        beyond = min(units, max(0, had + units - expected.get(hit.sku, 0)))
        held = beyond if grade == "restock" else 0
        parts = [(grade, units - held), ("quarantine", held)]
        for part_grade, part_units in parts:
            if part_units:
                conn.execute(insert(RETURN_ITEMS).values(
                    return_id=return_id, sku=hit.sku, qty=part_units, grade=part_grade,
                    note=(note if part_grade == grade else HELD_NOTE)[:200],
                    operator=actor.operator, at=now()))
        # an unregistered return is a case already: its items are recorded, not flagged
        flagged = row.source != "station" and beyond > 0
        append_event(conn, actor, "return_item_received", row.order_id,
                     {"return": return_id, "sku": hit.sku, "units": units, "grade": grade,
                      "held": held, "note": note, "flagged": flagged, **scan_fields(code)})
        if grade == "restock" and units - held:
            stock_back(conn, actor, hit.sku, units - held, order_id=row.order_id,
                       return_id=return_id)
        return load_return(conn, return_id, floor.config), str(hit.sku), flagged

    return floor.run(actor, tx, order_id=None)


def finish_return(floor: Floor, actor: Actor, return_id: int) -> ReturnView:
    """CMD:DONE: the return is received. A difference from the declaration opens a case; the
    original order is marked returned (or partly); finance gets the refund instruction."""
    def tx(conn: Connection) -> ReturnView:
        row = _receiving(conn, return_id)
        view = load_return(conn, return_id)
        if not view.received:
            raise Refusal("return_empty", "Nothing received on return R{r} yet: scan its items, "
                          "or cancel it (CMD:CANCEL)",
                          r=return_id)
        case_id = row.case_id
        if view.flags and case_id is None:
            case_id = insert_case(conn, actor, "return_mismatch", order_id=row.order_id,
                                  claim="; ".join(view.flags), items=view.received,
                                  tracking_no=row.tracking_no, payload={"return": return_id})
        conn.execute(update(RETURNS).where(RETURNS.c.id == return_id).values(
            state=RECEIVED, received_at=now(), received_by=actor.operator, case_id=case_id))
        append_event(conn, actor, "return_received", row.order_id,
                     {"return": return_id, "received": view.received, "flags": view.flags,
                      "case": case_id})
        if row.order_id is not None:
            _mark_order(conn, actor, row.order_id, view)
        _instruct_refund(conn, actor, row, view)
        return load_return(conn, return_id, floor.config)

    return floor.run(actor, tx)


def _mark_order(conn: Connection, actor: Actor, order_id: int, view: ReturnView) -> None:
    order = lock_order(conn, order_id)
    if order.state not in (SHIPPED, PARTLY_RETURNED):
        return
    got = _units(view.received)
    whole = all(got.get(line["sku"], 0) >= line["qty"] for line in view.ordered)
    to = RETURNED if whole else PARTLY_RETURNED
    if to != order.state:
        move(conn, actor, OrderAt(order.id, order.state, order.order_no), to, "returned",
             {"return": view.id})


def _instruct_refund(conn: Connection, actor: Actor, row: Row[Any], view: ReturnView) -> None:
    amount = 0.0
    if row.refund_no:
        amount = float(conn.execute(select(REFUNDS.c.amount).where(
            REFUNDS.c.refund_no == row.refund_no)).scalar() or 0)
    note = "; ".join(view.flags) or "received as declared"
    instruction = int(conn.execute(insert(INSTRUCTIONS).values(
        return_id=row.id, order_no=view.order_no, refund_no=row.refund_no, amount=amount,
        note=note[:200], created_at=now())).inserted_primary_key[0])  # type: ignore[index]
    append_event(conn, actor, "refund_instructed", row.order_id,
                 {"instruction": instruction, "return": row.id, "refund_no": row.refund_no,
                  "amount": amount, "note": note})
