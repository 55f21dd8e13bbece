"""Catalogs complete, Chinese on screen, Textual out of the core, every key a command barcode."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from sqlalchemy import Engine
from textual.widgets import DataTable

from pickpack.commands import COMMANDS
from pickpack.config import Config
from pickpack.locale import build
from stations import screen_for
from tests.stations.conftest import SIZE, make_app, scan, settle, station_config, status
from tests.stations.test_stations import walk


def test_every_message_has_a_chinese_translation() -> None:
    found = build.extract()
    assert "WRONG ITEM: {sku} is not in order {order_no}: put it back" in found  # core Refusal templates too
    assert "Scan the express slip, basket or order" in found  # flow texts
    assert build.missing("zh_CN") == []


def test_compiled_catalog_is_current(tmp_path) -> None:  # noqa: ANN001
    entries = build.read_po(build.po_path("zh_CN"))
    import gettext

    with open(build.po_path("zh_CN").with_suffix(".mo"), "rb") as fh:
        trans = gettext.GNUTranslations(fh)
    for msgid in build.extract():
        assert trans.gettext(msgid) == entries[msgid], msgid


def test_placeholders_survive_translation() -> None:
    entries = build.read_po(build.po_path("zh_CN"))
    for msgid, msgstr in entries.items():
        if msgid:
            assert set(re.findall(r"\{[^}]*\}", msgid)) == set(re.findall(r"\{[^}]*\}", msgstr)), msgid


@pytest.mark.parametrize("mode", list(COMMANDS))
def test_every_station_key_has_a_command_barcode(mode: str) -> None:
    codes = {code for _label, code in COMMANDS[mode]}
    for binding in screen_for(mode).BINDINGS + screen_for(mode).__mro__[1].BINDINGS:
        match = re.fullmatch(r"command\('([^']+)'\)", binding.action)  # type: ignore[union-attr]
        if match:
            assert match.group(1) in codes, (mode, binding.key, match.group(1))


def test_textual_stays_out_of_the_core() -> None:
    code = ("import sys, pickpack.core.flows, pickpack.core.ship, pickpack.intake, pickpack.devices, "
            "pickpack.devices.scale, pickpack.devices.scanners.wedge, pickpack.commands, "
            "pickpack.config, pickpack.scan, pickpack.demo, db, printers; "
            "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'stations') "
            "or m.startswith('pickpack.app')]; print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


async def test_chinese_station_keeps_its_table_aligned(tmp_path, engine: Engine) -> None:  # noqa: ANN001
    config: Config = station_config(tmp_path, station={"id": "T1", "language": "zh_CN"})
    walk(config, engine, "verify")
    app = make_app(config, engine, "verify")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await scan(pilot, "OP2001")
        assert "你好" in status(pilot)
        await scan(pilot, "B001")
        table = app.screen.query_one(DataTable)
        assert [str(c.label) for c in table.columns.values()][:3] == ["商家编码", "商品", "规格"]
        lines = app.export_screenshot()
        assert "验货" in lines
        # the table's columns line up: the name column is as wide as its widest Chinese cell
        name_col = list(table.columns.values())[1]
        assert name_col.content_width >= 6  # 马克杯 is 3 characters, 6 cells
