"""A station speaks Chinese unless its config or the terminal's locale asks for English."""

from __future__ import annotations

import pytest

from pickpack.config import parse_config
from pickpack.i18n import _, set_language


@pytest.mark.parametrize(("env", "expected"), [
    ({}, "zh_CN"),
    ({"LANG": "C.UTF-8"}, "zh_CN"),
    ({"LANG": "zh_CN.UTF-8"}, "zh_CN"),
    ({"LANG": "en_US.UTF-8"}, "en"),
    ({"LANG": "zh_CN.UTF-8", "LC_ALL": "en_GB.UTF-8"}, "en"),  # LC_ALL decides first
    ({"LANG": "en_US.UTF-8", "LC_MESSAGES": "zh_TW.UTF-8"}, "zh_CN"),
    ({"LANG": "zh_CN.UTF-8", "TERM": "linux"}, "en"),  # the kernel console has no Chinese font
])
def test_language_unset_in_config_follows_the_locale(
        env: dict[str, str], expected: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert parse_config({}).station.language == expected
    assert parse_config({"station": {"id": "V9"}}).station.language == expected


def test_language_in_config_wins_over_the_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert parse_config({"station": {"language": "en"}}).station.language == "en"


def test_the_empty_string_never_becomes_the_catalogue_header() -> None:
    """gettext answers "" with the .po header (Content-Type: …): it leaked into a table header."""
    set_language("zh_CN")
    try:
        assert _("") == ""
        assert _("Scan your badge") != "Scan your badge"  # the catalogue is in use
    finally:
        set_language("en")
