"""`pickpack order release|hold|cancel|ack|edit` through the real command line (issue 16.9):
--json, one-line refusals, the supervisor's PIN from PICKPACK_PIN."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import insert

from db.engine import write_tx
from pickpack.cli import main
from pickpack.core.tables import BARCODES, OPERATORS, SKUS
from pickpack.store import open_store
from tests.conftest import make_config
from tests.core.desk_kit import events, oid, row, set_order
from tests.core.floorkit import SUPERVISOR_PIN, seed

A, B, C = (f"39000000000000000{i:02d}" for i in range(3))


@pytest.fixture
def cfg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(f'[store]\nurl = "sqlite:///{tmp_path / "pp.db"}"\n[station]\nid = "D1"\n'
                    'mode = "desk"\n[desk.gifts]\n"小毛巾" = "GIFT-TOWEL"\n', encoding="utf-8")
    monkeypatch.delenv("PICKPACK_PIN", raising=False)
    engine = open_store(make_config(tmp_path), create=True)
    seed(engine, orders=3)
    with write_tx(engine) as conn:
        conn.execute(insert(SKUS).values(sku="GIFT-TOWEL", name="小毛巾", on_hand=100))
        conn.execute(insert(BARCODES).values(code="6900000000017", sku="GIFT-TOWEL"))
        conn.execute(insert(OPERATORS).values(code="OP5001", name="孙文员", role="clerk",
                                              roles="clerk", active=True))
    engine.dispose()
    return path


def run(cfg: Path, *args: str) -> int:
    return main(["--config", str(cfg), *args])


def out_json(capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    out = capsys.readouterr().out
    assert out.count("\n") == 1, out
    data = json.loads(out)
    assert isinstance(data, dict)
    return data


def engine_of(tmp_path: Path):  # type: ignore[no-untyped-def]
    return open_store(make_config(tmp_path))


def test_hold_release_cancel_with_reasons_and_one_line_refusals(
        cfg: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    assert run(cfg, "release") == 0
    capsys.readouterr()
    assert run(cfg, "order", "hold", A, "--reason", "buyer", "--note", "回电", "--json") == 0
    assert out_json(capsys) | {"note": ""} == {
        "order_no": A, "state": "held", "was": "ready", "action": "hold", "reason": "BUYER",
        "reason_text": "the buyer asked to wait", "supervisor": None, "note": ""}
    assert run(cfg, "order", "hold", A, "--reason", "BUYER") == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is held: it cannot be held" in err
    assert run(cfg, "order", "release", A, "--reason", "NOPE") == 1
    assert "Unknown reason code NOPE: one of FIXED" in capsys.readouterr().err
    assert run(cfg, "order", "release", A, "--reason", "buyer") == 0
    assert capsys.readouterr().out.startswith(f"order {A} released (BUYER")
    # picking: a cancel needs a supervisor; the PIN comes from the environment
    engine = engine_of(tmp_path)
    set_order(engine, B, state="picking", basket="B001")
    assert run(cfg, "order", "cancel", B, "--reason", "refund") == 1
    assert "needs a supervisor's badge and PIN" in capsys.readouterr().err
    assert run(cfg, "order", "cancel", B, "--reason", "refund", "--supervisor", "OP9001") == 2
    assert "PICKPACK_PIN" in capsys.readouterr().err
    monkeypatch.setenv("PICKPACK_PIN", SUPERVISOR_PIN)
    assert run(cfg, "order", "cancel", B, "--reason", "refund", "--supervisor", "OP9001",
               "--by", "OP5001", "--json") == 0
    done = out_json(capsys)
    assert (done["state"], done["supervisor"], done["note"]) == (
        "cancelled", "OP9001", "intercepted on the floor")
    with engine.connect() as conn:
        from sqlalchemy import select

        from pickpack.core.tables import EVENTS
        who = conn.execute(select(EVENTS.c.operator).where(EVENTS.c.kind == "cancelled")).scalar()
    assert who == "OP5001"
    assert run(cfg, "order", "hold", C, "--reason", "BUYER", "--by", "OP2001") == 2
    assert "王校验 is not a clerk" in capsys.readouterr().err
    assert run(cfg, "order", "cancel", "NO-SUCH", "--reason", "REFUND") == 2
    assert "no order with order no." in capsys.readouterr().err
    engine.dispose()


def test_ack_shows_then_accepts_the_suggestions_with_edits(
        cfg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    engine = engine_of(tmp_path)
    set_order(engine, C, buyer_remark="请不要放发票，送人的不要价格单", seller_memo="赠品：小毛巾一条")
    assert run(cfg, "release", "--json") == 0
    assert json.loads(capsys.readouterr().out)["held"] == {"remark to acknowledge": 1}
    assert run(cfg, "order", "ack", C, "--dry-run") == 0
    assert capsys.readouterr().out.strip() == (
        f"{C}: not: invoice, no price list, gift GIFT-TOWEL")
    assert run(cfg, "order", "ack", C, "--invoice", "--gift", "GIFT-TOWEL*2",
               "--gift-message", "生日快乐", "--by", "OP5001", "--json") == 0
    done = out_json(capsys)
    assert done["actions"] == [{"kind": "no_price", "value": "", "negated": False},
                               {"kind": "gift", "value": "GIFT-TOWEL*2", "negated": False},
                               {"kind": "invoice", "value": "", "negated": False}]
    assert (done["state"], done["acked_by"], done["gift_lines"]) == (
        "ready", "OP5001", ["GIFT-TOWEL*2"])
    assert events(engine, C, "remark_acked")[-1][1]["actions"] == done["actions"]
    assert run(cfg, "order", "show", C, "--json") == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["checklist"] == ["invoice"] and shown["no_price"] is True
    assert shown["gift_message"] == "生日快乐"
    assert run(cfg, "order", "ack", C, "--gift", "NOSUCH") == 1
    assert "no SKU NOSUCH in the catalog" in capsys.readouterr().err
    engine.dispose()


def test_edit_after_printing_voids_the_slip(cfg: Path, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    from tests.core.desk_kit import express_printed

    assert run(cfg, "release") == 0
    engine = engine_of(tmp_path)
    old = row(engine, A).tracking_no
    express_printed(engine, A)
    capsys.readouterr()
    assert run(cfg, "order", "edit", A, "--reason", "wrong", "--street", "长江路2号",
               "--json") == 0
    done = out_json(capsys)
    assert done["changes"] == {"street": ["长江路1号", "长江路2号"]}
    assert done["tracking_no"] != old and str(done["note"]).startswith(f"void {old}")
    assert run(cfg, "order", "show", old, "--json") == 0
    assert json.loads(capsys.readouterr().out)["tracking_no"] == done["tracking_no"]
    assert run(cfg, "order", "edit", A, "--reason", "WRONG") == 1
    assert "Nothing to change" in capsys.readouterr().err
    assert oid(engine, old) == oid(engine, A)
    engine.dispose()


def test_merge_and_split_at_the_command_line_keep_every_order_number(
        cfg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(cfg, "order", "merge", A, B, "--json") == 0
    merged = out_json(capsys)
    assert (merged["parcel"], merged["orders"], merged["state"]) == (A, [A, B], "new")
    assert run(cfg, "release") == 0
    capsys.readouterr()
    for key in (B, str(row(engine_of(tmp_path), A).tracking_no)):
        assert run(cfg, "order", "show", key, "--json") == 0
        shown = json.loads(capsys.readouterr().out)
        assert shown["parcel"]["orders"] == [A, B]
    assert run(cfg, "order", "list", "--json") == 0
    listed = {o["order_no"]: o for o in json.loads(capsys.readouterr().out)}
    assert set(listed) == {A, B, C} and listed[B]["parcel"] == A
    assert run(cfg, "order", "show", C, "--json") == 0
    line = json.loads(capsys.readouterr().out)["lines"][1]["id"]
    assert run(cfg, "order", "split", C, "--lines", f"{line}:1") == 0
    assert capsys.readouterr().out.startswith(f"split: parcel {C} ({C}): ready")
    assert run(cfg, "order", "split", C, "--lines", "x") == 2
    assert "LINE or LINE:QTY" in capsys.readouterr().err
    assert run(cfg, "order", "split", f"{C}-2", "--undo", "--json") == 0
    assert out_json(capsys)["action"] == "unsplit"
    assert run(cfg, "order", "merge", A, "--undo", "--json") == 0
    assert out_json(capsys)["orders"] == [A]
    assert run(cfg, "order", "merge", A, "--undo") == 1
    assert "is not a merged parcel" in capsys.readouterr().err


def test_order_show_names_the_parcel_in_words(cfg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(cfg, "order", "merge", A, B) == 0
    capsys.readouterr()
    assert run(cfg, "order", "show", B) == 0
    out = capsys.readouterr().out
    assert f"  parcel {A} new -: orders {A}, {B}" in out and f"{B}  merged" in out
