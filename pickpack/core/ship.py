"""Ship: parcels scanned into their courier's handover manifest; closing it ships them.

A ship station keeps one open manifest per courier, side by side, in the store (not in the
station's memory): they survive a logout and a restart. A parcel is taken off its manifest by
scan (``CMD:REMOVE`` then the parcel). A parcel cancelled after it was scanned on (intercepted)
never blocks a handover: the close leaves it out and says so, and it stays listed, since it is
physically in the courier's cage, until it is scanned off.

No parcel is handed over whose express slip never printed (wherever ``[workflow] print_at``
prints it); a local-pickup order (courier ``PICKUP``, no waybill) needs none: it is scanned by
its order number onto the ``PICKUP`` manifest once its packing slip printed
(pickpack.core.couriers.pickup).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Connection, select, update

from pickpack.core.authority import still_supervisor
from pickpack.core.context import Floor, check_at_step, lock_order, move
from pickpack.core.couriers.pickup import PICKUP, packing_printed, pickup_count
from pickpack.core.events import Actor, append_event, now
from pickpack.core.handover import (
    HANDOVER_REASONS,
    HandoverCount,
    count_handover,
    difference,
    express_printed_at,
    queue_manifest_slip,
)
from pickpack.core.lifecycle import CANCELLED, HELD, SHIPPED, states_before
from pickpack.core.operators import OperatorInfo
from pickpack.core.orders import require_order_id
from pickpack.core.refusal import Refusal, scan_fields
from pickpack.core.stock.ledger import ship_stock
from pickpack.core.tables import MANIFESTS, ORDERS
from printers import Manifest

LEFT_OUT = (CANCELLED, HELD)
"""States of a parcel on a manifest that a close leaves out (and lists) instead of failing."""


@dataclass(frozen=True, slots=True)
class Parcel:
    order_no: str
    tracking_no: str
    state: str

    @property
    def intercepted(self) -> bool:
        return self.state in LEFT_OUT


@dataclass(frozen=True, slots=True)
class ManifestView:
    id: int
    courier: str
    count: int
    """Parcels on it that will be (or were) handed over: intercepted ones are not counted."""
    closed: bool
    tracking: list[str]
    """Every parcel on it, in the order they were scanned on (intercepted ones too)."""
    parcels: list[Parcel] = field(default_factory=list)

    @property
    def last(self) -> str:
        """The parcel scanned on last."""
        return self.tracking[-1] if self.tracking else ""

    @property
    def intercepted(self) -> list[Parcel]:
        return [p for p in self.parcels if p.intercepted]


@dataclass(frozen=True, slots=True)
class Closed:
    """A closed manifest, the parcels the close left out (cancelled or held) and its count."""

    manifest: ManifestView
    left_out: list[Parcel]
    count: HandoverCount | None = None


def _manifest(conn: Connection, manifest_id: int) -> ManifestView:
    m = conn.execute(select(MANIFESTS).where(MANIFESTS.c.id == manifest_id)).one()
    rows = conn.execute(
        select(ORDERS.c.order_no, ORDERS.c.tracking_no, ORDERS.c.state)
        .where(ORDERS.c.manifest_id == manifest_id)
        .order_by(ORDERS.c.manifested_at.is_(None).desc(), ORDERS.c.manifested_at, ORDERS.c.id)
    ).all()
    parcels = [Parcel(r.order_no, r.tracking_no or "", r.state) for r in rows]
    shipping = sum(1 for p in parcels if not p.intercepted)
    return ManifestView(m.id, m.courier, shipping, m.closed_at is not None,
                        [p.tracking_no for p in parcels], parcels)


def open_manifest_id(conn: Connection, actor: Actor, courier: str) -> int:
    """This station's open manifest for ``courier``, opened if there is none."""
    mid = _open_id(conn, actor.station, courier)
    if mid is not None:
        return mid
    result = conn.execute(MANIFESTS.insert().values(
        courier=courier, station=actor.station, operator=actor.operator, opened_at=now(), count=0,
    ))
    new_id = int(result.inserted_primary_key[0])  # type: ignore[index]
    append_event(conn, actor, "manifest_opened", None, {"manifest": new_id, "courier": courier})
    return new_id


def _open_id(conn: Connection, station: str, courier: str) -> int | None:
    mid = conn.execute(select(MANIFESTS.c.id).where(
        MANIFESTS.c.courier == courier, MANIFESTS.c.station == station,
        MANIFESTS.c.closed_at.is_(None)).order_by(MANIFESTS.c.id)).scalar()
    return None if mid is None else int(mid)


def express_printed(conn: Connection, order_id: int) -> bool:
    """True once an express slip of the order came out of a printer: its print job is
    ``printed`` or its ``slip_printed`` event says so (printed at verify, at the desk, from a
    station's journal or reprinted; see pickpack.core.handover)."""
    return order_id in express_printed_at(conn, [order_id])


def scan_parcel(floor: Floor, actor: Actor, key: str) -> ManifestView:
    """Add a parcel to its courier's open manifest at this station."""
    floor.require_central(actor)

    def tx(conn: Connection) -> ManifestView:
        order_id = require_order_id(conn, key)
        row = lock_order(conn, order_id)
        if row.manifest_id is not None and row.state in LEFT_OUT:
            raise Refusal("intercepted", "INTERCEPTED: order {order_no} was cancelled or held — "
                          "CMD:REMOVE then this parcel takes it off manifest {m}",
                          order_no=row.order_no, m=row.manifest_id, order_id=order_id)
        check_at_step(conn, actor, row, "ship", floor.route)
        if row.manifest_id is not None:
            raise Refusal("already_manifested", "Parcel {tracking} is already on manifest {m}",
                          tracking=row.tracking_no, m=row.manifest_id, order_id=order_id)
        if row.courier == PICKUP:  # local pickup: by order number, its packing slip printed
            if not packing_printed(conn, order_id):
                raise Refusal("packing_not_printed",
                              "The packing slip of {order_no} never printed: reprint it first",
                              order_no=row.order_no, order_id=order_id)
        elif not row.courier or not row.tracking_no:
            raise Refusal("no_waybill", "Order {order_no} has no tracking number",
                          order_no=row.order_no, order_id=order_id)
        elif not express_printed(conn, order_id):
            raise Refusal("slip_not_printed",
                          "The express slip of {order_no} never printed: reprint it first",
                          order_no=row.order_no, order_id=order_id)
        mid = open_manifest_id(conn, actor, row.courier)
        conn.execute(update(ORDERS).where(ORDERS.c.id == order_id)
                     .values(manifest_id=mid, manifested_at=now()))
        conn.execute(update(MANIFESTS).where(MANIFESTS.c.id == mid)
                     .values(count=MANIFESTS.c.count + 1))
        append_event(conn, actor, "manifested", order_id,
                     {"manifest": mid, "courier": row.courier, "key": key, **scan_fields(key)})
        return _manifest(conn, mid)

    return floor.run(actor, tx)


def remove_parcel(floor: Floor, actor: Actor, key: str) -> tuple[ManifestView, Parcel]:
    """``CMD:REMOVE`` then the parcel: it comes off its open manifest (an intercepted parcel
    also off the closed manifest that left it out). Returns the manifest and the parcel."""
    floor.require_central(actor)

    def tx(conn: Connection) -> tuple[ManifestView, Parcel]:
        order_id = require_order_id(conn, key)
        row = lock_order(conn, order_id)
        parcel = Parcel(row.order_no, row.tracking_no or "", row.state)
        if row.manifest_id is None:
            raise Refusal("not_manifested", "Parcel {tracking} is on no manifest",
                          tracking=row.tracking_no or row.order_no, order_id=order_id)
        m = conn.execute(select(MANIFESTS).where(MANIFESTS.c.id == row.manifest_id)).one()
        if m.closed_at is not None and not parcel.intercepted:
            raise Refusal("manifest_closed", "Manifest {m} is already closed", m=m.id,
                          order_id=order_id)
        conn.execute(update(ORDERS).where(ORDERS.c.id == order_id)
                     .values(manifest_id=None, manifested_at=None))
        if m.closed_at is None:
            conn.execute(update(MANIFESTS).where(MANIFESTS.c.id == m.id)
                         .values(count=MANIFESTS.c.count - 1))
        append_event(conn, actor, "unmanifested", order_id,
                     {"manifest": m.id, "courier": m.courier, "state": row.state, "key": key,
                      **scan_fields(key)})
        return _manifest(conn, m.id), parcel

    return floor.run(actor, tx)


def manifest_of_parcel(floor: Floor, actor: Actor, key: str) -> int:
    """The open manifest at this station that holds the parcel ``key`` (a close asked by scan)."""
    def tx(conn: Connection) -> int:
        order_id = require_order_id(conn, key)
        row = conn.execute(select(ORDERS.c.manifest_id, ORDERS.c.tracking_no, ORDERS.c.order_no)
                           .where(ORDERS.c.id == order_id)).one()
        open_here = None if row.manifest_id is None else conn.execute(
            select(MANIFESTS.c.id).where(MANIFESTS.c.id == row.manifest_id,
                                         MANIFESTS.c.station == actor.station,
                                         MANIFESTS.c.closed_at.is_(None))).scalar()
        if open_here is None:
            raise Refusal("not_on_open_manifest", "Parcel {tracking} is on no open manifest here",
                          tracking=row.tracking_no or row.order_no, order_id=order_id)
        return int(open_here)

    return floor.run(actor, tx)


def close_manifest(floor: Floor, actor: Actor, manifest_id: int, *,
                   supervisor: OperatorInfo | None = None, reason: str = "") -> Closed:
    """The courier took the parcels: every order on the manifest is shipped, stock goes out.
    Intercepted (cancelled) or held parcels are left out, listed, and stay on it until
    scanned off.

    The manifest is counted against the slips printed for its courier
    (:mod:`pickpack.core.handover`); a difference either way is refused (``handover_difference``,
    recorded) unless a ``supervisor`` (badge and PIN proven) closes it with a ``reason`` code
    of HANDOVER_REASONS. The manifest slip, with the count and signature lines, is queued on
    this station's printer in the same transaction.
    """
    floor.require_central(actor)
    if supervisor is not None and reason not in HANDOVER_REASONS:
        raise Refusal("bad_reason", "Unknown reason code {reason}", reason=reason)

    def tx(conn: Connection) -> Closed:
        m = conn.execute(select(MANIFESTS).where(MANIFESTS.c.id == manifest_id)).one()
        if m.closed_at is not None:
            raise Refusal("manifest_closed", "Manifest {m} is already closed", m=manifest_id)
        rows = [lock_order(conn, oid) for oid in conn.execute(
            select(ORDERS.c.id).where(ORDERS.c.manifest_id == manifest_id)
            .order_by(ORDERS.c.id)).scalars()]
        left_out = [Parcel(r.order_no, r.tracking_no or "", r.state) for r in rows
                    if r.state in LEFT_OUT]
        if len(left_out) == len(rows):
            raise Refusal("manifest_empty", "Manifest {m} has no parcel to hand over",
                          m=manifest_id)
        counted = count_handover if m.courier != PICKUP else pickup_count
        count = counted(conn, m.courier, manifest_id, [r.id for r in rows if r.state in LEFT_OUT])
        approval: dict[str, object] = {}
        if not count.matches:
            if supervisor is None:
                raise difference(manifest_id, count)
            sup = still_supervisor(conn, supervisor)
            approval = {"supervisor": sup.code, "reason": reason,
                        "reason_text": HANDOVER_REASONS[reason]}
        shipped = 0
        for row in rows:
            if row.state in LEFT_OUT:
                continue
            check_at_step(conn, actor, row, "ship", floor.route)
            move(conn, actor, row, SHIPPED, "shipped", {"manifest": manifest_id})
            shipped += 1
            ship_stock(conn, actor, row.id)
        closed_at = now()
        conn.execute(update(MANIFESTS).where(MANIFESTS.c.id == manifest_id)
                     .values(closed_at=closed_at, count=shipped))
        append_event(conn, actor, "manifest_closed", None, {
            "manifest": manifest_id, "courier": m.courier, "count": shipped,
            "left_out": [p.tracking_no or p.order_no for p in left_out],
            "handover": count.payload(), **approval, **scan_fields()})
        view = _manifest(conn, manifest_id)
        queue_manifest_slip(conn, floor, actor, Manifest(
            view.courier, str(view.id),
            [p.tracking_no or p.order_no for p in view.parcels if not p.intercepted],
            closed_at=closed_at), count, approval)
        return Closed(view, left_out, count)

    return floor.run(actor, tx)


def open_manifests(floor: Floor, actor: Actor) -> list[ManifestView]:
    """This station's open manifests, one per courier, oldest first."""
    with floor.engine.connect() as conn:
        ids = list(conn.execute(select(MANIFESTS.c.id).where(
            MANIFESTS.c.station == actor.station, MANIFESTS.c.closed_at.is_(None))
            .order_by(MANIFESTS.c.id)).scalars())
        return [_manifest(conn, i) for i in ids]


def left_out_parcels(floor: Floor, actor: Actor) -> list[tuple[int, str, Parcel]]:
    """Intercepted parcels a close of this station left out and nobody scanned off yet:
    (manifest, courier, parcel)."""
    with floor.engine.connect() as conn:
        rows = conn.execute(
            select(MANIFESTS.c.id, MANIFESTS.c.courier, ORDERS.c.order_no, ORDERS.c.tracking_no,
                   ORDERS.c.state)
            .join(ORDERS, ORDERS.c.manifest_id == MANIFESTS.c.id)
            .where(MANIFESTS.c.station == actor.station, MANIFESTS.c.closed_at.is_not(None),
                   ORDERS.c.state.in_(LEFT_OUT))
            .order_by(MANIFESTS.c.id, ORDERS.c.id)).all()
        return [(r.id, r.courier, Parcel(r.order_no, r.tracking_no or "", r.state)) for r in rows]


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
