"""Weigh: a stable reading against the expected weight (goods + packaging) ± tolerance.

A parcel's weight is the first stable reading after its scan that follows a change on the
platter (the scale went back near zero, or the reading moved): the last parcel left on the
scale is never taken for the next one (:class:`Platter`).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from sqlalchemy import Connection, func, select

from pickpack.config import WeighingConfig
from pickpack.core.authority import still_supervisor
from pickpack.core.context import Floor, check_at_step, lock_order, move
from pickpack.core.events import Actor, append_event
from pickpack.core.lifecycle import HELD, WEIGHED
from pickpack.core.operators import OperatorInfo
from pickpack.core.orders import OrderView, load_order, require_order_id
from pickpack.core.overrides import REASONS
from pickpack.core.refusal import Refusal, scan_fields
from pickpack.core.tables import LINES, SKUS


@dataclass(frozen=True, slots=True)
class Expected:
    weight_g: float
    tolerance_g: float

    @property
    def low(self) -> float:
        return self.weight_g - self.tolerance_g

    @property
    def high(self) -> float:
        return self.weight_g + self.tolerance_g

    def accepts(self, weight_g: float) -> bool:
        return self.low <= weight_g <= self.high


EMPTY_G = 10.0
"""Below this many grams the platter is empty (no parcel weighs so little with its packaging)."""
MOVED_G = 10.0
"""A stable reading further than this from the stale one is another load on the platter."""

FRESH, STALE, CLEARED, NOTHING = "fresh", "stale", "cleared", ""


class Platter:
    """What lies on the scale, followed reading by reading, so that a parcel's weight is
    never the one the previous parcel left on it.

    ``expect()`` when a parcel is scanned: a load on the platter then (stable or settling) is
    stale until the scale goes back near zero or a stable reading moves away from it. After
    that, every stable reading that is not near zero is ``fresh`` until :meth:`claim` takes
    one. Readings come from the UI thread, the claim from a worker: a lock keeps them apart.
    """

    def __init__(self, empty_g: float = EMPTY_G, moved_g: float = MOVED_G) -> None:
        self.empty_g = empty_g
        self.moved_g = moved_g
        self._lock = threading.Lock()
        self._last: float | None = None
        """The last reading, stable or not (None: no reading yet)."""
        self._last_stable: float | None = None
        self._expecting = False
        self.stale_g: float | None = None
        """The load that was on the platter at the scan, while it is still there."""

    def empty(self, grams: float) -> bool:
        return grams < self.empty_g

    def expect(self) -> float | None:
        """A parcel was scanned: from now on its weight is awaited. Returns the stale load
        (grams) when one was on the platter at the scan, else None."""
        with self._lock:
            self._expecting = True
            loaded = self._last is not None and not self.empty(self._last)
            before = self._last_stable
            self.stale_g = before if loaded and before is not None and not self.empty(before) \
                else None
            return self.stale_g

    def forget(self) -> None:
        """No parcel is awaited any more (decided elsewhere, or the order was put aside)."""
        with self._lock:
            self._expecting, self.stale_g = False, None

    def reading(self, grams: float, stable: bool) -> str:
        """One reading: ``fresh`` (a stable weight for the awaited parcel), ``stale`` (a stable
        reading of the load that was there at the scan), ``cleared`` (that load just left: the
        next stable reading is the parcel's), else ``""``."""
        with self._lock:
            self._last = grams
            if stable:
                self._last_stable = grams
            if not self._expecting:
                return NOTHING
            if self.stale_g is not None:
                if self.empty(grams):
                    self.stale_g = None
                    return CLEARED
                if not stable or abs(grams - self.stale_g) <= self.moved_g:
                    return STALE if stable else NOTHING
                self.stale_g = None  # another load, settled: the parcel
            return FRESH if stable and not self.empty(grams) else NOTHING

    def claim(self, grams: float) -> bool:
        """Take ``grams`` as the awaited parcel's weight, once: True when it still is fresh
        (awaited, not stale, the platter's last stable reading)."""
        with self._lock:
            ok = (self._expecting and self.stale_g is None and self._last_stable is not None
                  and abs(self._last_stable - grams) <= self.moved_g and not self.empty(grams))
            if ok:
                self._expecting = False
            return ok


@dataclass(frozen=True, slots=True)
class Weighed:
    order: OrderView
    weight_g: float
    expected: Expected
    accepted: bool


def expected_weight(conn: Connection, order_id: int, cfg: WeighingConfig) -> Expected:
    """Σ unit weight × qty + packaging; tolerance is the larger of grams and percent."""
    goods = conn.execute(
        select(func.coalesce(func.sum(SKUS.c.weight_g * LINES.c.qty), 0.0))
        .select_from(LINES.join(SKUS, SKUS.c.sku == LINES.c.sku))
        .where(LINES.c.order_id == order_id)
    ).scalar_one()
    total = float(goods) + cfg.packaging_g
    return Expected(total, max(cfg.tolerance_g, total * cfg.tolerance_pct / 100))


def open_for_weigh(floor: Floor, actor: Actor, key: str) -> tuple[OrderView, Expected]:
    """Open the parcel ``key`` at weigh; its scan (the code as scanned) goes in the trail."""
    def tx(conn: Connection) -> tuple[OrderView, Expected]:
        order_id = require_order_id(conn, key)
        check_at_step(conn, actor, lock_order(conn, order_id), "weigh", floor.route)
        append_event(conn, actor, "weigh_opened", order_id, {"key": key, **scan_fields(key)})
        return load_order(conn, order_id), expected_weight(conn, order_id, floor.config.weighing)

    return floor.run(actor, tx)


@dataclass(frozen=True, slots=True)
class TypedWeight:
    """A weight typed at the station, not read from a scale: a supervisor (badge + PIN,
    :func:`pickpack.core.authority.prove_supervisor`) vouches for it with a reason code."""

    supervisor: OperatorInfo
    reason: str


def record_weight(
    floor: Floor, actor: Actor, order_id: int, weight_g: float, *, stable: bool,
    scan: dict[str, str | None] | None = None, typed: TypedWeight | None = None,
) -> Weighed:
    """Accept a stable weight in tolerance; out of tolerance the order is held with the reason.
    ``scan``: the parcel's scan (raw code, symbology), kept in the event: the weight comes
    from the scale after the scan, outside it. ``typed``: the weight was typed (no scale):
    the event says ``"source": "manual"`` and names the supervisor and the reason; the band
    applies as for a scale's weight."""
    if not stable:
        raise Refusal("unstable", "The scale is not stable yet")
    if typed is not None and typed.reason not in REASONS:
        raise Refusal("bad_reason", "Unknown reason code {reason}", reason=typed.reason)

    def tx(conn: Connection) -> Weighed:
        manual: dict[str, object] = {}
        if typed is not None:
            sup = still_supervisor(conn, typed.supervisor)
            manual = {"source": "manual", "supervisor": sup.code, "reason": typed.reason,
                      "reason_text": REASONS[typed.reason]}
        row = lock_order(conn, order_id)
        check_at_step(conn, actor, row, "weigh", floor.route)
        exp = expected_weight(conn, order_id, floor.config.weighing)
        payload = {"weight_g": round(weight_g, 1), "expected_g": round(exp.weight_g, 1),
                   "tolerance_g": round(exp.tolerance_g, 1), **(scan or {}), **manual}
        if exp.accepts(weight_g):
            move(conn, actor, row, WEIGHED, "weighed", payload, weight_g=weight_g)
            return Weighed(load_order(conn, order_id), weight_g, exp, True)
        reason = f"weight {weight_g:.0f} g, expected {exp.low:.0f}–{exp.high:.0f} g"
        move(conn, actor, row, HELD, "weight_exception", payload, held_from=row.state,
             weight_g=weight_g, hold_reason=reason)
        return Weighed(load_order(conn, order_id), weight_g, exp, False)

    return floor.run(actor, tx, order_id=order_id)
