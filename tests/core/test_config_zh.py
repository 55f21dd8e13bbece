"""A bad config in Chinese (issue 20 §1, §5): one line naming the file as given, the key and
what is wrong — pydantic's own words (a number, one of, at least), our validators' and TOML's
syntax errors included — with no English word left but the keys and values typed in the file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pickpack.config import ConfigError, load_config
from pickpack.i18n import set_language
from tests.cli.test_zh_cli import _english
from tests.stations.test_zh_screens import WORD

BAD = [
    ("[station]\nidle_logout_min = \"soon\"\n", "[station.idle_logout_min]"),
    ("[store]\npool_size = 1.5\n", "[store.pool_size]"),
    ("[station]\nmode = \"packer\"\n", "[station.mode]"),
    ("[printers]\npaper_mm = \"wide\"\n", "[printers.paper_mm]"),
    ("[printers]\nchinese = \"maybe\"\n", "[printers.chinese]"),
    ("[station]\nid = 7\n", "[station.id]"),
    ("[station]\nid = \"\"\n", "[station.id]"),
    ("[floor]\ncutoff_paid = \"25:99\"\n", "[floor.cutoff_paid]"),
    ("[floor]\ntimezone = \"Mars/Olympus\"\n", "[floor.timezone]"),
    ("[barcodes]\norder = '(\\d+'\n", "[barcodes.order]"),
    ("[workflow]\nroute = \"pick\"\n", "[workflow.route]"),
    ("[station.foo]\nbar = 1\n", "[station.foo]"),
    ("[station]\nid = \n", "第 2 行"),
    ("[station\nid = \"A\"\n", "第 1 行"),
    ("[station]\nid = \"A\"\nid = \"B\"\n", "第 3 行"),
]


@pytest.fixture
def zh() -> Iterator[None]:
    set_language("zh_CN")
    yield
    set_language("en")


@pytest.mark.parametrize(("text", "where"), BAD, ids=[w for _t, w in BAD])
def test_a_bad_config_is_one_chinese_line_naming_file_and_key(
        text: str, where: str, tmp_path: Path, zh: None) -> None:
    path = tmp_path / "站点.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    said = str(err.value)
    assert "\n" not in said and said.startswith(str(path)) and where in said, said
    typed = {w.rstrip(":.-/") for w in WORD.findall(text)} | {"true", "false"}  # TOML's words
    left = [w for w in _english(said.removeprefix(str(path))) if w not in typed]
    assert left == [], said


def test_the_same_config_error_in_english_says_it_in_english(tmp_path: Path) -> None:
    path = tmp_path / "site.toml"
    path.write_text("[station]\nidle_logout_min = \"soon\"\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"site.toml: \[station.idle_logout_min\] .*number"):
        load_config(path)
