"""The station's way through an outage: central store when it answers, the journal when not.

:class:`StoreSwitch` knows which engine is in use and brings the station back (sync first) when
the central store answers again; a background probe checks every few seconds. A
:class:`ResilientFloor` is the ``Floor`` a station hands its flows: its ``engine`` is whatever
the switch says, and a scan that finds the store gone switches to the journal and is refused
with ``offline`` ("scan again"): it is never retried by itself, because a commit cut off in
flight may or may not have landed, and a second copy would count twice.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, select, text
from sqlalchemy.exc import DBAPIError, OperationalError

from db.engine import read_tx, redacted
from pickpack.config import Config
from pickpack.core.context import Floor, record_refusal
from pickpack.core.events import Actor
from pickpack.core.lifecycle import ON_FLOOR, states_before
from pickpack.core.refusal import Refusal
from pickpack.core.tables import ORDERS
from pickpack.offline.journal import Copy, read_copy, snapshot, write_copy
from pickpack.offline.sync import SyncReport, sync

T = TypeVar("T")
log = logging.getLogger(__name__)
OnChange = Callable[[bool, SyncReport | None], None]


def unreachable(exc: BaseException) -> bool:
    """The error means the store cannot be reached (not a deadlock, lock wait or bad query)."""
    if not isinstance(exc, DBAPIError):
        return False
    if exc.connection_invalidated:
        return True
    if not isinstance(exc, OperationalError):
        return False
    state = getattr(exc.orig, "sqlstate", None)
    if state is None:  # connection failures carry no SQLSTATE (sqlite3 errors have none either)
        return "locked" not in str(exc.orig) and "busy" not in str(exc.orig)
    return state.startswith(("08", "57P"))


class StoreSwitch:
    """Which store a station uses now; thread-safe (the probe thread and the station's)."""

    def __init__(self, central: Engine, journal: Engine, *,
                 on_change: OnChange | None = None) -> None:
        self.central = central
        self.journal = journal
        self.on_change = on_change
        self.lock = threading.RLock()
        self.last_error = ""
        self._online = True
        self._announced = True
        """The state ``on_change`` was last told: set only after it has run (see :meth:`wait`)."""
        self._settled = threading.Condition()
        self._stop = threading.Event()
        self._probe: threading.Thread | None = None
        self._on_return: list[Callable[[], None]] = []

    def after_return(self, hook: Callable[[], None]) -> None:
        """Call ``hook`` (under the switch's lock) each time the station is back online."""
        self._on_return.append(hook)

    @property
    def online(self) -> bool:
        return self._online

    @property
    def engine(self) -> Engine:
        return self.central if self._online else self.journal

    def wait(self, online: bool, timeout: float) -> bool:
        """Wait until the switch has gone ``online`` (or offline) *and* told ``on_change``.

        ``online`` flips first (so ``on_change`` sees the engine it announces); whoever waits for
        a return must wait for the announcement, not poll ``online``. True when settled in time."""
        with self._settled:
            return self._settled.wait_for(lambda: self._announced == online, timeout)

    def _announce(self, online: bool, report: SyncReport | None) -> None:
        try:
            if self.on_change:
                self.on_change(online, report)
        finally:
            with self._settled:
                self._announced = online
                self._settled.notify_all()

    def go_offline(self, exc: BaseException) -> None:
        with self.lock:
            was, self._online = self._online, False
            self.last_error = str(getattr(exc, "orig", exc)).strip().splitlines()[0][:200]
        if was:
            log.warning("store %s unreachable, working offline: %s",
                        redacted(str(self.central.url)), self.last_error)
            self._announce(False, None)

    def start_offline(self, reason: str) -> None:
        """The station starts with the central store away (cold, from its journal): offline
        from the first scan. Nothing is announced: the app shows it in its header at start;
        the probe brings it back (sync first) like after any outage."""
        with self.lock:
            self._online = False
            self.last_error = (reason.strip().splitlines() or [""])[0][:200]
        with self._settled:
            self._announced = False
        log.warning("store %s away at start, working from the journal: %s",
                    redacted(str(self.central.url)), self.last_error)

    def ping(self) -> bool:
        try:
            with self.central.connect() as conn:
                conn.execute(text("SELECT 1"))
            return True
        except DBAPIError as exc:
            if not unreachable(exc):
                raise
            return False

    def try_return(self) -> SyncReport | None:
        """When offline and the store answers: sync the journal, then go back online.
        Returns the sync report (None when still offline, or when already online)."""
        if self._online or not self.ping():
            return None
        try:
            with self.lock:
                if self._online:  # another thread brought it back meanwhile
                    return None
                report = sync(self.journal, self.central)
                self._online = True
                for hook in self._on_return:
                    hook()
            if not self._online:  # lost again while refreshing the journal
                return None
        except DBAPIError as exc:
            if not unreachable(exc):
                raise
            return None  # gone again mid-sync: the replay is idempotent, the next try resumes
        log.info("store back: %d events synced, %d conflicts", report.replayed,
                 len(report.conflicts))
        self._announce(True, report)
        return report

    def start(self, interval_s: float = 5.0) -> None:
        """Check for the store's return every ``interval_s`` seconds, in a daemon thread."""
        def loop() -> None:
            while not self._stop.wait(interval_s):
                if not self._online:
                    try:
                        self.try_return()
                    except Exception:  # keep probing; the error is logged, not swallowed
                        log.exception("returning to the central store failed")

        self._probe = threading.Thread(target=loop, name="store-probe", daemon=True)
        self._probe.start()

    def stop(self) -> None:
        self._stop.set()
        if self._probe is not None:
            self._probe.join(timeout=5)


def _away(fn: Callable[[Connection], T]) -> Callable[[Connection], T]:
    """``fn`` on the journal: an order the journal has no copy of may well exist centrally, so
    it is refused as "store away: put it aside", never as unknown."""
    def work(conn: Connection) -> T:
        try:
            return fn(conn)
        except Refusal as refusal:
            if refusal.code != "unknown_order":
                raise
            raise Refusal("store_away", "Store away: put it aside ({key} is not in this "
                          "station's copy; scan it again when the store is back)",
                          key=refusal.params.get("key", "")) from None
    return work


class ResilientFloor(Floor):
    """A ``Floor`` whose engine is the switch's: central while it answers, else the journal.

    The station calls :meth:`hold` for each order it takes in hand; held orders are copied to
    the journal after every committed change, so the journal is as fresh as the last scan.
    """

    def __init__(self, switch: StoreSwitch, config: Config, *,
                 keep_connection: bool = False, fill: bool | None = None) -> None:
        self.switch = switch
        self.held: set[int] = set()
        self._copied: dict[int, int] = {}
        """Per held order, the id of the last central event in the journal copy."""
        self._step_copied: dict[int, int] = {}
        """Per order copied for this station's step, the last central event id copied."""
        self._filler: threading.Thread | None = None
        self._fill = keep_connection if fill is None else fill
        """Copy the orders at this station's step in the background (a station app: the
        one that keeps a connection; commands and most tests do not)."""
        super().__init__(switch.engine, config, keep_connection)
        self._unfollow: Callable[[], None] | None = None
        if self._fill and self.step_states():
            from pickpack.live import follow

            self._unfollow = follow(switch.central, self._live)
        switch.after_return(self.refresh)
        self.refresh()

    def close(self) -> None:
        if self._unfollow is not None:
            self._unfollow()
        super().close()

    def _live(self, changes: list[Any]) -> None:
        """From the live feed's thread: a resync recopies all, else the orders that changed."""
        if any(c.kind == "resync" for c in changes):
            self._fill_in_background()
        else:
            self.follow({c.order_id for c in changes})

    def step_states(self) -> tuple[str, ...]:
        """States of the orders that can reach this station's step: on the floor, up to the
        state in which they arrive here. Nothing for pick and ship (they stay central)."""
        step, route = self.config.station.mode, self.route
        if step not in ("verify", "pack", "weigh") or step not in route:
            return ()
        arrive = states_before(step, route)
        last = max(ON_FLOOR.index(s) for s in arrive if s in ON_FLOOR)
        return ON_FLOOR[:last + 1]

    def fill_step_copy(self, batch: int = 200) -> int:
        """Copy every order that can reach this station's step into the journal (while
        online), so that offline the station opens any of them; returns how many it copied.
        Each batch is read outside the switch's lock and written under it, only while still
        online: a copy never overwrites what the station wrote offline."""
        states = self.step_states()
        if not states or not self.switch.online:
            return 0
        try:
            with self.switch.central.connect() as conn:
                ids = list(conn.execute(select(ORDERS.c.id).where(ORDERS.c.state.in_(states))
                                        .order_by(ORDERS.c.id)).scalars())
            done = 0
            for start in range(0, len(ids), batch):
                part = ids[start:start + batch]
                with read_tx(self.switch.central) as src:
                    copy = read_copy(src, part, catalog=False, since=self._step_copied)
                with self.switch.lock:
                    if not self.switch.online:
                        return done
                    self._step_copied.update(write_copy(self.switch.journal,
                                                        self._not_held(copy)))
                done += len(part)
            return done
        except DBAPIError as exc:
            if not unreachable(exc):
                raise
            self.switch.go_offline(exc)
            return 0

    def follow(self, order_ids: Any) -> None:
        """The live feed saw these orders change: keep their copy current when they can
        reach this station's step (called from the feed's thread)."""
        states = self.step_states()
        if not states or not self.switch.online:
            return
        wanted = [oid for oid in order_ids if oid is not None and oid not in self.held]
        if not wanted:
            return
        try:
            with read_tx(self.switch.central) as src:
                here = list(src.execute(select(ORDERS.c.id).where(
                    ORDERS.c.id.in_(wanted), ORDERS.c.state.in_(states))).scalars())
                copy = read_copy(src, here, catalog=False, since=self._step_copied)
            with self.switch.lock:
                if self.switch.online:
                    self._step_copied.update(write_copy(self.switch.journal,
                                                        self._not_held(copy)))
        except DBAPIError as exc:
            if not unreachable(exc):
                raise
            self.switch.go_offline(exc)

    def wait_filled(self, timeout: float) -> bool:
        """Wait for the background copy of this station's orders; True when it has ended."""
        if self._filler is not None:
            self._filler.join(timeout)
            return not self._filler.is_alive()
        return True

    def _not_held(self, copy: Copy) -> Copy:
        """``copy`` less the orders the station holds: their copy follows every scan and is
        fresher than one read outside the lock."""
        keep = [oid for oid in copy.ids if oid not in self.held]
        if len(keep) == len(copy.ids):
            return copy
        ok = set(keep)
        return Copy(keep, {}, [o for o in copy.orders if o["id"] in ok],
                    [r for r in copy.lines if r["order_id"] in ok],
                    [b for b in copy.baskets if b["order_id"] in ok],
                    [e for e in copy.events if e["order_id"] in ok],
                    {k: v for k, v in copy.last_event.items() if k in ok})

    def _fill_in_background(self) -> None:
        if not self._fill or (self._filler is not None and self._filler.is_alive()):
            return

        def work() -> None:
            try:
                copied = self.fill_step_copy()
                log.info("journal: %d orders at this station's step copied", copied)
            except Exception:  # the station goes on; the error is logged, not swallowed
                log.exception("copying this station's orders to the journal failed")

        self._filler = threading.Thread(target=work, name="journal-fill", daemon=True)
        self._filler.start()

    @property  # type: ignore[override]
    def engine(self) -> Engine:
        return self.switch.engine

    @engine.setter
    def engine(self, _value: Engine) -> None:
        """Set by ``Floor.__init__``; the switch decides which engine is in use."""

    @property
    def online(self) -> bool:
        return self.switch.online

    def refresh(self) -> None:
        """Copy the catalog, operators and held orders, whole, to the journal (when online)."""
        self._copied.clear()
        self._step_copied.clear()
        self._copy(self.held, catalog=True)
        self._fill_in_background()

    def hold(self, order_id: int) -> None:
        """The station has this order in hand: keep its journal copy fresh."""
        if order_id in self.held:
            return  # copied after each change already
        self.held.add(order_id)
        self._copy([order_id], catalog=False)

    def let_go(self, order_id: int) -> None:
        self.held.discard(order_id)
        self._copied.pop(order_id, None)

    def require_central(self, actor: Actor) -> None:
        """Manifests (and the stock that goes out with them) live only on the central store:
        while offline, shipping is refused, recorded, and done again once the store is back."""
        if self.switch.online:
            return
        refusal = Refusal(
            "offline_central_only",
            "Shipping needs the central store, which is away: put the parcel aside and scan "
            "it again when the header shows the store is back",
        )
        record_refusal(self.engine, actor, refusal, None)
        raise refusal

    def run(self, actor: Actor, fn: Callable[[Connection], T], *, order_id: int | None = None) -> T:
        with self.switch.lock:
            if not self.switch.online:
                return super().run(actor, _away(fn), order_id=order_id)
            copies: list[Copy] = []
            work = fn
            if order_id is not None and order_id in self.held:
                def work(conn: Connection) -> T:
                    # the journal copy is read in the change's own transaction: no second
                    # round of checkout, BEGIN and COMMIT on the scan's path
                    result = fn(conn)
                    copies[:] = []  # only what the committed attempt read
                    copies.append(read_copy(conn, [order_id], catalog=False,
                                            since=self._copied))
                    return result
            try:
                result = super().run(actor, work, order_id=order_id)
            except DBAPIError as exc:
                if not unreachable(exc):
                    raise
                raise self._offline(exc) from exc
            for copy in copies:
                self._remember(write_copy(self.switch.journal, copy))
            return result

    def run_one(self, actor: Actor, fn: Callable[[Connection], T], *,
                order_id: int | None = None) -> T:
        with self.switch.lock:
            if not self.switch.online:
                return super().run(actor, _away(fn), order_id=order_id)  # the journal: SQLite
            try:
                result = super().run_one(actor, fn, order_id=order_id)
            except DBAPIError as exc:
                if not unreachable(exc):
                    raise
                raise self._offline(exc) from exc
            if order_id is not None and order_id in self.held:
                self._copy([order_id], catalog=False)  # the change is committed: copy it after
            return result

    def _offline(self, exc: DBAPIError) -> Refusal:
        """The central store became unreachable during a change: go offline and tell the
        operator to scan again (the journal takes it)."""
        self.switch.go_offline(exc)
        return Refusal("offline", "Store unreachable: this station works offline now. Scan again")

    def _copy(self, order_ids: Any, *, catalog: bool) -> None:
        if not self.switch.online:
            return
        try:
            copied = snapshot(self.switch.central, self.switch.journal, order_ids,
                              catalog=catalog, since=self._copied)
        except DBAPIError as exc:
            if not unreachable(exc):
                raise
            self.switch.go_offline(exc)
            return
        self._remember(copied)

    def _remember(self, copied: dict[int, int]) -> None:
        self._copied.update((oid, last) for oid, last in copied.items() if oid in self.held)
