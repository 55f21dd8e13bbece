"""Where weights deviate: recorded minus expected per SKU and per weigher (count, median, p90),
and SKUs whose catalog weight looks wrong from what parcels of that SKU alone weighed.

A single-SKU parcel of ``qty`` units weighed ``w``: one unit weighs ``(w − packaging) / qty``
(``[weighing] packaging_g``). When at least ``MIN_PARCELS`` such parcels' median unit weight is
off the catalog's by more than half the tolerance, the median is the proposed catalog weight.
"""

from __future__ import annotations

import json
from collections import defaultdict

from sqlalchemy import Connection, select

from pickpack.config import Config
from pickpack.core.report import Span, Table, chunks, events_of, quantile
from pickpack.core.tables import LINES, SKUS
from pickpack.i18n import N_

MIN_PARCELS = 3
DIST_COLUMNS = (("count", N_("parcels")), ("median_g", N_("median g")), ("p90_g", N_("p90 g")))
SKU_COLUMNS = (("sku", N_("SKU")), *DIST_COLUMNS)
WEIGHER_COLUMNS = (("operator", N_("weigher")), *DIST_COLUMNS)
SUSPECT_COLUMNS = (("sku", N_("SKU")), ("name", N_("name")), ("catalog_g", N_("catalog g")),
                   ("parcels", N_("parcels")), ("median_unit_g", N_("median per unit g")),
                   ("proposed_g", N_("proposed g")))


def weights(conn: Connection, cfg: Config, span: Span) -> list[Table]:
    """Deviation per SKU, per weigher; suspect catalog weights with the weight proposed."""
    readings: dict[int, tuple[str, float, float]] = {}  # order → (weigher, weight, deviation)
    for e in events_of(conn, ("weighed", "weight_exception"), span):
        data = json.loads(e.payload or "{}")
        if e.order_id is None or "weight_g" not in data or "expected_g" not in data:
            continue
        w = float(data["weight_g"])
        readings[e.order_id] = (e.operator, w, w - float(data["expected_g"]))  # the last counts
    lines: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for ids in chunks(sorted(readings)):
        for r in conn.execute(select(LINES.c.order_id, LINES.c.sku, LINES.c.qty)
                              .where(LINES.c.order_id.in_(ids), LINES.c.qty > 0)):
            lines[r.order_id].append((r.sku, int(r.qty)))
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
