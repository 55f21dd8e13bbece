"""Ship: parcels scanned into their courier's handover manifest; closing it ships them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select, update

from pickpack.core.context import Floor, check_at_step, lock_order, move
from pickpack.core.events import Actor, append_event, now
from pickpack.core.lifecycle import SHIPPED, states_before
from pickpack.core.orders import require_order_id
from pickpack.core.refusal import Refusal
from pickpack.core.tables import LINES, MANIFESTS, ORDERS, PRINT_JOBS, SKUS


@dataclass(frozen=True, slots=True)
class ManifestView:
    id: int
    courier: str
    count: int
    closed: bool
    tracking: list[str]


def _manifest(conn: Connection, manifest_id: int) -> ManifestView:
    m = conn.execute(select(MANIFESTS).where(MANIFESTS.c.id == manifest_id)).one()
    tracking = list(conn.execute(
        select(ORDERS.c.tracking_no).where(ORDERS.c.manifest_id == manifest_id).order_by(ORDERS.c.id)
    ).scalars())
    return ManifestView(m.id, m.courier, len(tracking), m.closed_at is not None,
                        [t or "" for t in tracking])


def open_manifest_id(conn: Connection, actor: Actor, courier: str) -> int:
    """This station's open manifest for ``courier``, opened if there is none."""
    mid = conn.execute(
        select(MANIFESTS.c.id).where(
            MANIFESTS.c.courier == courier, MANIFESTS.c.station == actor.station,
            MANIFESTS.c.closed_at.is_(None),
        )
    ).scalar()
    if mid is not None:
        return int(mid)
    result = conn.execute(MANIFESTS.insert().values(
        courier=courier, station=actor.station, operator=actor.operator, opened_at=now(), count=0,
    ))
    new_id = int(result.inserted_primary_key[0])  # type: ignore[index]
    append_event(conn, actor, "manifest_opened", None, {"manifest": new_id, "courier": courier})
    return new_id


def express_unprinted(conn: Connection, order_id: int) -> bool:
    """True when an express slip was queued for the order and never taken by a printer."""
    states = set(conn.execute(
        select(PRINT_JOBS.c.state).where(PRINT_JOBS.c.order_id == order_id,
                                         PRINT_JOBS.c.kind == "express")
    ).scalars())
    return bool(states) and "printed" not in states


def scan_parcel(floor: Floor, actor: Actor, key: str) -> ManifestView:
    """Add a parcel to its courier's open manifest at this station."""
    floor.require_central(actor)

    def tx(conn: Connection) -> ManifestView:
        order_id = require_order_id(conn, key)
        row = lock_order(conn, order_id)
        check_at_step(conn, actor, row, "ship", floor.route)
        if row.manifest_id is not None:
            raise Refusal("already_manifested", "Parcel {tracking} is already on manifest {m}",
                          tracking=row.tracking_no, m=row.manifest_id, order_id=order_id)
        if not row.courier or not row.tracking_no:
            raise Refusal("no_waybill", "Order {order_no} has no tracking number",
                          order_no=row.order_no, order_id=order_id)
        if express_unprinted(conn, order_id):
            raise Refusal("slip_not_printed", "The express slip of {order_no} never printed",
                          order_no=row.order_no, order_id=order_id)
        mid = open_manifest_id(conn, actor, row.courier)
        conn.execute(update(ORDERS).where(ORDERS.c.id == order_id).values(manifest_id=mid))
        conn.execute(update(MANIFESTS).where(MANIFESTS.c.id == mid)
                     .values(count=MANIFESTS.c.count + 1))
        append_event(conn, actor, "manifested", order_id, {"manifest": mid, "courier": row.courier})
        return _manifest(conn, mid)

    return floor.run(actor, tx)


def close_manifest(floor: Floor, actor: Actor, manifest_id: int) -> ManifestView:
    """The courier took the parcels: every order on the manifest is shipped, stock goes out."""
    floor.require_central(actor)

    def tx(conn: Connection) -> ManifestView:
        m = conn.execute(select(MANIFESTS).where(MANIFESTS.c.id == manifest_id)).one()
        if m.closed_at is not None:
            raise Refusal("manifest_closed", "Manifest {m} is already closed", m=manifest_id)
        ids = list(conn.execute(
            select(ORDERS.c.id).where(ORDERS.c.manifest_id == manifest_id)).scalars())
        if not ids:
            raise Refusal("manifest_empty", "Manifest {m} has no parcels", m=manifest_id)
        for order_id in ids:
            row = lock_order(conn, order_id)
            check_at_step(conn, actor, row, "ship", floor.route)
            move(conn, actor, row, SHIPPED, "shipped", {"manifest": manifest_id})
            for line in conn.execute(select(LINES.c.sku, LINES.c.qty)
                                     .where(LINES.c.order_id == order_id)):
                conn.execute(update(SKUS).where(SKUS.c.sku == line.sku)
                             .values(on_hand=SKUS.c.on_hand - line.qty))
        conn.execute(update(MANIFESTS).where(MANIFESTS.c.id == manifest_id)
                     .values(closed_at=now(), count=len(ids)))
        append_event(conn, actor, "manifest_closed", None,
                     {"manifest": manifest_id, "courier": m.courier, "count": len(ids)})
        return _manifest(conn, manifest_id)

    return floor.run(actor, tx)


def open_manifests(floor: Floor, actor: Actor) -> list[ManifestView]:
    with floor.engine.connect() as conn:
        ids = conn.execute(select(MANIFESTS.c.id).where(
            MANIFESTS.c.station == actor.station, MANIFESTS.c.closed_at.is_(None))).scalars()
        return [_manifest(conn, i) for i in ids]


def left_behind(floor: Floor) -> list[dict[str, str | None]]:
    """Handover reconciliation: parcels ready to ship but on no manifest yet."""
    waiting = states_before("ship", floor.route)
    with floor.engine.connect() as conn:
        rows = conn.execute(
            select(ORDERS.c.order_no, ORDERS.c.tracking_no, ORDERS.c.courier)
            .where(ORDERS.c.state.in_(waiting), ORDERS.c.manifest_id.is_(None))
            .order_by(ORDERS.c.courier, ORDERS.c.id)
        )
        return [{"order_no": r.order_no, "tracking_no": r.tracking_no, "courier": r.courier}
                for r in rows]
