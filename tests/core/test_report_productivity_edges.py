"""`report productivity` at its edges, on a trail written event by event: a pause of exactly
ten minutes is an idle gap (a microsecond less is not), the time before a log-in is time off,
an idle logout ends the session, and a shift that runs over the warehouse's midnight is split
between the two days. The store finds the pauses itself (issue 19 §5), so these edges are its."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine

from db.engine import write_tx
from pickpack.config import Config
from pickpack.core.report import day_span
from pickpack.core.report.productivity import productivity
from pickpack.core.tables import EVENTS

DAY = date(2026, 11, 22)
T0 = datetime(2026, 11, 22, 1, 0, tzinfo=UTC)  # 09:00 in China
MIDNIGHT = datetime(2026, 11, 22, 16, 0, tzinfo=UTC)  # 00:00 on the 23rd in China


def trail(engine: Engine, events: list[tuple[str, str, dict[str, Any], datetime]],
          station: str = "V1", operator: str = "OP2001") -> None:
    """``(kind, order, payload, at)`` written as the station would, one event each."""
    with write_tx(engine) as conn:
        conn.execute(EVENTS.insert(), [
            {"uuid": uuid.uuid4().hex, "order_id": None, "station": station,
             "operator": operator, "kind": kind, "payload": json.dumps(payload), "at": at}
            for kind, _order, payload, at in events])


def pauses_trail(engine: Engine) -> None:
    """Log-in at 09:00; scans with a pause of exactly 10 min and one of 10 min less 1 µs; a
    logout, 30 min off, a log-in again (no idle gap), a scan and the idle logout 14.5 min on."""
    m = timedelta(minutes=1)
    scan = {"sku": "TEE-BK-M", "units": 2}
    trail(engine, [
        ("login", "", {"name": "OP2001", "mode": "verify"}, T0),
        ("item_scanned", "", scan, T0 + timedelta(seconds=10)),
        ("item_scanned", "", scan, T0 + 10 * m + timedelta(seconds=10)),  # exactly 10 min
        ("item_scanned", "", scan, T0 + 20 * m + timedelta(seconds=10, microseconds=-1)),
        ("logout", "", {}, T0 + 30 * m),
        ("login", "", {"name": "OP2001", "mode": "verify"}, T0 + 60 * m),
        ("item_scanned", "", scan, T0 + 60 * m + timedelta(seconds=30)),
        ("logout", "", {"reason": "idle"}, T0 + 75 * m)])


def midnight_trail(engine: Engine) -> None:
    """A packer logs in at 23:45 (China), opens a parcel at 23:50 and, after midnight, at
    00:10, packs it at 00:15 (the work that names the role: no log-in that day), and logs
    out at 00:20."""
    m = timedelta(minutes=1)
    trail(engine, [
        ("login", "", {"name": "OP3001", "mode": "pack"}, MIDNIGHT - 15 * m),
        ("pack_opened", "", {}, MIDNIGHT - 10 * m),
        ("pack_opened", "", {}, MIDNIGHT + 10 * m),
        ("packed", "", {"from": "verified", "to": "packed"}, MIDNIGHT + 15 * m),
        ("logout", "", {}, MIDNIGHT + 20 * m)], station="K1", operator="OP3001")


def report(engine: Engine, config: Config, day: date) -> tuple[list[dict[str, Any]],
                                                               list[dict[str, Any]]]:
    with engine.connect() as conn:
        operators, hours = productivity(conn, config, day_span(config, day))
    return operators.as_json(), hours.as_json()


def check_pauses(engine: Engine, config: Config) -> None:
    [row], hours = report(engine, config, DAY)
    assert (row["operator"], row["role"]) == ("OP2001", "verifier")
    assert row["idle_gaps"] == 2  # the 10 min and the 14.5 min before the idle logout
    assert row["idle_min"] == 24.5
    assert row["idle_logouts"] == 1
    assert row["hours"] == 0.75  # 09:00–09:30 and 10:00–10:15
    assert (row["scans"], row["units"]) == (4, 8)
    assert [(h["hour"], h["scans"], h["operators"]) for h in hours] == [
        ("2026-11-22 09:00", 3, 1), ("2026-11-22 10:00", 1, 1)]


def check_midnight(engine: Engine, config: Config) -> None:
    [before], before_hours = report(engine, config, DAY)
    [after], after_hours = report(engine, config, DAY + timedelta(days=1))
    assert (before["role"], before["scans"], before["hours"]) == ("packer", 1, 0.08)  # to 23:50
    assert (after["role"], after["scans"], after["hours"]) == ("packer", 2, 0.17)  # 00:10–00:20
    assert before["idle_gaps"] == after["idle_gaps"] == 0  # 23:50 → 00:10: across the days
    assert [(h["hour"], h["scans"]) for h in before_hours] == [("2026-11-22 23:00", 1)]
    assert [(h["hour"], h["scans"]) for h in after_hours] == [("2026-11-23 00:00", 2)]


def test_pauses_login_and_idle_logout(engine: Engine, config: Config) -> None:
    pauses_trail(engine)
    check_pauses(engine, config)


def test_a_shift_over_midnight_is_split_between_the_days(engine: Engine, config: Config) -> None:
    midnight_trail(engine)
    check_midnight(engine, config)
