"""The pick station's wave walk: a picker scans a wave's pick list (its code, ``W000123``, or
``CMD:WAVE:W000123``) or takes the next (``CMD:NEXT``); each item scanned says which slot it
goes to (a single-item wave: the tote); ``CMD:DONE`` ends the wave once every unit is in.

The wave code is recognised here, before the classifier's reading of it is consulted: a code
of that shape that the store holds as something else is still a wave code at the pick station
only while no order is open.
"""

from __future__ import annotations

from collections.abc import Callable

from pickpack.core.classify import Classified
from pickpack.core.context import Floor
from pickpack.core.flows.base import Outcome
from pickpack.core.operators import operator_row
from pickpack.core.refusal import Refusal
from pickpack.core.verify import case_refused, lookup_barcode
from pickpack.core.waves.picking import UnitPicked, WavePick, item_aliases
from pickpack.core.waves.tables import WAVE_CODE
from pickpack.i18n import _

NOT_A_WAVE = ("operator", "basket")


def wave_scanned(item: Classified) -> str | None:
    """The wave a scan names: ``CMD:WAVE:<code>`` or a code of the wave's shape; else None."""
    if item.kind == "command":
        return item.argument if item.value == "WAVE" and item.argument else None
    if item.kind in NOT_A_WAVE:
        return None
    code = item.value.strip().upper()
    return code if WAVE_CODE.fullmatch(code) else None


def walk_prompt(wave: WavePick) -> str:
    """What the picker does next: the next bin and what to take there, or CMD:DONE."""
    stop = wave.next_stop
    if stop is None:
        return _("Everything is picked: scan CMD:DONE")
    return _("Go to {bin}: {sku} {name}, {n} to pick").format(
        bin=stop.bin or "-", sku=stop.sku, name=stop.name, n=stop.total - stop.picked)


def taken(wave: WavePick) -> Outcome:
    skipped = "".join(_("; slot {s} stays empty: order {o} is {state}").format(
        s=slot, o=order_no, state=state) for slot, order_no, state in wave.skipped)
    where = _("one tote") if wave.kind == "single" else _("one slot per order")
    msg = _("Wave {w}: {n} units into {where}").format(w=wave.code, n=wave.left, where=where)
    return Outcome(True, msg + skipped, walk_prompt(wave), data={"wave": wave.code})


def placed(picked: UnitPicked) -> Outcome:
    """Where the units just scanned go: the slot (or slots, for a case), or the tote."""
    wave = picked.wave
    if wave.kind == "single":
        where = _("into the tote")
    else:
        where = _("into slot {slots}").format(slots=", ".join(
            f"{slot}×{n}" if n > 1 else str(slot) for slot, n in picked.slots))
    return Outcome(True, f"{picked.sku} → {where}", walk_prompt(wave),
                   data={"wave": wave.code, "slots": picked.slots})


def held_by_other(floor: Floor, claim: Callable[[], WavePick]) -> WavePick:
    """``claim`` the wave; when another picker holds it, say who (by name) and how it comes
    back (a supervisor's ``pickpack wave handback``)."""
    try:
        return claim()
    except Refusal as refusal:
        if refusal.code != "wave_taken":
            raise
        wave, picker = refusal.params["wave"], str(refusal.params["picker"])
        with floor.engine.connect() as conn:
            row = operator_row(conn, picker)
        said = Refusal("wave_taken", "Wave {wave} is being picked by {name} ({picker}): a "
                       "supervisor can hand it back (pickpack wave handback {wave})", wave=wave,
                       picker=picker, name=row.name if row is not None else picker)
        said.recorded = refusal.recorded  # in the trail once
        raise said from None


def case_or(floor: Floor, code: str, refusal: Refusal) -> Refusal:
    """A ``too_many`` of a case barcode said as a case code (what to do); else ``refusal``."""
    with floor.engine.connect() as conn:
        found = next((hit for alias in item_aliases(code)
                      if (hit := lookup_barcode(conn, alias)) is not None), None)
    if found is None or found[1] <= 1:
        return refusal
    said = case_refused(found[0], code, found[1])
    said.recorded = refusal.recorded  # in the trail once (as too_many)
    return said
