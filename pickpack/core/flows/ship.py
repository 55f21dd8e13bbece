"""Ship: parcels scanned onto their courier's manifest, handed over at close.

Manifests are per courier and open side by side; which are open is read from the store at each
close, so a logout or a restart loses nothing. ``CMD:CLOSE`` closes the one open manifest; with
several open it asks which, by scan: a parcel on the manifest to close (any parcel of that
courier's cage will do). ``CMD:REMOVE`` then a parcel takes the parcel off its manifest.

A close counts the manifest against the slips printed for its courier (pickpack.core.handover).
A difference is the red alert listing it both ways; after OK, a supervisor closes it anyway with
badge, typed PIN and a reason (``CMD:DIFF:D1``…), or ``CMD:CANCEL`` keeps the manifest open.
"""

from __future__ import annotations

from pickpack.commands import COMMON, CommandSpec
from pickpack.core.classify import Classified
from pickpack.core.context import Floor
from pickpack.core.flows.base import Outcome, StationFlow, _PendingOverride
from pickpack.core.flows.keys import ORDER_KEYS
from pickpack.core.handover import HANDOVER_REASONS
from pickpack.core.refusal import Refusal
from pickpack.core.ship import (
    Closed,
    close_manifest,
    manifest_of_parcel,
    open_manifests,
    remove_parcel,
    scan_parcel,
)
from pickpack.i18n import N_, _

CLOSE_ANYWAY = "close_manifest"
"""The supervisor override of a close whose handover count differs."""
DIFF_REASONS: tuple[CommandSpec, ...] = tuple(
    CommandSpec(f"DIFF:{code}", N_("Handover reason"), text, detail=code)
    for code, text in HANDOVER_REASONS.items())


class ShipFlow(StationFlow):
    mode = "ship"
    COMMANDS = (
        CommandSpec("CLOSE", N_("Close manifest"), N_("Hands the manifest's parcels to the courier")),
        CommandSpec("REMOVE", N_("Take a parcel off"),
                    N_("Then scan a parcel: it comes off its manifest")),
        CommandSpec("CANCEL", N_("Cancel"), N_("Stops a close or a removal that asks for a parcel")),
        *DIFF_REASONS,
        *COMMON,
    )

    def __init__(self, floor: Floor, station_id: str) -> None:
        super().__init__(floor, station_id)
        self.asking: str | None = None
        """'close' or 'remove' while the next parcel scan answers that command."""

    def idle_prompt(self) -> str:
        pending = self.pending
        if pending is not None and pending.kind == CLOSE_ANYWAY:
            if pending.stage == "badge":
                return _("Count differs: supervisor, scan your badge to close anyway "
                         "(CMD:CANCEL: keep it open)")
            if pending.stage == "reason":
                return "  ".join(f"CMD:DIFF:{k} {_(v)}" for k, v in HANDOVER_REASONS.items())
        if self.asking == "close":
            return _("Several manifests are open: scan a parcel of the courier to close "
                     "(CMD:CANCEL: none)")
        if self.asking == "remove":
            return _("Scan the parcel to take off its manifest (CMD:CANCEL: none)")
        return _("Scan parcels into the manifest; CMD:CLOSE when the courier takes them")

    def do_logout(self) -> Outcome:
        self.asking = None
        return super().do_logout()

    def on_scan(self, item: Classified) -> Outcome:
        if item.kind in ORDER_KEYS:
            asking, self.asking = self.asking, None
            if asking == "remove":
                m, parcel = remove_parcel(self.floor, self.actor, item.value)
                return Outcome(True, _("{tracking} taken off {courier} manifest {m}").format(
                    tracking=parcel.tracking_no or parcel.order_no, courier=m.courier, m=m.id),
                    self.prompt(), data={"manifest": m})
            if asking == "close":
                return self._close(manifest_of_parcel(self.floor, self.actor, item.value))
            m = scan_parcel(self.floor, self.actor, item.value)
            return Outcome(True, _("{courier} manifest {m}: {n} parcels").format(
                courier=m.courier, m=m.id, n=m.count), self.prompt(), data={"manifest": m})
        if item.kind == "command" and item.value == "CLOSE":
            self.asking = None
            opened = open_manifests(self.floor, self.actor)
            if not opened:
                raise Refusal("no_manifest", "No open manifest: scan a parcel first")
            if len(opened) == 1:
                return self._close(opened[0].id)
            self.asking = "close"
            return Outcome(True, _("Open: {couriers}").format(
                couriers="  ".join(f"{m.courier} ({m.count})" for m in opened)), self.prompt())
        if item.kind == "command" and item.value == "REMOVE":
            self.asking = "remove"
            return Outcome(True, _("Take a parcel off its manifest"), self.prompt())
        if item.kind == "command" and item.value == "CANCEL":
            self.asking = None
            return Outcome(True, _("Cleared"), self.prompt())
        if item.kind == "command" and item.value == "DIFF":
            raise Refusal("no_close_asked", "No close waits for a supervisor: CMD:CLOSE first")
        raise Refusal("unexpected", "Not expected here: {scanned}", scanned=item.value)

    def _close(self, manifest_id: int) -> Outcome:
        """Close the manifest; a count that differs is the red alert (recorded), and then a
        supervisor's badge, PIN and reason close it anyway."""
        try:
            return self._closed(close_manifest(self.floor, self.actor, manifest_id))
        except Refusal as refusal:
            if refusal.code != "handover_difference":
                raise
            self.pending = _PendingOverride(CLOSE_ANYWAY, manifest_id)
            return self.alert(refusal)

    def _continue_override(self, item: Classified) -> Outcome:
        pending = self.pending
        if pending is None or pending.kind != CLOSE_ANYWAY or pending.stage != "reason":
            return super()._continue_override(item)
        self.pending = None
        if item.kind == "command" and item.value == "CANCEL":
            return Outcome(True, _("Not closed: the manifest stays open"), self.prompt())
        code = (item.argument or "").upper() if item.kind == "command" and item.value == "DIFF" \
            else ""
        if code not in HANDOVER_REASONS or pending.supervisor is None:
            raise Refusal("override_needs_reason", "A close with a difference needs a reason "
                          "code (CMD:DIFF:D1…)")
        return self._closed(close_manifest(self.floor, self.actor, pending.order_id,
                                           supervisor=pending.supervisor, reason=code))

    def enter_pin(self, pin: str) -> Outcome:
        out = super().enter_pin(pin)
        pending = self.pending
        if out.ok and pending is not None and pending.kind == CLOSE_ANYWAY:
            return Outcome(True, out.message, self.prompt())
        return out

    def _closed(self, closed: Closed) -> Outcome:
        m = closed.manifest
        if self.on_event:
            self.on_event("manifest_closed", None)
        message = _("Manifest {m} closed: {n} parcels shipped").format(m=m.id, n=m.count)
        if closed.count is not None:
            message += "  " + _("{p} slips printed for {courier}").format(
                p=closed.count.printed, courier=m.courier)
        data = {"manifest": m, "left_out": closed.left_out, "closed": True, "count": closed.count}
        if not closed.left_out:
            return Outcome(True, message, self.prompt(), data=data)
        # the handover is done, but a parcel must come out of the cage: the red alert, kept
        # until acknowledged
        self.awaiting_ack = True
        message += "  " + _("Left out (intercepted, put aside): {parcels}").format(
            parcels=" ".join(p.tracking_no or p.order_no for p in closed.left_out))
        return Outcome(True, message, self.prompt(), alert=True, code="left_out", data=data)
