"""`report productivity`: hours from log-in to log-out (or the idle logout), orders, units and
scans per hour, attributed errors and idle gaps, per hour of the day, from a real trail."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from pickpack.cli import main
from pickpack.config import Config
from pickpack.core.context import Floor
from pickpack.core.events import Actor
from pickpack.core.flows import make_flow
from pickpack.core.release import release
from pickpack.core.report import day_span
from pickpack.core.report.productivity import productivity
from pickpack.core.tables import EVENTS
from pickpack.i18n import set_language
from pickpack.scan import Scan
from tests.core.floorkit import restamp, seed, ship_through

DAY = date(2026, 11, 22)
START = datetime(2026, 11, 22, 1, 0, tzinfo=UTC)  # 09:00 in China
STEP = timedelta(seconds=10)


def shift(engine: Engine, config: Config) -> dict[int, datetime]:
    """Three operators log in; two orders go all the way, the third is picked and a wrong item
    is scanned at verify (the picker's error); the verifier is logged out idle, 20 minutes
    after the last scan; the others log out."""
    numbers = seed(engine, orders=3)
    release(engine, config, Actor("D1", "clerk"))
    floor = Floor(engine, config)
    pick, verify, pack = (make_flow(floor, m, s) for m, s in
                          (("pick", "P1"), ("verify", "V1"), ("pack", "K1")))
    for flow, badge in ((pick, "OP1001"), (verify, "OP2001"), (pack, "OP3001")):
        assert flow.handle(Scan(badge)).ok
    ship_through(floor, numbers[0], basket="B901")
    ship_through(floor, numbers[1], basket="B902")
    for code in ("B001", numbers[2], "CMD:DONE"):
        pick.handle(Scan(code))
    verify.handle(Scan("B001"))
    assert not verify.handle(Scan("6917777412155")).ok  # socks: not in this order
    verify.clock = lambda: verify.last_scan + 3600.0  # an hour without a scan
    verify.handle(Scan("6901661318609"))
    pick.do_logout()
    pack.do_logout()
    with engine.connect() as conn:
        ids = list(conn.execute(select(EVENTS.c.id).order_by(EVENTS.c.id)).scalars())
        idle = conn.execute(select(EVENTS.c.id).where(
            EVENTS.c.kind == "logout", EVENTS.c.payload.like('%idle%'))).scalar_one()
    return restamp(engine, START, STEP, {ids.index(idle): timedelta(minutes=20)})


def _session_hours(engine: Engine, stamped: dict[int, datetime], operator: str) -> float:
    with engine.connect() as conn:
        rows = conn.execute(select(EVENTS.c.id, EVENTS.c.kind).where(
            EVENTS.c.operator == operator, EVENTS.c.kind.in_(("login", "logout")))
            .order_by(EVENTS.c.id)).all()
    assert [r.kind for r in rows] == ["login", "logout"]
    return round((stamped[rows[1].id] - stamped[rows[0].id]).total_seconds() / 3600, 2)


def test_productivity_per_operator_and_role(engine: Engine, config: Config) -> None:
    stamped = shift(engine, config)
    with engine.connect() as conn:
        operators, hours = productivity(conn, config, day_span(config, DAY))
    rows = {(r["operator"], r["role"]): r for r in operators.rows}
    picker, verifier = rows[("OP1001", "picker")], rows[("OP2001", "verifier")]
    assert picker["orders"] == 3 and picker["errors"] == 1  # the wrong socks: the picker's
    assert picker["error_rate"] == pytest.approx(1 / 3, abs=1e-4)
    assert picker["hours"] == _session_hours(engine, stamped, "OP1001")
    assert picker["orders_per_h"] == pytest.approx(3 / picker["hours"], abs=0.2)
    assert verifier["orders"] == 2 and verifier["units"] == 6  # 1 tee + 2 mugs, twice
    assert verifier["errors"] == 0  # the verifier caught it: not theirs
    assert verifier["idle_logouts"] == 1 and verifier["idle_gaps"] == 1
    assert verifier["idle_min"] >= 20
    assert verifier["hours"] == _session_hours(engine, stamped, "OP2001")
    assert verifier["scans"] >= 8  # 6 units, the basket, the wrong socks
    assert verifier["scans_per_h"] == pytest.approx(verifier["scans"] / verifier["hours"], abs=0.2)
    assert rows[("OP3001", "packer")]["orders"] == 2
    assert rows[("OP3001", "weigher")]["orders"] == 2
    assert rows[("OP3001", "shipper")]["orders"] == 2
    assert {h["hour"] for h in hours.rows} <= {"2026-11-22 09:00", "2026-11-22 10:00"}
    assert sum(h["verified"] for h in hours.rows) == 2
    assert sum(h["shipped"] for h in hours.rows) == 2
    assert hours.rows[0]["operators"] >= 3


def test_another_day_is_empty(engine: Engine, config: Config) -> None:
    shift(engine, config)
    with engine.connect() as conn:
        operators, hours = productivity(conn, config, day_span(config, DAY + timedelta(days=1)))
    assert operators.rows == [] and hours.rows == []


def test_a_days_errors_are_that_days_only(engine: Engine, config: Config) -> None:
    """A wrong item refused the next day is the next day's error, not this one's."""
    shift(engine, config)
    with engine.begin() as conn:
        refused = conn.execute(select(EVENTS).where(EVENTS.c.kind == "refused")).mappings().one()
        later = {k: v for k, v in refused.items() if k != "id"}
        later["at"] = refused["at"] + timedelta(days=1)
        later["uuid"] = str(uuid.uuid4())
        conn.execute(EVENTS.insert().values(**later))
    with engine.connect() as conn:
        today, _hours = productivity(conn, config, day_span(config, DAY))
        tomorrow, _hours = productivity(conn, config, day_span(config, DAY + timedelta(days=1)))
    def errors(table: Any) -> dict[tuple[str, str], int]:
        return {(r["operator"], r["role"]): r["errors"] for r in table.rows}

    assert errors(today)[("OP1001", "picker")] == 1
    assert errors(tomorrow)[("OP1001", "picker")] == 1


def _config_file(tmp_path: Path, language: str = "en") -> None:
    (tmp_path / "config.toml").write_text(
        f'[store]\nurl = "sqlite:///{tmp_path / "pp.db"}"\n[station]\nlanguage = "{language}"\n',
        encoding="utf-8")


def test_cli_json_csv_and_chinese_table(engine: Engine, config: Config, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    shift(engine, config)
    _config_file(tmp_path)
    assert main(["report", "productivity", "--day", DAY.isoformat(), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["from"] == data["to"] == "2026-11-22"
    assert {r["operator"] for r in data["operators"]} == {"OP1001", "OP2001", "OP3001"}
    assert main(["report", "productivity", "--from", "2026-11-21", "--to", "2026-11-22",
                 "--csv", str(tmp_path / "p.csv")]) == 0
    head = (tmp_path / "p.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert head.startswith("operator,role,hours,orders,orders_per_h")
    assert (tmp_path / "p-hours.csv").exists()
    capsys.readouterr()
    _config_file(tmp_path, "zh_CN")
    try:
        assert main(["report", "productivity", "--day", DAY.isoformat()]) == 0
    finally:
        set_language("en")
    out = capsys.readouterr().out
    assert "操作员" in out and "每小时" in out and "OP2001" in out and "校验员" in out


def test_bad_day_is_one_line(engine: Engine, config: Config, tmp_path: Path,
                             capsys: pytest.CaptureFixture[str]) -> None:
    _config_file(tmp_path)
    assert main(["report", "productivity", "--day", "22/11/2026"]) == 2
    assert capsys.readouterr().err.strip() == \
        "pickpack: --day: '22/11/2026' is not a day (YYYY-MM-DD)"
    assert main(["report", "weights", "--from", "2026-11-22", "--to", "2026-11-01"]) == 2
    assert "before --from" in capsys.readouterr().err
