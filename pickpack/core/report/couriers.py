"""Per courier: parcels handed over and those that left late, out-of-area cases (the desk
changed an address because the courier does not serve it: reason ``AREA``), and the
after-sales cases the trail opened against its parcels (lost, tracking, damaged) or that a
supervisor put down to the courier. The after-sales register itself: ``report aftersales``."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from sqlalchemy import Connection, select

from pickpack.config import Config
from pickpack.core.report import Span, Table, chunks, events_of
from pickpack.core.report.shipped import handed_over
from pickpack.core.tables import EVENTS, ORDERS
from pickpack.i18n import N_

CASE_KINDS = ("lost", "tracking", "damaged")
COLUMNS = (("courier", N_("courier")), ("shipped", N_("handed over")),
           ("late", N_("left late")), ("out_of_area", N_("out of area")),
           ("lost", N_("lost")), ("tracking", N_("tracking problem")),
           ("damaged", N_("damaged")), ("courier_fault", N_("courier's fault")))


def couriers(conn: Connection, cfg: Config, span: Span) -> list[Table]:
    counts: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(
        (k for k, _h in COLUMNS[1:]), 0))
    shipped = handed_over(conn, span)
    cases: list[tuple[int, str]] = []
    area: list[Any] = []
    for e in events_of(conn, ("case_opened", "case_responsible", "address_changed"), span):
        d = json.loads(e.payload or "{}")
        if e.order_id is None:
            continue
        if e.kind == "address_changed" and d.get("code") == "AREA":
            area.append(e)
        elif e.kind == "case_opened" and d.get("kind") in CASE_KINDS:
            cases.append((e.order_id, str(d["kind"])))
        elif e.kind == "case_responsible" and d.get("step") == "courier":
            cases.append((e.order_id, "courier_fault"))
    orders: dict[int, Any] = {}
    for ids in chunks(sorted({*(o for o, _k in cases), *(e.order_id for e in area)})):
        orders.update({r.id: r for r in conn.execute(
            select(ORDERS.c.id, ORDERS.c.courier, ORDERS.c.paid_at).where(ORDERS.c.id.in_(ids)))})
    for courier, _shop, paid_at, at in shipped.values():
        c = counts[courier or "-"]
        c["shipped"] += 1
        c["late"] += paid_at is not None and (at - paid_at).total_seconds() / 3600 \
            >= cfg.floor.late_after_h
    for oid, kind in cases:
        counts[orders[oid].courier or "-"][kind] += 1
    for e in area:
        counts[_courier_before(conn, e) or orders[e.order_id].courier or "-"]["out_of_area"] += 1
    return [Table("couriers", N_("Per courier"), COLUMNS,
                  [{"courier": k, **v} for k, v in sorted(counts.items())])]


def _courier_before(conn: Connection, e: Any) -> str:
    """The courier the order had when its address was changed (the last event naming one)."""
    for payload in conn.execute(select(EVENTS.c.payload).where(
            EVENTS.c.order_id == e.order_id, EVENTS.c.id < e.id,
            EVENTS.c.payload.like('%"courier"%')).order_by(EVENTS.c.id.desc())).scalars():
        courier = json.loads(payload or "{}").get("courier")
        if isinstance(courier, str) and courier:
            return courier
    return ""
