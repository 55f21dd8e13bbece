"""Errors counted against the step that made them (issue 18.8): a short confirmed by a case
counts against the picker and, as passed, the verifier; damage by packing against the packer;
`report errors` lists them with their cases next to the verify refusals."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

from pickpack.config import Config
from pickpack.core.aftersales.cases import open_case, solve_case
from pickpack.core.authority import prove_supervisor
from pickpack.core.context import Floor
from pickpack.core.events import Actor, now
from pickpack.core.release import release
from pickpack.core.reports import errors_by_person
from tests.cli.test_case_cli import cfg_file, run  # noqa: F401 - the fixture
from tests.core.floorkit import SUPERVISOR_PIN, seed, ship_through

DESK = Actor("D1", "OP2001", "clerk")


def test_confirmed_cases_count_against_picker_verifier_and_packer(engine: Engine,
                                                                  config: Config) -> None:
    seed(engine, orders=2)
    release(engine, config, Actor("D1", "desk"))
    floor = Floor(engine, config)
    ship_through(floor, "3900000000000000000", weight_g=604, basket="B901")
    ship_through(floor, "3900000000000000001", basket="B902")
    sup = prove_supervisor(floor, DESK, "OP9001", SUPERVISOR_PIN)
    short = open_case(floor, DESK, "short", order_key="3900000000000000000")
    solve_case(floor, DESK, short.id, "补发", responsible="OP1001", step="pick", supervisor=sup)
    broken = open_case(floor, DESK, "damaged", order_key="3900000000000000001")
    solve_case(floor, DESK, broken.id, "退款", responsible="OP3001", step="pack", supervisor=sup)
    lost = open_case(floor, DESK, "lost", order_key="3900000000000000001")
    solve_case(floor, DESK, lost.id, "理赔", step="courier", supervisor=sup)  # no one here
    with engine.connect() as conn:
        rows = [r for r in errors_by_person(conn, now() - timedelta(days=1)) if "cases" in r]
    assert rows == [
        {"operator": "OP1001", "code": "short", "role": "picked", "count": 1, "cases": [short.id]},
        {"operator": "OP2001", "code": "short", "role": "passed", "count": 1, "cases": [short.id]},
        {"operator": "OP3001", "code": "damaged", "role": "packed", "count": 1,
         "cases": [broken.id]},
    ]


def test_report_errors_shows_the_cases(cfg_file: Path,  # noqa: F811
                                       capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    assert run(cfg_file, "case", "open", "short", "3900000000000000000") == 0
    monkeypatch.setenv("PICKPACK_PIN", SUPERVISOR_PIN)
    assert run(cfg_file, "case", "solve", "C1", "--solution", "补发", "--supervisor",
               "OP9001") == 0
    capsys.readouterr()
    assert run(cfg_file, "report", "errors") == 0
    lines = [line.split() for line in capsys.readouterr().out.splitlines()]
    assert lines[0] == ["operator", "code", "role", "count"]
    assert ["OP1001", "short", "C1", "picked", "1"] in lines
    assert ["OP2001", "short", "C1", "passed", "1"] in lines
