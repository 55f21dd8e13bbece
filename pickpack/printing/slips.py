"""Layouts filled from the store (the ``printers`` package stays pure: data in, bytes out)."""

from __future__ import annotations

from dataclasses import asdict, replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, select

from pickpack.config import Config
from pickpack.core.orders import OrderView, load_order, require_order_id
from pickpack.core.refusal import Refusal
from pickpack.core.tables import MANIFESTS, ORDERS
from printers import ExpressSlip, Manifest, PackingLine, PackingSlip, PickLine, PickList
from printers.compose import Layout


def express_slip(conn: Connection, order_id: int, cfg: Config) -> ExpressSlip:
    return express_of(load_order(conn, order_id), cfg)


def express_of(o: OrderView, cfg: Config) -> ExpressSlip:
    """The express slip of an order already loaded (a wave loads its orders together)."""
    if not o.courier or not o.tracking_no:
        raise Refusal("no_waybill", "Order {order_no} has no tracking number yet",
                      order_no=o.order_no)
    return ExpressSlip(
        courier_code=o.courier, courier_name=cfg.couriers.names.get(o.courier, o.courier),
        tracking_no=o.tracking_no, sort_code=None, receiver_name=o.receiver_name,
        receiver_phone=o.receiver_phone, address=o.address, sender=cfg.printers.sender,
        order_no=o.order_no, item_count=o.units,
        weight_kg=round(o.weight_g / 1000, 3) if o.weight_g else None,
    )


def packing_slip(conn: Connection, order_id: int, cfg: Config) -> PackingSlip:
    return packing_of(load_order(conn, order_id), cfg)


def packing_of(o: OrderView, cfg: Config) -> PackingSlip:
    """The buyer's copy. The seller's memo is internal and never on it; the gift note is the
    buyer's own gift message; prices are left out where the acknowledged remark asked."""
    prices = cfg.printers.show_prices and not o.no_price
    lines = [PackingLine(line.sku, line.name, line.variant, line.qty, line.bin,
                         Decimal(str(line.price)) if prices else None)
             for line in o.lines]
    return PackingSlip(o.order_no, lines, buyer_remark=o.buyer_remark,
                       gift_note=o.gift_message, show_prices=prices)


def pick_list(conn: Connection, order_ids: list[int], batch_id: str) -> PickList:
    lines = []
    for oid in order_ids:
        for line in load_order(conn, oid).lines:
            lines.append(PickLine(line.bin, line.sku, line.name, line.variant, line.qty))
    return PickList(batch_id, lines, order_count=len(order_ids))


def manifest_on_floor(layout: Manifest, cfg: Config) -> Manifest:
    """The manifest as the floor reads it: its time in ``[floor] timezone`` (stored in UTC)
    and the courier's name from ``[couriers] names``."""
    from pickpack.core.reports import floor_tz

    closed_at = layout.closed_at
    if closed_at is not None:
        closed_at = (closed_at if closed_at.tzinfo else closed_at.replace(tzinfo=UTC))
        closed_at = closed_at.astimezone(floor_tz(cfg))
    return replace(layout, closed_at=closed_at,
                   courier_name=cfg.couriers.names.get(layout.courier, layout.courier_name))


def manifest(conn: Connection, manifest_id: int, cfg: Config | None = None) -> Manifest:
    m = conn.execute(select(MANIFESTS).where(MANIFESTS.c.id == manifest_id)).first()
    if m is None:
        raise Refusal("unknown_manifest", "No manifest {m}", m=manifest_id)
    tracking = [t for t in conn.execute(select(ORDERS.c.tracking_no)
                .where(ORDERS.c.manifest_id == manifest_id).order_by(ORDERS.c.id)).scalars() if t]
    layout = Manifest(m.courier, str(m.id), tracking, closed_at=m.closed_at)
    return manifest_on_floor(layout, cfg) if cfg is not None else layout


def for_key(conn: Connection, kind: str, key: str, cfg: Config) -> Layout:
    """The slip of ``kind`` for a KEY typed at the CLI or scanned at a station."""
    if kind == "manifest":
        if not key.isdigit():
            raise Refusal("unknown_manifest", "No manifest {m}", m=key)
        return manifest(conn, int(key), cfg)
    if kind == "picklist":
        ids = [require_order_id(conn, k) for k in key.split(",") if k]
        return pick_list(conn, ids, key if len(ids) == 1 else f"batch-{len(ids)}")
    order_id = require_order_id(conn, key)
    return express_slip(conn, order_id, cfg) if kind == "express" else packing_slip(conn, order_id, cfg)


# -- layouts as JSON, so a queued job survives a restart as a row ---------------------------
_TYPES: dict[str, type] = {"express": ExpressSlip, "packing": PackingSlip, "picklist": PickList,
                           "manifest": Manifest}


def to_json(kind: str, layout: Layout) -> dict[str, Any]:
    def plain(value: Any) -> Any:
        if isinstance(value, Decimal):
            return str(value)
        if isinstance(value, datetime):
            return value.isoformat()
        if isinstance(value, list | tuple):
            return [plain(v) for v in value]
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        return value

    return {"kind": kind, "fields": plain(asdict(layout))}  # type: ignore[call-overload]


def from_json(data: dict[str, Any]) -> Layout:
    kind, fields = data["kind"], dict(data["fields"])
    if kind == "packing":
        fields["lines"] = [PackingLine(**{**line, "price": Decimal(line["price"])
                                          if line.get("price") is not None else None})
                           for line in fields["lines"]]
    elif kind == "picklist":
        fields["lines"] = [PickLine(**line) for line in fields["lines"]]
    for key in ("closed_at", "created_at"):
        if fields.get(key):
            fields[key] = datetime.fromisoformat(fields[key])
    layout: Layout = _TYPES[kind](**fields)
    return layout
