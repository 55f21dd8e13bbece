"""What every service needs: the store, the config and the compiled scan patterns."""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import Connection, Engine, Row, Update, bindparam, select, update
from sqlalchemy.exc import OperationalError

from db.engine import KeptConnection, is_sqlite, one_statement, write_tx
from pickpack.config import Config
from pickpack.core.classify import Classifier
from pickpack.core.events import Actor, append_event, now
from pickpack.core.lifecycle import CANCELLED, HELD, PICKING, states_before, step_for_state
from pickpack.core.refusal import Refusal, scan_fields
from pickpack.core.tables import ORDERS

T = TypeVar("T")


@dataclass
class Floor:
    """The fulfilment services' shared context (made once per station or command)."""

    engine: Engine
    config: Config
    keep_connection: bool = False
    """A station: keep one PostgreSQL connection between quick scans (see KeptConnection)."""
    classifier: Classifier = field(init=False)
    _kept: KeptConnection | None = field(init=False, default=None, repr=False)
    station_config: Config = field(init=False, repr=False)
    """config.toml as the station read it; ``config`` is it with the store's floor policy."""
    policy_skipped: dict[str, str] = field(init=False, default_factory=dict)
    """Store policy values this station could not take (key → why; see pickpack.core.policy)."""
    _policy_version: tuple[int, str] | None = field(init=False, default=None, repr=False)
    _policy_read_at: float = field(init=False, default=0.0, repr=False)

    def __post_init__(self) -> None:
        self.station_config = self.config
        self.classifier = Classifier(self.config.barcodes, self.config.couriers)
        self._kept = KeptConnection() if self.keep_connection else None
        self.refresh_policy()

    def refresh_policy(self) -> bool:
        """Read the store's floor policy over config.toml (at start, and when the live feed
        hands out a ``policy_set`` event): True when the config in force changed. A store that
        cannot be read leaves the config as it is, and says so in ``policy_skipped``."""
        from pickpack.core.policy import load_effective

        self._policy_read_at = time.monotonic()
        got = load_effective(self.engine, self.station_config, self._policy_version)
        if got is None:
            return False
        self.policy_skipped = dict(got.skipped)
        if not got.read:
            return False
        self._policy_version = got.version
        if got.config == self.config:
            return False
        self.config = got.config
        self.classifier = Classifier(self.config.barcodes, self.config.couriers)
        return True

    def close(self) -> None:
        """Give back a kept connection (a station that ends)."""
        if self._kept is not None:
            self._kept.close()

    @property
    def route(self) -> list[str]:
        return list(self.config.workflow.route)

    def hold(self, order_id: int) -> None:
        """A station took this order in hand (a station that can work offline keeps a copy)."""

    def let_go(self, order_id: int) -> None:
        """The station is done with this order for now."""

    def require_central(self, actor: Actor) -> None:
        """Refuse shipping, which the offline journal cannot carry (a station that can go
        offline); here, always on the central store, nothing to refuse."""

    def policy_changed(self) -> None:
        """The live feed handed out a ``policy_set``: the next action reads the policy again
        (in the station's worker, with its scan; never on the screen's thread)."""
        self._policy_read_at = float("-inf")

    def _policy_due(self) -> None:
        """A long-running station reads the policy again now and then (a change reaches it
        within POLICY_RECHECK_S even with no live feed); one small read, never per scan."""
        if time.monotonic() - self._policy_read_at >= POLICY_RECHECK_S:
            self.refresh_policy()

    def run(self, actor: Actor, fn: Callable[[Connection], T], *, order_id: int | None = None) -> T:
        """Run ``fn`` in one write transaction. A refusal rolls it back and is itself recorded
        (kind ``refused``) in a transaction of its own, then raised to the station."""
        self._policy_due()
        def once() -> T:
            tx = write_tx(self.engine) if self._kept is None else self._kept.write_tx(self.engine)
            with tx as conn:
                return fn(conn)

        try:
            return retry_when_locked(self.engine, once)
        except Refusal as refusal:
            record_refusal(self.engine, actor, refusal, order_id)
            raise

    def run_one(self, actor: Actor, fn: Callable[[Connection], T], *,
                order_id: int | None = None) -> T:
        """Like :meth:`run`, for a change that ``fn`` makes in one self-contained statement
        (on PostgreSQL a server-side function): run in autocommit, with no BEGIN and COMMIT
        round trips around it; on SQLite an ordinary write transaction. ``fn`` must write
        nothing when it raises a refusal."""
        self._policy_due()
        def once() -> T:
            if self._kept is not None:
                return self._kept.run_statement(self.engine, fn)
            with one_statement(self.engine) as conn:
                return fn(conn)

        try:
            return retry_when_locked(self.engine, once)
        except Refusal as refusal:
            record_refusal(self.engine, actor, refusal, order_id)
            raise


POLICY_RECHECK_S = 60.0
"""How often a station reads the store's floor policy again (see Floor.refresh_policy)."""
LOCKED_RETRIES = 8
"""How many times a SQLite transaction is run again after ``database is locked``."""
LOCKED_BACKOFF_S = (0.02, 1.0)
"""The first pause before running it again and the longest (doubling, with jitter)."""


def is_locked(exc: BaseException) -> bool:
    """SQLite's ``database is locked`` (or ``busy``): another process held the write lock
    longer than the busy timeout."""
    text = str(getattr(exc, "orig", exc)).lower()
    return "database is locked" in text or "database is busy" in text


def retry_when_locked(engine: Engine, once: Callable[[], T]) -> T:
    """``once()`` (a whole transaction), run again with a bounded backoff when SQLite says the
    database is locked: many stations writing at once on one file wait their turn instead of
    showing the error. The transaction rolled back, so running it again is safe. After
    LOCKED_RETRIES the error is raised as it is (a store that stays locked is a fault)."""
    if not is_sqlite(engine):
        return once()
    pause, longest = LOCKED_BACKOFF_S
    for attempt in range(LOCKED_RETRIES + 1):
        try:
            return once()
        except (OperationalError, sqlite3.OperationalError) as exc:
            # the BEGIN IMMEDIATE goes straight to the driver (db.engine): its error is raw
            if attempt == LOCKED_RETRIES or not is_locked(exc):
                raise
        time.sleep(pause * (0.5 + random.random()))
        pause = min(pause * 2, longest)
    raise AssertionError("unreachable")  # the loop returns or raises


def record_refusal(engine: Engine, actor: Actor, refusal: Refusal, order_id: int | None) -> None:
    oid = refusal.params.get("order_id", order_id)
    payload: dict[str, Any] = {"code": refusal.code, "reason": refusal.template}
    payload.update({k: v for k, v in refusal.params.items() if k != "order_id"})
    payload.update(scan_fields())  # the code as scanned, whatever it was read as

    def once() -> None:
        with write_tx(engine) as conn:
            append_event(conn, actor, "refused", oid, payload)

    retry_when_locked(engine, once)
    refusal.recorded = True


def lock_order(conn: Connection, order_id: int) -> Row[Any]:
    """The order row, locked for this transaction (FOR UPDATE on PostgreSQL; SQLite's
    BEGIN IMMEDIATE already holds the write lock)."""
    query = select(ORDERS).where(ORDERS.c.id == order_id)
    if not is_sqlite_conn(conn):
        query = query.with_for_update()
    return conn.execute(query).one()


def is_sqlite_conn(conn: Connection) -> bool:
    return conn.dialect.name == "sqlite"


def intercepted(order_no: str, order_id: int) -> Refusal:
    """The refusal for an order cancelled while it was on the floor."""
    return Refusal(
        "intercepted", "INTERCEPTED: order {order_no} was cancelled — put it aside for the desk",
        order_no=order_no, order_id=order_id,
    )


def check_at_step(
    conn: Connection, actor: Actor, row: Row[Any], step: str, route: list[str],
    extra_states: Iterable[str] = (),
) -> None:
    """Refuse an order that is intercepted, held, or not at this step of the route."""
    if row.state == CANCELLED:
        raise intercepted(row.order_no, row.id)
    if row.state == HELD:
        raise Refusal(
            "held", "Order {order_no} is held: {reason}", order_no=row.order_no,
            reason=row.hold_reason or "-", order_id=row.id,
        )
    allowed = (*states_before(step, route), *extra_states)
    if row.state not in allowed:
        at = step_for_state(row.state, route) or row.state
        raise Refusal(
            "wrong_step", "Order {order_no} is {state}: it belongs at {station}, not {here}",
            order_no=row.order_no, state=row.state, station=at, here=step, order_id=row.id,
        )


class OrderAt(NamedTuple):
    """What ``move`` needs of an order row the caller already read under its lock."""

    id: int
    state: str
    order_no: str


def move(
    conn: Connection, actor: Actor, row: Row[Any] | OrderAt, to_state: str, kind: str,
    payload: dict[str, Any] | None = None, **columns: Any,
) -> None:
    """Compare-and-set the order's state (and columns) with its event, in the caller's tx."""
    params = {f"v_{name}": value for name, value in columns.items()}
    result = conn.execute(
        _move_statement(tuple(sorted(columns))),
        {"o_id": row.id, "o_from": row.state, "o_to": to_state, "o_at": now(), **params},
    )
    if result.rowcount != 1:
        raise Refusal(
            "conflict", "Order {order_no} was changed at another station just now; scan again",
            order_no=row.order_no, order_id=row.id,
        )
    append_event(conn, actor, kind, row.id, {"from": row.state, "to": to_state, **(payload or {})})


@lru_cache(maxsize=64)
def _move_statement(columns: tuple[str, ...]) -> Update:
    """The compare-and-set UPDATE for one set of extra columns, built once (it is on the
    completing scan's path); values are bound by name at execution."""
    values = {name: bindparam(f"v_{name}", type_=ORDERS.c[name].type) for name in columns}
    return (
        update(ORDERS)
        .where(ORDERS.c.id == bindparam("o_id"), ORDERS.c.state == bindparam("o_from"))
        .values(state=bindparam("o_to", type_=ORDERS.c.state.type),
                updated_at=bindparam("o_at", type_=ORDERS.c.updated_at.type), **values)
    )


__all__ = ["Floor", "OrderAt", "lock_order", "check_at_step", "intercepted", "move", "is_sqlite", "PICKING"]
