"""Pick: bind an empty basket to an order, confirm the pick; or take a wave and walk it
(:mod:`pickpack.core.flows.pick_wave`)."""

from __future__ import annotations

from pickpack.commands import COMMON, CommandSpec
from pickpack.core.classify import Classified
from pickpack.core.context import Floor
from pickpack.core.flows.base import Outcome, StationFlow
from pickpack.core.flows.pick_wave import (
    case_or,
    held_by_other,
    placed,
    taken,
    walk_prompt,
    wave_scanned,
)
from pickpack.core.pick import basket_scanned, bind_basket, confirm_pick, put_away
from pickpack.core.refusal import Refusal
from pickpack.core.unexpected import not_expected
from pickpack.core.waves.picking import (
    WavePick,
    claim_next_wave,
    claim_wave,
    finish_wave,
    pick_unit,
)
from pickpack.i18n import N_, _


class PickFlow(StationFlow):
    mode = "pick"
    COMMANDS = (
        CommandSpec("DONE", N_("Pick done"), N_("Confirms the pick of the order in the basket")),
        CommandSpec("CANCEL", N_("Cancel"), N_("Clears the basket scanned for the next order")),
        CommandSpec("PUTAWAY", N_("Put away"),
                    N_("Puts a cancelled order's goods back to their bins (with its basket)")),
        CommandSpec("NEXT", N_("Next wave"), N_("Takes the next wave of orders to pick")),
        *COMMON,
    )

    def __init__(self, floor: Floor, station_id: str) -> None:
        super().__init__(floor, station_id)
        self.basket: str | None = None
        self.put_away_basket: str | None = None
        """A scanned basket that holds a cancelled order's goods: CMD:PUTAWAY puts them back."""
        self.put_away_armed = False
        """CMD:PUTAWAY came first: the next basket scanned is put away."""
        self.wave: WavePick | None = None
        """The wave in the picker's hands (its walk and progress)."""

    def do_logout(self) -> Outcome:
        self._forget()  # the wave stays the picker's in the store; this station lets it go
        return super().do_logout()

    def check_idle(self) -> Outcome | None:
        logged_out = super().check_idle()
        if logged_out is not None:
            self._forget()
        return logged_out

    def _login(self, badge: str) -> Outcome:
        if self.operator is not None and self.operator.code != badge:
            self._forget()
        return super()._login(badge)

    def _forget(self) -> None:
        """What this station showed of the operator's work: gone when they leave."""
        self.wave, self.basket = None, None
        self.put_away_basket, self.put_away_armed = None, False

    def idle_prompt(self) -> str:
        if self.wave is not None:
            return walk_prompt(self.wave)
        if self.put_away_armed:
            return _("Scan the basket to put away")
        if self.put_away_basket is not None:
            return _("Put the goods of basket {b} back to their bins, then scan CMD:PUTAWAY "
                     "(or CMD:CANCEL)").format(b=self.put_away_basket)
        if self.order is not None:
            return _("Pick the lines, then scan CMD:DONE")
        return (_("Scan the slip or order") if self.basket
                else _("Scan an empty basket, a wave's pick list or CMD:NEXT"))

    def on_scan(self, item: Classified) -> Outcome:
        if self.wave is not None:
            return self._walk(item, self.wave)
        wave = wave_scanned(item) if self.order is None else None
        if wave is not None:
            self.wave = held_by_other(self.floor, lambda: claim_wave(self.floor, self.actor, wave))
            self.basket = None
            return taken(self.wave)
        if item.kind == "command" and item.value == "NEXT" and self.order is None:
            self.wave = claim_next_wave(self.floor, self.actor)
            if self.wave is None:
                return Outcome(True, _("No wave is waiting"), self.prompt())
            self.basket = None
            return taken(self.wave)
        if item.kind == "basket" and self.order is None:
            if self.put_away_armed:
                return self._put_away(item.value)
            self.basket = self.put_away_basket = None
            cancelled = basket_scanned(self.floor, self.actor, item.value)
            if cancelled is not None:
                self.put_away_basket = item.value
                return Outcome(True, _("Basket {b} holds cancelled order {o}").format(
                    b=item.value, o=cancelled), self.prompt(), data={"put_away": item.value})
            self.basket = item.value
            return Outcome(True, _("Basket {b}").format(b=item.value), self.prompt())
        if item.kind == "command" and item.value == "PUTAWAY" and self.order is None:
            if self.put_away_basket is not None:
                return self._put_away(self.put_away_basket)
            self.put_away_armed, self.basket = True, None
            return Outcome(True, _("Put away"), self.prompt())
        if self.put_away_basket is not None or self.put_away_armed:
            if item.kind == "command" and item.value == "CANCEL":
                self.put_away_basket, self.put_away_armed = None, False
                return Outcome(True, _("Cleared"), self.prompt())
            raise Refusal("put_away_first", "Put the basket's goods away first (CMD:PUTAWAY), "
                          "or CMD:CANCEL")
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
        raise not_expected(self.floor, self.actor, item, self.idle_prompt())

    def _walk(self, item: Classified, wave: WavePick) -> Outcome:
        if item.kind == "command" and item.value == "DONE":
            done = finish_wave(self.floor, self.actor, wave.id)
            self.wave = None
            return Outcome(True, _("Wave {w} picked: to verify").format(w=done.code),
                           self.prompt(), data={"wave": done.code})
        if item.kind == "command" and item.value == "CANCEL":
            self.wave = None
            return Outcome(True, _("Wave {w} stays yours: scan it again to carry on").format(
                w=wave.code), self.prompt())
        if item.kind == "item":
            try:
                picked = pick_unit(self.floor, self.actor, wave.id, item.value)
            except Refusal as refusal:
                if refusal.code != "too_many":
                    raise
                raise case_or(self.floor, item.value, refusal) from None
            self.wave = picked.wave
            return placed(picked)
        raise not_expected(self.floor, self.actor, item, self.idle_prompt())

    def _put_away(self, basket: str) -> Outcome:
        self.put_away_basket, self.put_away_armed = None, False
        lines = put_away(self.floor, self.actor, basket)
        units = sum(int(str(line["qty"])) for line in lines)
        return Outcome(True, _("Basket {b} put away: {n} units back to their bins").format(
            b=basket, n=units), self.prompt(), data={"put_away_lines": lines})
