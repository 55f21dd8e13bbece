"""`pickpack print ...` through the real argument parser."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import pytest

from pickpack.cli import printing as cli_print
from printers import ExpressSlip

from .conftest import FakePrinter
from .escpos_decode import decode


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="pickpack")
    sub = parser.add_subparsers(dest="command", required=True)
    cli_print.register(sub)
    args = parser.parse_args(argv)
    args.config = None
    return int(args.handler(args))


def test_command_sheet_for_pack(tmp_path: Path) -> None:
    assert run("print", "commands", "--station", "pack", "--printer", f"preview://{tmp_path}") == 0
    txt = (tmp_path / "commands-pack.txt").read_text(encoding="utf-8")
    for code in ("CMD:CARTON:S", "CMD:CARTON:L", "CMD:CANCEL", "CMD:OK", "CMD:LOGOUT",
                 "CMD:ACCEPT", "CMD:R:R1"):
        assert code in txt
    for code in ("CMD:CLOSE", "CMD:DONE", "CMD:QTY:2", "CMD:REPRINT"):  # not taken at pack
        assert code not in txt
    assert "打包工位 命令条码" in txt  # Chinese unless the config sets [station] language


def test_command_sheet_for_ship_over_tcp(tcp_printer: FakePrinter) -> None:
    assert run("print", "commands", "--station", "ship", "--printer", tcp_printer.url) == 0
    codes = decode(tcp_printer.received()).barcodes()
    assert "CMD:CLOSE" in codes and "CMD:LOGOUT" in codes and "CMD:QTY:3" not in codes
    assert not any(code.startswith("CMD:CARTON") for code in codes)


def test_demo_pick_list(tmp_path: Path) -> None:
    rc = run("print", "picklist", "--demo", "--paper", "58", "--printer", f"preview://{tmp_path}")
    assert rc == 0
    txt = (tmp_path / "picklist-B0601-03.txt").read_text(encoding="utf-8")
    bins = [line.split()[0] for line in txt.splitlines() if line[:1] in "ABC" and "-" in line]
    assert bins == ["A-01-02", "A-01-02", "C-03-9", "C-03-10"]


def test_offline_printer_is_one_line_and_exit_1(
    refused_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("print", "express", "--demo", "--printer", refused_url) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "offline" in err


def test_store_slips_need_a_lookup(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli_print, "_lookups", {})
    assert run("print", "express", "731234567890") == 2
    assert "store" in capsys.readouterr().err


def test_registered_lookup_is_used(
    express: ExpressSlip, tcp_printer: FakePrinter, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli_print, "_lookups", {})
    cli_print.set_lookup("express", lambda key, cfg: express)
    assert run("print", "express", "731234567890", "--printer", tcp_printer.url) == 0
    assert decode(tcp_printer.received()).barcodes() == ["731234567890"]


def test_printers_import_nothing_of_ours() -> None:
    code = (
        "import sys, printers, printers.transports.preview, printers.transports.tcp;"
        "bad = [m for m in sys.modules if m.split('.')[0] in "
        "('pickpack', 'db', 'stations', 'textual')]; print(bad); sys.exit(bool(bad))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_unknown_order_through_the_store_is_a_one_line_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from pickpack.cli import main
    from tests.conftest import upgraded_store

    upgraded_store(Path("pickpack.db"))  # the default store ./pickpack.db, upgraded
    assert main(["print", "express", "731234567890"]) == 1
    assert "No order, slip or basket 731234567890" in capsys.readouterr().err
