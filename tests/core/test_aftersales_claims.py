"""Courier claims (issue 18.6): filed for a damaged parcel's case with its photos, settled,
and summed per courier for the month; at the command line too."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from pickpack.config import Config
from pickpack.core.aftersales.cases import open_case
from pickpack.core.aftersales.claims import file_claim, monthly_summary, settle_claim
from pickpack.core.context import Floor
from pickpack.core.events import Actor, now
from pickpack.core.refusal import Refusal
from pickpack.core.release import release
from pickpack.core.reports import floor_tz
from pickpack.core.tables import EVENTS
from tests.cli.test_case_cli import cfg_file, run  # noqa: F401 - the fixture
from tests.core.floorkit import seed, ship_through

DESK = Actor("D1", "OP2001", "clerk")


def test_a_claim_filed_settled_and_summed(engine: Engine, config: Config) -> None:
    seed(engine, orders=2)
    release(engine, config, Actor("D1", "desk"))
    floor = Floor(engine, config)
    ship_through(floor, "3900000000000000000", basket="B901")
    ship_through(floor, "3900000000000000001", basket="B902")
    one = open_case(floor, DESK, "damaged", order_key="3900000000000000000")
    two = open_case(floor, DESK, "lost", order_key="3900000000000000001")
    a = file_claim(floor, DESK, one.id, value=710, claimed=350, photos=["/photos/c1-box.jpg"])
    b = file_claim(floor, DESK, two.id, value=710, claimed=710)
    assert (a.courier, a.photos, a.state) == ("ZTO", ["/photos/c1-box.jpg"], "filed")
    assert settle_claim(floor, DESK, a.id, 300).state == "paid"
    assert settle_claim(floor, DESK, b.id, None).state == "refused"
    with pytest.raises(Refusal, match="is paid already"):
        settle_claim(floor, DESK, a.id, 1)
    month = now().astimezone(floor_tz(config)).strftime("%Y-%m")
    with engine.connect() as conn:
        summary = monthly_summary(conn, config, month)
        kinds = list(conn.execute(select(EVENTS.c.kind).where(
            EVENTS.c.kind.like("claim_%"))).scalars())
    assert summary == [{"courier": "ZTO", "claims": 2, "open": 0, "paid": 1, "refused": 1,
                        "value": 1420.0, "claimed": 1060.0, "received": 300.0}]
    assert kinds == ["claim_filed", "claim_filed", "claim_settled", "claim_settled"]
    with engine.connect() as conn:
        assert monthly_summary(conn, config, "2020-01") == []


def test_claims_at_the_command_line(cfg_file: Path,  # noqa: F811
                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert run(cfg_file, "case", "open", "damaged", "3900000000000000000") == 0
    assert run(cfg_file, "case", "claim", "C1", "--value", "710", "--claimed", "200",
               "--photo", "/p/1.jpg", "--json") == 0
    capsys.readouterr()
    assert run(cfg_file, "case", "settle", "1", "--paid", "150") == 0
    assert run(cfg_file, "case", "claims", "--json") == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert out[0] == "claim 1 paid: 150.00"
    data = json.loads("\n".join(out[1:]))
    assert data["summary"][0]["received"] == 150.0
    assert run(cfg_file, "case", "claims", "--month", "11-2026") == 2
