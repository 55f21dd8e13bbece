"""`pickpack scan CODE [--json]` through the real command line on a real SQLite store."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert

from db.engine import write_tx
from pickpack.cli import main
from pickpack.core.tables import BARCODES, BASKETS
from pickpack.store import open_store
from tests.conftest import make_config
from tests.core.floorkit import seed

TEE = "6901661318609"


@pytest.fixture
def cfg(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(f'[store]\nurl = "sqlite:///{tmp_path / "pp.db"}"\n'
                    '[barcodes]\nmin_shelf_days = 30\n', encoding="utf-8")
    engine = open_store(make_config(tmp_path), create=True)
    numbers = seed(engine, orders=2)
    with write_tx(engine) as conn:
        conn.execute(insert(BASKETS).values(code="B007"))
        conn.execute(insert(BARCODES).values(code="16901661318606", sku="TEE-BK-XL", units=6))
    engine.dispose()
    assert numbers[0] == "3900000000000000000"
    return path


def scan(cfg: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    code = main(["--config", str(cfg), "scan", *args, "--json"])
    return code, json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("code", [TEE, "0" + TEE, "010" + TEE, "(01)0" + TEE, "]C1010" + TEE,
                                  "https://id.gs1.org/01/0" + TEE])
def test_every_spelling_of_a_gtin_is_the_same_item_in_its_normal_form(
        cfg: Path, capsys: pytest.CaptureFixture[str], code: str) -> None:
    status, got = scan(cfg, capsys, code)
    assert status == 0
    assert (got["kind"], got["normal"], got["sku"], got["units"]) == (
        "item", "0" + TEE, "TEE-BK-XL", 1)


def test_a_case_its_units_and_gs1_lot_and_expiry(cfg: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    status, got = scan(cfg, capsys, "011690166131860617741231<GS>10LOT9")
    assert status == 0, got
    assert (got["kind"], got["normal"], got["units"]) == ("item", "16901661318606", 6)
    assert (got["lot"], got["expiry"]) == ("LOT9", "2074-12-31")


def test_an_expired_lot_says_so_with_its_date(cfg: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    status, got = scan(cfg, capsys, f"010{TEE}17200131")
    assert status == 1
    assert got["refused"] == "expired" and "2020-01-31" in got["reason"]


@pytest.mark.parametrize(("code", "kind", "extra"), [
    ("70000000000001", "tracking", {"courier": "ZTO"}),  # the waybill pool
    ("3900000000000000001", "order", {"order": "3900000000000000001"}),
    ("B007", "basket", {}),
    ("OP2001", "operator", {}),
    ("A-01-02", "location", {}),
    ("CMD:OK", "command", {"value": "OK"}),
])
def test_what_the_store_holds(cfg: Path, capsys: pytest.CaptureFixture[str], code: str,
                              kind: str, extra: dict[str, str]) -> None:
    status, got = scan(cfg, capsys, code)
    assert status == 0 and got["kind"] == kind, got
    assert {k: got[k] for k in extra} == extra


@pytest.mark.parametrize(("code", "kind", "words"), [
    ("00106141411234567897", "sscc", "pallet"),
    ("431234567890123", "ambiguous", "STO"),
    ("6901661318601", "invalid", "check digit"),
    ("NOT-HERE-1", "unknown", "catalog"),
])
def test_what_a_station_would_refuse_and_why(cfg: Path, capsys: pytest.CaptureFixture[str],
                                             code: str, kind: str, words: str) -> None:
    status, got = scan(cfg, capsys, code)
    assert status == 1 and got["kind"] == kind and words in got["reason"], got


def test_human_output_is_a_few_lines(cfg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--config", str(cfg), "scan", "431234567890123"]) == 1
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "431234567890123: more than one reading"
    assert "could be: tracking number STO" in out and "could be: tracking number YD" in out
    assert main(["--config", str(cfg), "scan", "\x1b[2Jjunk"]) == 1
    assert "\x1b" not in capsys.readouterr().out  # shown, not run by the terminal
