"""`pickpack stock show|adjust|count|export|decide` and the catalog re-import through the real
command line (issue 16.8, 16.9)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy import select, update

from db.engine import write_tx
from pickpack.cli import main
from pickpack.core.tables import EVENTS, SKUS
from pickpack.store import open_store
from tests.cli.terminal import on_terminal
from tests.conftest import make_config
from tests.core.floorkit import SUPERVISOR_PIN, seed


@pytest.fixture
def cfg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(f'[store]\nurl = "sqlite:///{tmp_path / "pp.db"}"\n[station]\nid = "D1"\n'
                    'mode = "desk"\n', encoding="utf-8")
    engine = open_store(make_config(tmp_path), create=True)
    seed(engine, orders=2)
    engine.dispose()
    monkeypatch.delenv("PICKPACK_PIN", raising=False)
    return path


def run(cfg: Path, *args: str) -> int:
    return main(["--config", str(cfg), *args])


def out_json(capsys: pytest.CaptureFixture[str]) -> object:
    return json.loads(capsys.readouterr().out)


def on_hand(tmp_path: Path, sku: str) -> int:
    engine = open_store(make_config(tmp_path))
    with engine.connect() as conn:
        n = int(conn.execute(select(SKUS.c.on_hand).where(SKUS.c.sku == sku)).scalar_one())
    engine.dispose()
    return n


def test_show_adjust_and_the_supervisor_they_need(
        cfg: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    assert run(cfg, "release") == 0
    capsys.readouterr()
    assert run(cfg, "stock", "show", "MUG-WH", "--json") == 0
    mug = out_json(capsys)
    assert isinstance(mug, dict)
    assert (mug["on_hand"], mug["reserved"], mug["available"], mug["bins"]) == (
        40, 4, 33, {"C-02-01": 40})
    assert run(cfg, "stock", "adjust", "MUG-WH", "-3", "--reason", "damaged") == 1
    err = capsys.readouterr().err
    assert "needs a supervisor" in err and err.count("\n") == 1
    assert run(cfg, "stock", "adjust", "MUG-WH", "+12", "--reason", "received",
               "--operator", "OP3001") == 0
    assert "+12 (received) → 52 there, 52 on hand" in capsys.readouterr().out
    monkeypatch.setenv("PICKPACK_PIN", SUPERVISOR_PIN)
    assert run(cfg, "stock", "adjust", "MUG-WH", "-3", "--reason", "damaged",
               "--supervisor", "OP9001", "--note", "摔碎", "--json") == 0
    done = out_json(capsys)
    assert isinstance(done, dict) and (done["delta"], done["on_hand"]) == (-3, 49)
    assert run(cfg, "stock", "show", "NOPE") == 1
    assert "Unknown SKU NOPE" in capsys.readouterr().err
    assert run(cfg, "stock", "show") == 0
    table = capsys.readouterr().out
    assert "MUG-WH" in table and "C-02-01:49" in table


def test_count_from_arguments_and_from_a_scanner_file(
        cfg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(cfg, "stock", "count", "C-02-01", "6961760313721=6", "6952890786660",
               "--json") == 0
    counted = out_json(capsys)
    assert isinstance(counted, dict)
    assert counted["lines"] == [{"sku": "MUG-WH", "expected": 40, "counted": 37,
                                 "in_baskets": 0, "delta": -3}]
    assert on_hand(tmp_path, "MUG-WH") == 37
    scans = tmp_path / "scans.txt"
    scans.write_text("A-01-02\n6901661318609\n6901661318609\nTEE-BK-XL,10\n", encoding="utf-8")
    assert run(cfg, "stock", "count", "--file", str(scans), "--operator", "OP1001") == 0
    assert "bin A-01-02: 1 SKUs counted, 1 differences booked" in capsys.readouterr().out
    assert on_hand(tmp_path, "TEE-BK-XL") == 12
    assert run(cfg, "stock", "count", "C-02-01", "MUG-WH=x") == 2
    assert "whole number" in capsys.readouterr().err
    assert run(cfg, "stock", "count", "C-02-01", "6900000000007") == 1
    assert "Unknown item 6900000000007" in capsys.readouterr().err


def test_export_escapes_formulas_in_csv_and_xlsx(
        cfg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    engine = open_store(make_config(tmp_path))
    with write_tx(engine) as conn:
        conn.execute(update(SKUS).where(SKUS.c.sku == "SOCK-3")
                     .values(name='=HYPERLINK("http://x","袜子")'))
    engine.dispose()
    assert run(cfg, "stock", "export") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "sku,name,available,on_hand,reserved,safety_stock"
    assert 'SOCK-3,"\'=HYPERLINK(""http://x"",""袜子"")",2,5,0,3' in lines
    out = tmp_path / "stock.xlsx"
    assert run(cfg, "stock", "export", "--out", str(out)) == 0
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("stock").to_python()
    assert rows[0][:3] == ["sku", "name", "available"]
    sock = next(r for r in rows if r[0] == "SOCK-3")
    assert sock[1] == "'=HYPERLINK(\"http://x\",\"袜子\")" and sock[2] == 2


def test_catalog_reimport_reports_counted_stock_and_set_stock_takes_the_file(
        cfg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cat = tmp_path / "catalog.csv"
    cat.write_text("sku,name,barcodes,bin,on_hand\nP1,T恤,6901234567892,A-09-01,10\n",
                   encoding="utf-8")
    assert run(cfg, "import", "catalog", str(cat)) == 0
    assert run(cfg, "stock", "count", "A-09-01", "P1=8") == 0
    cat.write_text("sku,name,barcodes,bin,on_hand\nP1,T恤,6901234567892,A-09-01,12\n",
                   encoding="utf-8")
    capsys.readouterr()
    assert run(cfg, "import", "catalog", str(cat)) == 0
    seen = capsys.readouterr()
    assert "1 stock differences kept" in seen.out
    assert "stock kept: P1 on hand 8 in the store, 12 in the file" in seen.err
    assert on_hand(tmp_path, "P1") == 8
    assert run(cfg, "import", "catalog", str(cat), "--set-stock") == 0
    assert on_hand(tmp_path, "P1") == 12
    engine = open_store(make_config(tmp_path))
    with engine.connect() as conn:
        kinds = [k for k in conn.execute(select(EVENTS.c.kind).where(
            EVENTS.c.kind.like("stock_%")).order_by(EVENTS.c.id)).scalars()]
    engine.dispose()
    assert kinds == ["stock_import", "stock_count", "stock_kept", "stock_import"]


def test_an_order_short_of_stock_waits_or_is_held_by_a_decision_on_record(
        cfg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    engine = open_store(make_config(tmp_path))
    with write_tx(engine) as conn:
        conn.execute(update(SKUS).where(SKUS.c.sku == "MUG-WH").values(on_hand=5))
    engine.dispose()
    assert run(cfg, "release") == 0  # 5 − 3 safety: the first takes 2, the second is short
    capsys.readouterr()
    assert run(cfg, "stock", "show", "--short", "--json") == 0
    [short] = out_json(capsys)  # type: ignore[misc]
    order_no = short["order_no"]
    assert short["short"] == {"MUG-WH": 2} and short["decision"] == ""
    assert run(cfg, "stock", "decide", "3900000000000000000", "hold", "--reason", "x") == 1
    assert "not held short of stock" in capsys.readouterr().err
    assert run(cfg, "stock", "decide", order_no, "hold", "--reason", "等补货通知买家") == 0
    assert run(cfg, "stock", "adjust", "MUG-WH", "+10", "--reason", "received") == 0
    assert run(cfg, "release", "--json") == 0
    capsys.readouterr()
    assert run(cfg, "order", "show", order_no, "--json") == 0
    assert out_json(capsys)["state"] == "held"  # type: ignore[index]  # a hand hold now
    assert run(cfg, "stock", "decide", order_no, "wait", "--reason", "到货了", "--json") == 0
    assert out_json(capsys)["decision"] == "wait"  # type: ignore[index]
    assert run(cfg, "release") == 0
    assert "1 holds cleared by the re-audit" in capsys.readouterr().out


def test_catalog_reimport_on_a_terminal_asks_before_it_overwrites_counted_stock(
        cfg: Path, tmp_path: Path) -> None:
    cat = tmp_path / "catalog.csv"
    cat.write_text("sku,name,barcodes,bin,on_hand\nMUG-WH,陶瓷马克杯 白,6952890786660,C-02-01,"
                   "60\n", encoding="utf-8")
    assert run(cfg, "stock", "count", "C-02-01", "MUG-WH=39") == 0
    code, text = on_terminal(["--config", str(cfg), "import", "catalog", str(cat)], tmp_path,
                             {b"[y/N] ": b"y\n"})
    assert code == 0, text
    assert "MUG-WH on hand 39 in the store, 60 in the file" in text and "[y/N]" in text
    assert on_hand(tmp_path, "MUG-WH") == 60
