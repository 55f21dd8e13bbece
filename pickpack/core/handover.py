"""Handover counts: what a manifest hands over against what the floor printed for that courier.

At close, a manifest's parcels are compared, warehouse-wide for its courier, with the parcels
whose express slip printed since that courier's last closed manifest and that are packed or
weighed now (so neither cancelled nor shipped), their waybill not voided. The difference is
listed both ways: printed but not handed over (still on the floor, or lost), and handed over
without a slip. Parcels of that courier already on another open manifest (another ship
station's cage) are counted apart: they leave with that one. A close with a difference needs a
supervisor and a reason (:func:`pickpack.core.ship.close_manifest`).

"Slip printed" is read from what the store holds: a ``print_job`` of kind ``express`` in state
``printed``, or a ``slip_printed`` event whose payload kind is ``express``.
"""

from __future__ import annotations

import gettext
import json
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection, or_, select

from db.models_desk import VoidWaybill
from pickpack.core.context import Floor
from pickpack.core.events import Actor
from pickpack.core.lifecycle import PACKED, WEIGHED
from pickpack.core.refusal import Refusal
from pickpack.core.tables import EVENTS, MANIFESTS, OPERATORS, ORDERS, PRINT_JOBS
from pickpack.i18n import DOMAIN, LOCALE_DIR, N_
from printers import Manifest

VOID_WAYBILLS = VoidWaybill.__table__  # type: ignore[attr-defined]
AT_HANDOVER = (PACKED, WEIGHED)
"""States of a parcel the floor still owes the courier: packed or weighed, not shipped."""
HANDOVER_REASONS: dict[str, str] = {
    "D1": N_("parcel still on the floor: it leaves with the next manifest"),
    "D2": N_("parcel missing: reported to the desk"),
    "D3": N_("slip counted by hand (printer log checked)"),
}
"""Why a supervisor closes a manifest whose count differs (scanned as ``R:D1``…)."""
_SLIP_LANGUAGE = gettext.translation(DOMAIN, LOCALE_DIR, languages=["zh_CN"], fallback=True)
"""The manifest slip is printed in Chinese (its labels are), whatever a station speaks."""


class HandoverParcel(NamedTuple):
    order_no: str
    tracking_no: str


@dataclass(frozen=True, slots=True)
class HandoverCount:
    """A manifest's count at close against the slips printed for its courier."""

    courier: str
    since: datetime | None
    """When the courier's last manifest was closed (None: never)."""
    handed: int
    """Parcels the manifest hands over (intercepted ones left out)."""
    printed: int
    """Parcels of the courier printed since, packed or weighed, waybill not voided."""
    missing: list[HandoverParcel] = field(default_factory=list)
    """Printed but not handed over (and on no other open manifest)."""
    unslipped: list[HandoverParcel] = field(default_factory=list)
    """Handed over with no express slip printed for their waybill."""
    elsewhere: int = 0
    """Printed parcels of the courier on another open manifest."""

    @property
    def matches(self) -> bool:
        return not self.missing and not self.unslipped

    def payload(self) -> dict[str, object]:
        """For the ``manifest_closed`` event (and the manifest slip)."""
        return {"printed": self.printed, "handed": self.handed, "elsewhere": self.elsewhere,
                "since": self.since.isoformat() if self.since else None,
                "missing": [p.tracking_no or p.order_no for p in self.missing],
                "unslipped": [p.tracking_no or p.order_no for p in self.unslipped]}


def _utc(at: datetime | None) -> datetime | None:
    if at is None:
        return None
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def last_close(conn: Connection, courier: str) -> datetime | None:
    """When ``courier``'s last manifest was closed, at any station."""
    return _utc(conn.execute(select(MANIFESTS.c.closed_at).where(
        MANIFESTS.c.courier == courier, MANIFESTS.c.closed_at.is_not(None))
        .order_by(MANIFESTS.c.closed_at.desc()).limit(1)).scalar())


def express_printed_at(conn: Connection, order_ids: Iterable[int]) -> dict[int, datetime]:
    """Per order, when its express slip last printed (print queue or ``slip_printed`` event);
    orders never printed are absent."""
    ids = sorted(set(order_ids))
    out: dict[int, datetime] = {}

    def keep(oid: int, at: datetime | None) -> None:
        at = _utc(at)
        if at is not None and (oid not in out or at > out[oid]):
            out[oid] = at

    for start in range(0, len(ids), 500):
        part = ids[start:start + 500]
        for oid, at in conn.execute(select(PRINT_JOBS.c.order_id, PRINT_JOBS.c.printed_at).where(
                PRINT_JOBS.c.order_id.in_(part), PRINT_JOBS.c.kind == "express",
                PRINT_JOBS.c.state == "printed")):
            keep(int(oid), at)
        for oid, payload, at in conn.execute(select(EVENTS.c.order_id, EVENTS.c.payload,
                                                    EVENTS.c.at).where(
                EVENTS.c.order_id.in_(part), EVENTS.c.kind == "slip_printed")):
            if json.loads(payload).get("kind") == "express":
                keep(int(oid), at)
    return out


def count_handover(conn: Connection, courier: str, manifest_id: int,
                   left_out: Iterable[int] = ()) -> HandoverCount:
    """The manifest's count against the slips printed for ``courier`` (module docstring);
    ``left_out``: order ids on the manifest the close leaves out (intercepted)."""
    since = last_close(conn, courier)
    out = set(left_out)
    query = select(ORDERS.c.id, ORDERS.c.order_no, ORDERS.c.tracking_no, ORDERS.c.state,
                   ORDERS.c.manifest_id).where(
        ORDERS.c.courier == courier,
        or_(ORDERS.c.manifest_id == manifest_id, ORDERS.c.state.in_(AT_HANDOVER)))
    rows: list[Any] = list(conn.execute(query))
    voided = set(conn.execute(select(VOID_WAYBILLS.c.tracking_no).where(
        VOID_WAYBILLS.c.tracking_no.in_([r.tracking_no for r in rows if r.tracking_no])))
        .scalars())
    printed_at = express_printed_at(conn, [r.id for r in rows])
    open_elsewhere = set(conn.execute(select(MANIFESTS.c.id).where(
        MANIFESTS.c.courier == courier, MANIFESTS.c.closed_at.is_(None),
        MANIFESTS.c.id != manifest_id)).scalars())
    handed = [r for r in rows if r.manifest_id == manifest_id and r.id not in out]
    handed_ids = {r.id for r in handed}

    def slipped(r: Any) -> bool:  # noqa: ANN401 - a row of the query above
        return r.id in printed_at and r.tracking_no not in voided

    owed = [r for r in rows if r.id not in out and slipped(r) and (
        r.id in handed_ids  # printed before the last close, handed over now
        or (r.state in AT_HANDOVER and (since is None or printed_at[r.id] > since)))]
    elsewhere = [r for r in owed if r.manifest_id in open_elsewhere]
    missing = [r for r in owed if r.id not in handed_ids and r.manifest_id not in open_elsewhere]
    unslipped = [r for r in handed if not slipped(r)]
    return HandoverCount(courier, since, len(handed), len(owed) - len(elsewhere),
                         _parcels(missing), _parcels(unslipped), len(elsewhere))


def _parcels(rows: list[Any]) -> list[HandoverParcel]:
    return [HandoverParcel(r.order_no, r.tracking_no or "") for r in rows]


def difference(manifest_id: int, count: HandoverCount) -> Refusal:
    """The refusal of a close whose count differs: both lists, for the screen and the trail."""
    return Refusal(
        "handover_difference",
        "Manifest {m}: {handed} parcels, {printed} slips printed for {courier}; not handed over: "
        "{missing}; without a slip: {unslipped}. A supervisor closes it with a reason",
        m=manifest_id, handed=count.handed, printed=count.printed, courier=count.courier,
        missing=" ".join(p.tracking_no or p.order_no for p in count.missing) or "-",
        unslipped=" ".join(p.tracking_no or p.order_no for p in count.unslipped) or "-")


def queue_manifest_slip(conn: Connection, floor: Floor, actor: Actor, manifest: Manifest,
                        count: HandoverCount, approval: dict[str, object]) -> None:
    """The manifest slip the courier signs, with the handover count, its differences and who
    closed it despite them, queued on this station's printer in the close's own transaction."""
    from pickpack.printing.queue import PrintQueue  # the print stack is loaded when used
    from pickpack.printing.slips import manifest_on_floor

    badge = str(approval.get("supervisor", ""))
    name = conn.execute(select(OPERATORS.c.name).where(OPERATORS.c.code == badge)).scalar() \
        if badge else None
    reason = str(approval.get("reason_text", ""))
    layout = replace(manifest_on_floor(manifest, floor.config), printed=count.printed,
                     missing=[p.tracking_no or p.order_no for p in count.missing],
                     unslipped=[p.tracking_no or p.order_no for p in count.unslipped],
                     supervisor=f"{badge} {name}" if name else badge,
                     reason=_SLIP_LANGUAGE.gettext(reason) if reason else "")
    PrintQueue(floor.engine, floor.config, actor).add_job(conn, "manifest", None, layout)
