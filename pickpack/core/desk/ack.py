"""Acknowledging a remark: the clerk confirms (or edits) the actions the remark reader suggests.

What each acknowledged action does:

- ``gift`` → an order line (price 0) of the gift's SKU, picked and verified like any other
  (``desk_line.gift``); acknowledging again replaces the gift lines not yet scanned;
- ``invoice`` → the packing checklist's ``invoice`` (negated: no invoice);
- ``no_price`` → the packing slip prints without prices;
- ``courier`` → the courier the release takes (negated: a courier it avoids); an order already
  released gets its courier chosen again (pickpack.core.desk.waybills);
- ``urgent``, ``address``, ``merge`` → kept for the queue (the address is changed with
  ``order edit``, a merge with ``order merge``).

The order's ``remark_ack`` is set and who acknowledged is recorded (``desk_order.acked_by``,
and the event ``remark_acked`` with payload ``{"actions": [{kind, value, negated}], …}``). An
order the audit held for its remark is audited again at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from pickpack.config import Config
from pickpack.core.context import Floor, lock_order, move
from pickpack.core.couriers.rules import PICKUP
from pickpack.core.desk.remarks import KINDS, RemarkAction, gift_line, read_remarks
from pickpack.core.desk.rows import DESK_LINES, desk_row, set_desk
from pickpack.core.desk.waybills import after_change
from pickpack.core.events import Actor, append_event, now
from pickpack.core.lifecycle import HELD, NEW, READY
from pickpack.core.refusal import Refusal
from pickpack.core.release import REMARK_HOLD, release_one
from pickpack.core.tables import BARCODES, LINES, ORDERS, SKUS

ACK_STATES = (NEW, HELD, READY)
"""An order's remark is acknowledged before its slips print (a gift line must be on the pick
list and the packing slip)."""


@dataclass(frozen=True, slots=True)
class Acknowledged:
    order_no: str
    state: str
    actions: list[RemarkAction]
    acked_by: str
    gift_lines: list[str] = field(default_factory=list)
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"order_no": self.order_no, "state": self.state, "acked_by": self.acked_by,
                "actions": [a.contract() for a in self.actions], "gift_lines": self.gift_lines,
                "note": self.note}


def suggested(conn: Connection, order_id: int, cfg: Config) -> list[RemarkAction]:
    """What the order's remark and memo suggest (the remark reader's reading)."""
    row = conn.execute(select(ORDERS.c.buyer_remark, ORDERS.c.seller_memo)
                       .where(ORDERS.c.id == order_id)).one()
    return read_remarks(row.buyer_remark, row.seller_memo, gifts=cfg.desk.gifts,
                        couriers=cfg.couriers.names)


def _check(conn: Connection, cfg: Config, actions: Sequence[RemarkAction]) -> None:
    for a in actions:
        if a.kind not in KINDS:
            raise Refusal("bad_action", "Unknown remark action {kind}", kind=a.kind)
        if a.kind == "gift" and not a.negated:
            try:
                sku, _qty = gift_line(a.value)
            except ValueError as exc:
                raise Refusal("gift_sku", "Gift {value}: {why} (order ack KEY --gift SKU)",
                              value=a.value or "?", why=str(exc)) from None
            if conn.execute(select(SKUS.c.sku).where(SKUS.c.sku == sku)).first() is None:
                raise Refusal("gift_sku", "Gift {value}: no SKU {sku} in the catalog",
                              value=a.value, sku=sku)
        if a.kind == "courier" and a.value not in cfg.couriers.names and a.value != PICKUP:
            raise Refusal("bad_courier", "Unknown courier {courier}: one of {codes}",
                          courier=a.value, codes=", ".join(cfg.couriers.names))


def _gift_lines(conn: Connection, order_id: int, actions: Sequence[RemarkAction]) -> list[str]:
    """Replace the order's unscanned gift lines by the acknowledged gifts'."""
    old = list(conn.execute(select(DESK_LINES.c.line_id)
                            .join(LINES, LINES.c.id == DESK_LINES.c.line_id)
                            .where(LINES.c.order_id == order_id, DESK_LINES.c.gift.is_(True),
                                   LINES.c.scanned == 0)).scalars())
    if old:
        conn.execute(delete(DESK_LINES).where(DESK_LINES.c.line_id.in_(old)))
        conn.execute(delete(LINES).where(LINES.c.id.in_(old)))
    added = []
    for a in actions:
        if a.kind != "gift" or a.negated:
            continue
        sku, qty = gift_line(a.value)
        name, variant = conn.execute(select(SKUS.c.name, SKUS.c.attributes)
                                     .where(SKUS.c.sku == sku)).one()
        line = conn.execute(insert(LINES).values(order_id=order_id, sku=sku, name=name,
                                                 variant=variant, qty=qty, price=0, scanned=0))
        conn.execute(insert(DESK_LINES).values(line_id=line.inserted_primary_key[0],  # type: ignore[index]
                                               origin_id=order_id, gift=True))
        added.append(f"{sku}*{qty}")
    return added


def _flags(actions: Sequence[RemarkAction]) -> dict[str, Any]:
    """The desk row's columns the actions set (the last word of each kind counts)."""
    flags: dict[str, Any] = {"no_price": False, "invoice": False, "courier": "", "urgent": False}
    avoid: list[str] = []
    for a in actions:
        if a.kind == "no_price":
            flags["no_price"] = not a.negated
        elif a.kind == "invoice":
            flags["invoice"] = not a.negated
        elif a.kind == "urgent":
            flags["urgent"] = not a.negated
        elif a.kind == "courier" and a.negated:
            avoid.append(a.value)
        elif a.kind == "courier":
            flags["courier"] = a.value
    flags["avoid"] = ",".join(c for c in dict.fromkeys(avoid) if c != flags["courier"])
    return flags


def acknowledge(floor: Floor, actor: Actor, order_id: int,
                actions: Sequence[RemarkAction] | None = None,
                gift_message: str | None = None) -> Acknowledged:
    """Accept the remark's actions (``None``: as the reader suggests them) for the order."""
    cfg = floor.config

    def tx(conn: Connection) -> Acknowledged:
        row = lock_order(conn, order_id)
        if row.state not in ACK_STATES:
            raise Refusal("cannot_ack", "Order {order_no} is {state}: its remark can no longer "
                          "be acted on here", order_no=row.order_no, state=row.state,
                          order_id=row.id)
        final = list(suggested(conn, order_id, cfg) if actions is None else actions)
        _check(conn, cfg, final)
        before = desk_row(conn, order_id)
        gifts = _gift_lines(conn, order_id, final)
        flags = _flags(final)
        values: dict[str, Any] = {**flags, "acked_by": actor.operator, "acked_at": now()}
        if gift_message is not None:
            values["gift_message"] = gift_message
        set_desk(conn, order_id, **values)
        conn.execute(update(ORDERS).where(ORDERS.c.id == order_id).values(remark_ack=True))
        append_event(conn, actor, "remark_acked", order_id,
                     {"actions": [a.contract() for a in final], "by": actor.operator,
                      "gift_lines": gifts, "gift_message": gift_message})
        note = ""
        if row.state == HELD and str(row.hold_reason).startswith(REMARK_HOLD):
            move(conn, actor, row, NEW, "hold_cleared", {"reason": row.hold_reason, "by": "ack"},
                 hold_reason="", held_from=None)
            problem = release_one(conn, cfg, actor, order_id)
            note = f"held: {problem}" if problem else ""
        elif row.state == READY and _courier_changed(before, flags, row.courier):
            note = after_change(conn, cfg, actor, order_id, "courier asked in the remark")
        state = conn.execute(select(ORDERS.c.state).where(ORDERS.c.id == order_id)).scalar_one()
        return Acknowledged(row.order_no, state, final, actor.operator, gifts, note)

    return floor.run(actor, tx, order_id=order_id)


def _courier_changed(before: Any, flags: dict[str, Any], courier: str | None) -> bool:
    asked, avoid = flags["courier"], set(filter(None, flags["avoid"].split(",")))
    was = (before.courier, before.avoid) if before is not None else ("", "")
    if (asked, flags["avoid"]) == was:
        return False
    return bool(asked and asked != courier) or (courier in avoid)


def acknowledged(conn: Connection, order_id: int) -> dict[str, Any] | None:
    """The desk's record of the order's acknowledged remark (None: not acknowledged)."""
    row = desk_row(conn, order_id)
    if row is None or row.acked_at is None:
        return None
    return {"acked_by": row.acked_by, "acked_at": row.acked_at.isoformat(),
            "no_price": bool(row.no_price), "invoice": bool(row.invoice),
            "courier": row.courier, "avoid": row.avoid, "urgent": bool(row.urgent),
            "gift_message": row.gift_message}


NO_GIFT = ("0", "不送赠品", "no gift")
"""What the clerk types for a gift the order goes without (recorded as a gift declined)."""


def unnamed_gift(conn: Connection, cfg: Config, order_id: int) -> RemarkAction | None:
    """The remark's gift whose SKU is missing or not in the catalog (``赠品：小毛巾一条`` with
    no ``[desk.gifts]`` entry): the desk asks the clerk for it before the ack."""
    for a in suggested(conn, order_id, cfg):
        if a.kind != "gift" or a.negated:
            continue
        try:
            sku, _qty = gift_line(a.value)
        except ValueError:
            return a
        if conn.execute(select(SKUS.c.sku).where(SKUS.c.sku == sku)).first() is None:
            return a
    return None


def named_gift(conn: Connection, text: str) -> RemarkAction:
    """The clerk's answer for the gift: ``SKU`` or ``SKU*N`` of the catalog, the gift item's
    barcode (its SKU, its units), or a word of :data:`NO_GIFT` (the gift declined)."""
    typed = text.strip()
    if typed.lower() in NO_GIFT:
        return RemarkAction("gift", "", negated=True, source="clerk", text=typed)
    try:
        sku, qty = gift_line(typed)
    except ValueError:
        raise Refusal("gift_sku", "Gift {value}: give its SKU, SKU*N (N 1–99) or scan its "
                      "barcode", value=typed or "?") from None
    if conn.execute(select(SKUS.c.sku).where(SKUS.c.sku == sku)).first() is not None:
        return RemarkAction("gift", f"{sku}*{qty}", source="clerk", text=typed)
    item = conn.execute(select(BARCODES.c.sku, BARCODES.c.units)
                        .where(BARCODES.c.code == sku)).first()
    if item is None:
        raise Refusal("gift_sku", "Gift {value}: no SKU or barcode {value} in the catalog",
                      value=typed)
    return RemarkAction("gift", f"{item.sku}*{item.units * qty}", source="clerk", text=typed)


def with_gift(conn: Connection, cfg: Config, order_id: int,
              gift: RemarkAction) -> list[RemarkAction]:
    """The remark's actions with the clerk's gift in place of the remark's (as ``order ack
    --gift`` / ``--no-gift`` edit them)."""
    return [a for a in suggested(conn, order_id, cfg) if a.kind != "gift"] + [gift]
