"""Ship: parcels scanned onto their courier's manifest, handed over at close."""

from __future__ import annotations

from pickpack.commands import COMMON, CommandSpec
from pickpack.core.classify import Classified
from pickpack.core.context import Floor
from pickpack.core.flows.base import Outcome, StationFlow
from pickpack.core.flows.keys import ORDER_KEYS
from pickpack.core.refusal import Refusal
from pickpack.core.ship import close_manifest, scan_parcel
from pickpack.i18n import N_, _


class ShipFlow(StationFlow):
    mode = "ship"
    COMMANDS = (
        CommandSpec("CLOSE", N_("Close manifest"), N_("Hands the manifest's parcels to the courier")),
        *COMMON,
    )

    def __init__(self, floor: Floor, station_id: str) -> None:
        super().__init__(floor, station_id)
        self.manifest_id: int | None = None

    def idle_prompt(self) -> str:
        return _("Scan parcels into the manifest; CMD:CLOSE when the courier takes them")

    def on_scan(self, item: Classified) -> Outcome:
        if item.kind in ORDER_KEYS:
            m = scan_parcel(self.floor, self.actor, item.value)
            self.manifest_id = m.id
            return Outcome(True, _("{courier} manifest {m}: {n} parcels").format(
                courier=m.courier, m=m.id, n=m.count), self.prompt(), data={"manifest": m})
        if item.kind == "command" and item.value == "CLOSE":
            if self.manifest_id is None:
                raise Refusal("no_manifest", "No open manifest: scan a parcel first")
            m = close_manifest(self.floor, self.actor, self.manifest_id)
            self.manifest_id = None
            if self.on_event:
                self.on_event("manifest_closed", None)
            return Outcome(True, _("Manifest {m} closed: {n} parcels shipped").format(
                m=m.id, n=m.count), self.prompt(), data={"manifest": m})
        raise Refusal("unexpected", "Not expected here: {scanned}", scanned=item.value)
