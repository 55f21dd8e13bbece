"""Reships and exchanges: a new order linked to the original, through the floor again.

A reship (补发) or the new item of an exchange (换货) is an order of its own, numbered from the
original (``<order_no>-R1``, ``-R2``…), with the original's buyer and address, released, picked,
verified, packed, weighed and handed over with a waybill of its own like any order; the link
(``reship``) keeps the case and the original. It is never in the platform's bulk-ship export
(the platform knows only the original). Where the units of a confirmed short parcel never left
the warehouse, the original's stock movement is reversed for them (冲单: back on hand).
A supervisor's ship-short (an ``override`` event ``ship_short``) opens its case here.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, func, insert, select

from pickpack.core.aftersales.cases import insert_case, load_case
from pickpack.core.aftersales.stockback import stock_back
from pickpack.core.aftersales.tables import CASES, RESHIPS
from pickpack.core.aftersales.words import coded
from pickpack.core.context import Floor, lock_order
from pickpack.core.events import Actor, append_event, now
from pickpack.core.lifecycle import NEW
from pickpack.core.refusal import Refusal
from pickpack.core.tables import EVENTS, LINES, ORDERS, SKUS

COPIED = ("platform", "shop", "buyer", "receiver_name", "receiver_phone", "province", "city",
          "district", "street", "postcode", "created_at", "platform_status")
KINDS = ("reship", "exchange")


def reship_no(conn: Connection, original_id: int, original_no: str) -> str:
    n = conn.execute(select(func.count()).select_from(RESHIPS)
                     .where(RESHIPS.c.original_id == original_id)).scalar_one()
    return f"{original_no}-R{int(n) + 1}"


def create_reship(floor: Floor, actor: Actor, case_id: int, *,
                  items: list[dict[str, Any]] | None = None, kind: str = "reship",
                  reverse_stock: bool = False) -> str:
    """The reship order of a case (its items, default the case's, else the original's lines);
    ``reverse_stock``: the units never left (a confirmed short), back on hand. Returns the new
    order number; the desk's next release audits it like any new order."""
    if kind not in KINDS:
        raise Refusal("bad_reship_kind", "Unknown reship kind {kind}: reship or exchange",
                      kind=kind)

    def tx(conn: Connection) -> str:
        case = load_case(conn, case_id)
        if case.order_id is None:
            raise Refusal("case_no_order", "Case {case} names no order to investigate",
                          case=case_id)
        original = lock_order(conn, case.order_id)
        wanted = items or case.items or [
            {"sku": r.sku, "qty": r.qty} for r in conn.execute(
                select(LINES.c.sku, LINES.c.qty).where(LINES.c.order_id == original.id))]
        names = dict(conn.execute(select(SKUS.c.sku, SKUS.c.name)
                                  .where(SKUS.c.sku.in_([i["sku"] for i in wanted]))).all())
        unknown = sorted({i["sku"] for i in wanted} - set(names))
        if unknown:
            raise Refusal("unknown_sku", "Unknown SKU {sku}", sku=", ".join(unknown))
        order_no = reship_no(conn, original.id, original.order_no)
        memo = f"{kind} of {original.order_no} (case C{case_id})"
        new_id = int(conn.execute(insert(ORDERS).values(
            order_no=order_no, state=NEW, total=0, hold_reason="", updated_at=now(),
            paid_at=now(), seller_memo=memo, buyer_remark="", remark_ack=True,
            **{c: getattr(original, c) for c in COPIED})).inserted_primary_key[0])  # type: ignore[index]
        for item in wanted:
            conn.execute(insert(LINES).values(order_id=new_id, sku=item["sku"],
                                              name=names[item["sku"]], qty=int(item["qty"]),
                                              price=0))
        conn.execute(insert(RESHIPS).values(order_id=new_id, original_id=original.id, kind=kind,
                                            case_id=case_id, created_at=now()))
        payload = {"case": case_id, "kind": kind, "items": wanted, "original": original.order_no,
                   "reship": order_no}
        append_event(conn, actor, "reship_created", new_id, payload)
        append_event(conn, actor, "reshipped", original.id, payload)
        if reverse_stock:
            for item in wanted:
                stock_back(conn, actor, item["sku"], int(item["qty"]), order_id=original.id,
                           why=f"short, never left (case C{case_id})")
        return order_no

    return floor.run(actor, tx)


def reships_of(conn: Connection, original_id: int) -> list[dict[str, Any]]:
    """The reships linked to an order, with their state and tracking number."""
    return [{"order_no": r.order_no, "state": r.state, "tracking_no": r.tracking_no,
             "kind": r.kind, "case": r.case_id}
            for r in conn.execute(
                select(ORDERS.c.order_no, ORDERS.c.state, ORDERS.c.tracking_no, RESHIPS.c.kind,
                       RESHIPS.c.case_id)
                .join(RESHIPS, RESHIPS.c.order_id == ORDERS.c.id)
                .where(RESHIPS.c.original_id == original_id).order_by(ORDERS.c.id))]


def open_ship_short_cases(floor: Floor, actor: Actor) -> int:
    """A case for every supervisor's ship-short that has none yet (what is owed to the buyer
    as its items); the number opened."""
    def tx(conn: Connection) -> int:
        have = {r for r in conn.execute(select(CASES.c.order_id)
                                        .where(CASES.c.kind == "ship_short")).scalars()}
        opened = 0
        for e in conn.execute(select(EVENTS.c.order_id, EVENTS.c.payload, EVENTS.c.operator)
                              .where(EVENTS.c.kind == "override")).all():
            data = json.loads(e.payload or "{}")
            if data.get("override") != "ship_short" or e.order_id in have:
                continue
            owed = [{"sku": o["sku"], "qty": o["missing"]} for o in data.get("owed", [])]
            insert_case(conn, actor, "ship_short", order_id=e.order_id, items=owed,
                        claim=coded("ship_short", supervisor=data.get("supervisor") or "",
                                    reason=data.get("reason") or ""),
                        payload={"supervisor": data.get("supervisor")})
            have.add(e.order_id)
            opened += 1
        return opened

    return floor.run(actor, tx)
