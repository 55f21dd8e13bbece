"""Each station's command sheet is made from its own flow's commands: printed through the real
layout, every code on it is taken at its station, and every command the station takes is on it."""

from __future__ import annotations

import re
from itertools import count
from pathlib import Path

import pytest
from sqlalchemy import Engine, insert, update

from db.engine import write_tx
from pickpack.commands import command_sheet, station_commands
from pickpack.config import Config
from pickpack.core.context import Floor
from pickpack.core.events import Actor
from pickpack.core.flows import make_flow
from pickpack.core.flows.base import StationFlow
from pickpack.core.release import release
from pickpack.core.tables import LINES, ORDERS, SKUS, WAYBILLS
from pickpack.scan import Scan
from printers import PrinterSetup, print_slips
from stations import screen_for
from tests.core import floorkit
from tests.core.floorkit import PAID
from tests.printers.escpos_decode import decode
from tests.stations.conftest import MUG, TEE

MODES = ("pick", "verify", "pack", "weigh", "ship")
BADGE = {"pick": "OP1001", "verify": "OP2001", "pack": "OP3001", "weigh": "OP3001", "ship": "OP3001"}
SUPERVISOR = "OP9001"
REFUSED_AS_UNKNOWN = ("unexpected", "invalid_code", "unknown_command")
EXTRA = ("DONE", "UNDO", "RESET", "HOLD", "CLOSE", "REPRINT", "REMOVE", "QTY:2", "CARTON:M",
         "ACCEPT", "RELEASE", "SHORT", "R:R1", "CANCEL", "OK", "LOGOUT")
"""Commands some station takes or once printed: probed at every station."""

_numbers = count(100)


def printed_codes(mode: str, tmp_path: Path) -> tuple[list[str], str]:
    """The sheet as printed (Chinese, preview printer): the barcodes in its bytes, its text."""
    sheet = command_sheet(mode, "zh_CN")
    (job,) = print_slips([sheet], f"preview://{tmp_path}", PrinterSetup(paper_mm=80))
    return decode(job.data).barcodes(), (tmp_path / f"commands-{mode}.txt").read_text("utf-8")


def new_order(engine: Engine, config: Config) -> str:
    """One more released order (TEE ×1, MUG ×2), with a number of its own."""
    order_no = f"3901{next(_numbers):015d}"
    with write_tx(engine) as conn:
        oid = conn.execute(insert(ORDERS).values(
            order_no=order_no, buyer="tb9", receiver_name="李四", receiver_phone="13912341234",
            province="浙江省", city="杭州市", district="滨江区", street="长江路2号",
            postcode="310000", paid_at=PAID, state="new", buyer_remark="",
            platform_status="买家已付款，等待卖家发货",
        )).inserted_primary_key[0]
        conn.execute(insert(LINES).values(order_id=oid, sku="TEE-BK-XL", name="T恤", qty=1))
        conn.execute(insert(LINES).values(order_id=oid, sku="MUG-WH", name="马克杯", qty=2))
        conn.execute(update(SKUS).values(on_hand=SKUS.c.on_hand + 2))  # stock for it
        n = next(_numbers)
        for courier, tracking in (("ZTO", f"79{n:012d}"), ("YTO", f"YT{n:012d}"), ("SF", f"SF{n:012d}")):
            conn.execute(insert(WAYBILLS).values(tracking_no=tracking, courier=courier))
    release(engine, config, Actor("D1", "clerk"))
    return order_no


def ok(flow: StationFlow, code: str) -> None:
    out = flow.handle(Scan(code))
    assert out.ok, (flow.mode, code, out.message)


def at_station(engine: Engine, config: Config, mode: str) -> StationFlow:
    """A logged-in flow of ``mode`` with a fresh order open (ship: nothing open, none to open)."""
    floor = Floor(engine, config)
    basket = f"B{next(_numbers)}"
    order_no = new_order(engine, config)
    route = ["pick", "verify", "pack", "weigh"]
    for step in route[: route.index(mode) if mode in route else len(route)]:
        flow = make_flow(floor, step, "X1")
        ok(flow, BADGE[step])
        for code in {"pick": [basket, order_no, "CMD:DONE"], "verify": [basket, TEE, "CMD:QTY:2", MUG],
                     "pack": [order_no, "CMD:CARTON:M"], "weigh": [order_no]}[step]:
            ok(flow, code)
        if step == "weigh":
            assert flow.on_weight(214 + 700 + 40, stable=True).ok  # type: ignore[attr-defined, union-attr]
    flow = make_flow(floor, mode, "X2")
    ok(flow, BADGE[mode])
    if mode == "pick":
        ok(flow, basket)
    if mode != "ship":
        ok(flow, order_no)
        assert flow.order is not None
    return flow


def refusal_of(flow: StationFlow, code: str) -> str:
    """The refusal code of scanning ``CMD:code`` ("" when taken)."""
    out = flow.handle(Scan("CMD:" + code))
    return "" if out.ok else out.code


def taken(engine: Engine, config: Config, mode: str, code: str) -> bool:
    """Is ``code`` taken at ``mode``: with an order open, with nothing open, or (a reason code,
    a cancel) in an override a supervisor has begun? Refusals for other causes (no manifest…)
    count as taken."""
    if code.startswith("R:"):
        flow = at_station(engine, config, mode)
        override = next(s.code for s in station_commands(mode) if s.code in ("ACCEPT", "SHORT"))
        ok(flow, "CMD:" + override)
        ok(flow, SUPERVISOR)
        if getattr(flow, "wants_pin", False):  # supervisor authority: badge, then the typed PIN
            out = flow.enter_pin(getattr(floorkit, "SUPERVISOR_PIN", ""))  # type: ignore[attr-defined]
            assert out.ok, out.message
        return refusal_of(flow, code) not in REFUSED_AS_UNKNOWN
    if refusal_of(at_station(engine, config, mode), code) not in REFUSED_AS_UNKNOWN:
        return True
    idle = make_flow(Floor(engine, config), mode, "X3")  # logged in, nothing scanned yet
    ok(idle, BADGE[mode])
    if refusal_of(idle, code) not in REFUSED_AS_UNKNOWN:
        return True
    overrides = [s.code for s in station_commands(mode) if s.code in ("ACCEPT", "RELEASE", "SHORT")]
    if code == "CANCEL" and overrides:
        flow = at_station(engine, config, mode)
        ok(flow, "CMD:" + overrides[0])
        return refusal_of(flow, code) not in REFUSED_AS_UNKNOWN
    return False


def bound_codes(mode: str) -> set[str]:
    screen = screen_for(mode)
    found = set()
    for cls in screen.__mro__:
        for binding in getattr(cls, "BINDINGS", []):
            match = re.fullmatch(r"command\('([^']+)'\)", getattr(binding, "action", ""))
            if match:
                found.add(match.group(1))
    return found


@pytest.mark.parametrize("mode", MODES)
def test_every_code_on_the_printed_sheet_is_taken_at_its_station(
    mode: str, tmp_path: Path, config: Config, engine: Engine
) -> None:
    barcodes, text = printed_codes(mode, tmp_path)
    assert barcodes == ["CMD:" + s.code for s in station_commands(mode)]
    assert "CMD:OK" in barcodes and "CMD:LOGOUT" in barcodes
    refused = [code for code in barcodes if not taken(engine, config, mode, code[len("CMD:"):])]
    assert refused == [], f"{mode} sheet carries codes its station refuses as unexpected"
    assert {"pick": "拣货", "verify": "验货", "pack": "打包", "weigh": "称重", "ship": "发货"}[mode] in text
    assert "Log out" not in text and "退出登录" in text  # in the station's language


@pytest.mark.parametrize("mode", MODES)
def test_every_command_the_station_takes_is_on_its_sheet(
    mode: str, tmp_path: Path, config: Config, engine: Engine
) -> None:
    barcodes, _text = printed_codes(mode, tmp_path)
    on_sheet = {code[len("CMD:"):] for code in barcodes}
    assert bound_codes(mode) <= on_sheet  # every key the screen binds
    probes = {s.code for m in MODES for s in station_commands(m)} | set(EXTRA) | bound_codes(mode)
    flow = at_station(engine, config, mode)
    missing = []
    for code in sorted(probes - on_sheet):
        if refusal_of(flow, code) not in REFUSED_AS_UNKNOWN:
            missing.append(code)
        flow.handle(Scan("CMD:OK"))  # the refusal's alert
    assert missing == [], f"{mode} takes commands its sheet does not carry"


def test_the_old_generic_sheet_codes_are_gone() -> None:
    """The issue's findings: verify printed DONE and REPRINT; weigh lacked the overrides."""
    verify = {s.code for s in station_commands("verify")}
    weigh = {s.code for s in station_commands("weigh")}
    assert "DONE" not in verify and "REPRINT" not in verify
    assert {"ACCEPT", "RELEASE", "SHORT", "R:R1", "R:R5"} <= weigh


def test_english_sheet_when_the_station_says_so() -> None:
    sheet = command_sheet("verify", "en")
    assert sheet.title.startswith("Verify")
    assert ("Undo last scan", "CMD:UNDO") in sheet.commands


def test_print_commands_takes_the_station_language(tmp_path: Path) -> None:
    """`pickpack print commands`: Chinese unless the config's [station] language (or
    --language) says otherwise."""
    from tests.printers.test_cli_print import run

    for extra, expect, absent in [((), "撤销上一次扫描", "Undo last scan"),
                                  (("--language", "en"), "Undo last scan", "撤销上一次扫描")]:
        out = tmp_path / "-".join(extra or ("zh",))
        assert run("print", "commands", "--station", "verify", *extra, "--printer",
                   f"preview://{out}") == 0
        text = (out / "commands-verify.txt").read_text(encoding="utf-8")
        assert expect in text and absent not in text
