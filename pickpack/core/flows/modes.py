"""The five floor stations as flows: pick, verify, pack, weigh, ship."""

from __future__ import annotations

from dataclasses import replace

from pickpack.core.classify import Classified
from pickpack.core.context import Floor
from pickpack.core.flows.base import Outcome, StationFlow
from pickpack.core.orders import OrderView
from pickpack.core.overrides import hold
from pickpack.core.pack import CARTONS, open_for_pack, pack_order
from pickpack.core.pick import bind_basket, confirm_pick
from pickpack.core.refusal import Refusal
from pickpack.core.ship import close_manifest, scan_parcel
from pickpack.core.verify import count_item, open_for_verify, reset_counts, uncount_last
from pickpack.core.weigh import Expected, open_for_weigh, record_weight
from pickpack.i18n import _

ORDER_KEYS = ("tracking", "order", "basket")


class PickFlow(StationFlow):
    mode = "pick"

    def __init__(self, floor: Floor, station_id: str) -> None:
        super().__init__(floor, station_id)
        self.basket: str | None = None

    def idle_prompt(self) -> str:
        if self.order is not None:
            return _("Pick the lines, then scan CMD:DONE")
        return _("Scan the slip or order") if self.basket else _("Scan an empty basket")

    def on_scan(self, item: Classified) -> Outcome:
        if item.kind == "basket" and self.order is None:
            self.basket = item.value
            return Outcome(True, _("Basket {b}").format(b=item.value), self.prompt())
        if item.kind in ("tracking", "order") and self.order is None:
            if self.basket is None:
                raise Refusal("basket_first", "Scan an empty basket first")
            self.order = bind_basket(self.floor, self.actor, self.basket, item.value)
            return Outcome(True, _("Basket {b} → order {o}").format(b=self.basket,
                           o=self.order.order_no), self.prompt(), order=self.order)
        if item.kind == "command" and item.value == "DONE" and self.order is not None:
            done = confirm_pick(self.floor, self.actor, self.order.id)
            self.order, self.basket = None, None
            return Outcome(True, _("Picked {o}").format(o=done.order_no), self.prompt(), order=done)
        if item.kind == "command" and item.value == "CANCEL":
            self.basket = None
            return Outcome(True, _("Cleared"), self.prompt(), order=self.order)
        raise Refusal("unexpected", "Not expected here: {scanned}", scanned=item.value)


class VerifyFlow(StationFlow):
    mode = "verify"

    def __init__(self, floor: Floor, station_id: str) -> None:
        super().__init__(floor, station_id)
        self.multiplier = 1

    def idle_prompt(self) -> str:
        if self.order is None:
            return _("Scan the express slip, basket or order")
        return _("Scan the items ({done}/{total})").format(
            done=sum(min(line.scanned, line.qty) for line in self.order.lines),
            total=self.order.units)

    def set_quantity(self, n: int) -> Outcome:
        """CMD:QTY:n or a typed count: the next item scan counts n times."""
        if not 0 < n <= 9999:
            raise Refusal("bad_qty", "Quantity must be 1–9999, not {n}", n=n)
        self.multiplier = n
        return Outcome(True, _("Next item counts ×{n}").format(n=n), self.prompt(),
                       order=self.order)

    def on_scan(self, item: Classified) -> Outcome:
        if item.kind in ORDER_KEYS:
            if self.order is not None and not self.order.complete:
                raise Refusal("order_open", "Finish order {o} first (or CMD:CANCEL)",
                              o=self.order.order_no)
            self.order = open_for_verify(self.floor, self.actor, item.value)
            return Outcome(True, _("Order {o}").format(o=self.order.order_no), self.prompt(),
                           order=self.order)
        if item.kind == "command":
            return self._command(item)
        if item.kind == "item":
            if self.order is None:
                raise Refusal("no_order", "Scan the express slip or basket first")
            times, self.multiplier = self.multiplier, 1
            counted = count_item(self.floor, self.actor, self.order.id, item, times)
            order = _with_count(self.order, counted.line_id, counted.scanned)
            msg = _("{sku} {n}/{qty}").format(sku=counted.sku, n=counted.scanned, qty=counted.qty)
            if counted.complete:
                self.order = None
                if self.on_event:
                    self.on_event("verified", order)
                return Outcome(True, _("Verified {o} ✓").format(o=order.order_no),
                               self.prompt(), order=order, data={"complete": True})
            self.order = order
            return Outcome(True, msg, self.prompt(), order=order)
        raise Refusal("unexpected", "Not expected here: {scanned}", scanned=item.value)

    def _command(self, item: Classified) -> Outcome:
        if item.value == "QTY":
            return self.set_quantity(int(item.argument or "1"))
        if self.order is None:
            raise Refusal("no_order", "Scan the express slip or basket first")
        if item.value == "UNDO":
            uncount_last(self.floor, self.actor, self.order.id)
            self.order = self._reload()
            return Outcome(True, _("Last scan taken back"), self.prompt(), order=self.order)
        if item.value == "RESET":
            self.order = reset_counts(self.floor, self.actor, self.order.id)
            return Outcome(True, _("Count started again"), self.prompt(), order=self.order)
        if item.value == "HOLD":
            held = hold(self.floor, self.actor, self.order.id, item.argument or "verify problem")
            self.order = None
            return Outcome(True, _("Order {o} held").format(o=held.order_no), self.prompt(),
                           order=held)
        if item.value == "CANCEL":
            self.order, self.multiplier = None, 1
            return Outcome(True, _("Put aside; counts are kept"), self.prompt())
        raise Refusal("unexpected", "Not expected here: {scanned}", scanned=item.value)

    def _reload(self) -> OrderView:
        from pickpack.core.orders import load_order

        assert self.order is not None
        with self.floor.engine.connect() as conn:
            return load_order(conn, self.order.id)

    def after_override(self, kind: str) -> Outcome:
        done = self.order
        self.order = None
        if self.on_event and done is not None:
            self.on_event("verified", done)
        return Outcome(True, _("Shipped short by supervisor"), self.prompt(), order=done)


def _with_count(order: OrderView, line_id: int, scanned: int) -> OrderView:
    """The order as shown, with one line's committed count updated (no re-read per scan)."""
    lines = [replace(line, scanned=scanned) if line.id == line_id else line for line in order.lines]
    return replace(order, lines=lines)


class PackFlow(StationFlow):
    mode = "pack"

    def idle_prompt(self) -> str:
        if self.order is None:
            return _("Scan the order")
        return _("Scan the carton: {cartons}").format(cartons=" ".join(CARTONS))

    def on_scan(self, item: Classified) -> Outcome:
        if item.kind in ORDER_KEYS:
            self.order = open_for_pack(self.floor, self.actor, item.value)
            return Outcome(True, _("Order {o}").format(o=self.order.order_no), self.prompt(),
                           order=self.order)
        if item.kind == "command" and item.value == "CARTON":
            return self.choose_carton((item.argument or "").upper())
        raise Refusal("unexpected", "Not expected here: {scanned}", scanned=item.value)

    def choose_carton(self, carton: str) -> Outcome:
        if self.order is None:
            raise Refusal("no_order", "Scan the order first")
        if carton not in CARTONS:
            raise Refusal("bad_carton", "Unknown carton {c}", c=carton)
        packed = pack_order(self.floor, self.actor, self.order.id, carton)
        self.order = None
        return Outcome(True, _("Packed {o} in {c}").format(o=packed.order_no, c=carton),
                       self.prompt(), order=packed)


class WeighFlow(StationFlow):
    mode = "weigh"

    def __init__(self, floor: Floor, station_id: str) -> None:
        super().__init__(floor, station_id)
        self.expected: Expected | None = None

    def idle_prompt(self) -> str:
        return _("Scan the parcel") if self.order is None else _("Put the parcel on the scale")

    def on_scan(self, item: Classified) -> Outcome:
        if item.kind in ORDER_KEYS:
            self.order, self.expected = open_for_weigh(self.floor, self.actor, item.value)
            return Outcome(True, _("Order {o}: expect {lo:.0f}–{hi:.0f} g").format(
                o=self.order.order_no, lo=self.expected.low, hi=self.expected.high),
                self.prompt(), order=self.order)
        raise Refusal("unexpected", "Not expected here: {scanned}", scanned=item.value)

    def on_weight(self, weight_g: float, stable: bool) -> Outcome | None:
        """A scale reading; a stable one for the open order is recorded without a key."""
        if self.order is None or not stable or self.awaiting_ack or self.operator is None:
            return None
        if weight_g < 1:
            return None  # empty platter
        try:
            result = record_weight(self.floor, self.actor, self.order.id, weight_g, stable=True)
        except Refusal as refusal:
            return self.alert(refusal)
        self.order = result.order
        if result.accepted:
            self.order, self.expected = None, None
            return Outcome(True, _("{w:.0f} g ✓ {o}").format(w=weight_g, o=result.order.order_no),
                           self.prompt(), order=result.order)
        self.awaiting_ack = True
        return Outcome(False, _("WEIGHT OUT OF TOLERANCE: {w:.0f} g, expected {lo:.0f}–{hi:.0f} g "
                                "— held").format(w=weight_g, lo=result.expected.low,
                                                 hi=result.expected.high),
                       _("Supervisor: CMD:ACCEPT to accept the weight"), alert=True,
                       code="weight_out_of_tolerance", order=result.order)

    def after_override(self, kind: str) -> Outcome:
        done, self.order, self.expected = self.order, None, None
        return Outcome(True, _("Weight accepted by supervisor"), self.prompt(), order=done)


class ShipFlow(StationFlow):
    mode = "ship"

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


FLOWS: dict[str, type[StationFlow]] = {
    "pick": PickFlow, "verify": VerifyFlow, "pack": PackFlow, "weigh": WeighFlow, "ship": ShipFlow,
}


def make_flow(floor: Floor, mode: str, station_id: str) -> StationFlow:
    try:
        return FLOWS[mode](floor, station_id)
    except KeyError:
        raise ValueError(f"no station flow for mode {mode!r}") from None
