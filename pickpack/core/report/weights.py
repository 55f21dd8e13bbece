"""Where weights deviate: recorded minus expected per SKU and per weigher (count, median, p90),
and SKUs whose catalog weight looks wrong from what parcels of that SKU alone weighed.

A single-SKU parcel of ``qty`` units weighed ``w``: one unit weighs ``(w − packaging) / qty``
(``[weighing] packaging_g``). When at least ``MIN_PARCELS`` such parcels' median unit weight is
off the catalog's by more than half the tolerance, the median is the proposed catalog weight.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import Connection, select

from pickpack.config import Config
from pickpack.core.report import Span, Table, chunks, quantile
from pickpack.core.report.sql import payload_number
from pickpack.core.tables import EVENTS, LINES, SKUS
from pickpack.i18n import N_

MIN_PARCELS = 3
WEIGH_KINDS = ("weighed", "weight_exception")
DIST_COLUMNS = (("count", N_("parcels")), ("median_g", N_("median g")), ("p90_g", N_("p90 g")))
SKU_COLUMNS = (("sku", N_("SKU")), *DIST_COLUMNS)
WEIGHER_COLUMNS = (("operator", N_("weigher")), *DIST_COLUMNS)
SUSPECT_COLUMNS = (("sku", N_("SKU")), ("name", N_("name")), ("catalog_g", N_("catalog g")),
                   ("parcels", N_("parcels")), ("median_unit_g", N_("median per unit g")),
                   ("proposed_g", N_("proposed g")))


def weights(conn: Connection, cfg: Config, span: Span) -> list[Table]:
    """Deviation per SKU, per weigher; suspect catalog weights with the weight proposed."""
    readings: dict[int, tuple[str, float, float]] = {}  # order → (weigher, weight, deviation)
    kind = EVENTS.c.kind
    weighed = ((kind.in_(WEIGH_KINDS)) & (EVENTS.c.at >= span.start) & (EVENTS.c.at < span.end)
               & EVENTS.c.order_id.is_not(None))
    for oid, op, w, expected in conn.execute(
            select(EVENTS.c.order_id, EVENTS.c.operator, payload_number(conn, "weight_g"),
                   payload_number(conn, "expected_g"))
            .where(weighed).order_by(EVENTS.c.at, EVENTS.c.id)):
        if w is None or expected is None:
            continue
        readings[oid] = (op, float(w), float(w) - float(expected))  # the last counts
    lines: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for oid, sku, qty in conn.execute(  # the lines of the orders weighed: one query
            select(LINES.c.order_id, LINES.c.sku, LINES.c.qty)
            .where(LINES.c.qty > 0, LINES.c.order_id.in_(select(EVENTS.c.order_id).where(weighed)))):
        lines[oid].append((sku, int(qty)))
    per_sku: dict[str, list[float]] = defaultdict(list)
    per_op: dict[str, list[float]] = defaultdict(list)
    unit_w: dict[str, list[float]] = defaultdict(list)
    for oid, (op, w, dev) in readings.items():
        per_op[op].append(dev)
        skus = lines.get(oid, [])
        for sku in {s for s, _q in skus}:
            per_sku[sku].append(dev)
        if len({s for s, _q in skus}) == 1:
            units = sum(q for _s, q in skus)
            unit_w[skus[0][0]].append((w - cfg.weighing.packaging_g) / units)
    return [
        Table("skus", N_("Weight deviation per SKU"), SKU_COLUMNS,
              [{"sku": k, **_dist(v)} for k, v in sorted(per_sku.items())]),
        Table("weighers", N_("Weight deviation per weigher"), WEIGHER_COLUMNS,
              [{"operator": k, **_dist(v)} for k, v in sorted(per_op.items())]),
        Table("suspect", N_("Catalog weights that look wrong"), SUSPECT_COLUMNS,
              suspects(conn, cfg, unit_w)),
    ]


def suspects(conn: Connection, cfg: Config, unit_w: dict[str, list[float]]) -> list[dict[str, object]]:
    catalog = {}
    for skus in chunks(sorted(unit_w)):
        catalog.update({r.sku: r for r in conn.execute(
            select(SKUS.c.sku, SKUS.c.name, SKUS.c.weight_g).where(SKUS.c.sku.in_(skus)))})
    out: list[dict[str, object]] = []
    for sku, values in sorted(unit_w.items()):
        row = catalog.get(sku)
        if row is None or len(values) < MIN_PARCELS:
            continue
        median = quantile(values, 0.5)
        tolerance = max(cfg.weighing.tolerance_g, row.weight_g * cfg.weighing.tolerance_pct / 100)
        if abs(median - row.weight_g) > tolerance / 2:
            out.append({"sku": sku, "name": row.name, "catalog_g": row.weight_g,
                        "parcels": len(values), "median_unit_g": median,
                        "proposed_g": round(median)})
    return out


def _dist(values: list[float]) -> dict[str, float]:
    return {"count": len(values), "median_g": quantile(values, 0.5), "p90_g": quantile(values, 0.9)}
