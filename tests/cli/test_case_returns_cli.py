"""`pickpack return register|receive|list|refunds` (issue 18.1, 18.2, 18.9)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.cli.test_case_cli import cfg_file, run  # noqa: F401 - the fixture

MUG = "6952890786660"


def test_register_receive_list_and_the_finance_export(cfg_file: Path,  # noqa: F811
                                                      capsys: pytest.CaptureFixture[str],
                                                      tmp_path: Path) -> None:
    assert run(cfg_file, "return", "register", "3900000000000000000", "--tracking",
               "SF1300000000001", "--reason", "七天无理由", "--item", "MUG-WH:1") == 0
    assert "return R1 registered" in capsys.readouterr().out
    assert run(cfg_file, "return", "list", "--state", "expected", "--json") == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(r["id"], r["late"], r["declared"]) for r in listed] == [
        (1, False, [{"sku": "MUG-WH", "qty": 1}])]
    assert run(cfg_file, "return", "receive", "SF1300000000001", "--item", f"{MUG}:restock",
               "--item", f"{MUG}:scrap", "--json") == 0
    done = json.loads(capsys.readouterr().out)
    assert done["flags"] == ["MUG-WH: declared 1, received 2"] and done["case"] == 1
    assert run(cfg_file, "return", "refunds") == 0
    assert "1 refunds to pay" in capsys.readouterr().out
    out = tmp_path / "refunds.xlsx"
    assert run(cfg_file, "return", "refunds", "--out", str(out)) == 0
    assert "1 refund instructions exported" in capsys.readouterr().out
    rows = [[c.value for c in r] for r in load_workbook(out).active.iter_rows()]  # type: ignore[union-attr]
    assert rows[0][:3] == ["退款编号", "订单编号", "退款金额"]
    assert rows[1][1] == "3900000000000000000" and rows[1][3] == "R1"
    assert run(cfg_file, "return", "refunds", "--json") == 0
    assert json.loads(capsys.readouterr().out) == []  # exported: no longer pending
    assert run(cfg_file, "return", "receive", "X1", "--item", f"{MUG}:broken") == 2
    assert "GRADE one of restock" in capsys.readouterr().err


def test_import_refunds_from_the_command_line(cfg_file: Path,  # noqa: F811
                                              capsys: pytest.CaptureFixture[str],
                                              tmp_path: Path) -> None:
    from tests.core.test_aftersales_refunds import NO, export, row

    path = export(tmp_path, row(NO + "00", "8001", "MUG-WH", "10.00", "是", "等待买家退货",
                                tracking="YT1234567890"))
    assert run(cfg_file, "import", "refunds", str(path)) == 0
    assert capsys.readouterr().out.strip() == "refunds: 1 refunds, 1 returns expected"
    assert run(cfg_file, "return", "list", "--json") == 0
    assert [r["tracking_no"] for r in json.loads(capsys.readouterr().out)] == ["YT1234567890"]
    bad = export(tmp_path, row(NO + "00", "8002", "", "x", "否", "退款成功"), name="bad.csv")
    assert run(cfg_file, "import", "refunds", str(bad)) == 1
    assert "bad.csv row 2, amount: not an amount: 'x'" in capsys.readouterr().err


def test_the_refund_import_says_what_it_did_in_chinese(cfg_file: Path,  # noqa: F811
                                                       capsys: pytest.CaptureFixture[str],
                                                       monkeypatch: pytest.MonkeyPatch,
                                                       tmp_path: Path) -> None:
    from tests.core.test_aftersales_refunds import NO, export, row

    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    path = export(tmp_path, row(NO + "00", "8101", "MUG-WH", "10.00", "是", "等待买家退货",
                                tracking="YT1234567899"),
                  row("3999999999999999999", "8102", "", "9.00", "否", "退款成功"))
    assert run(cfg_file, "import", "refunds", str(path)) == 0
    said = capsys.readouterr().out.strip()
    assert said.startswith("退款") and "3999999999999999999" in said
    assert re.findall(r"[a-z]{3,}", said) == [], said
