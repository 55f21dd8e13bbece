"""`pickpack demo` honours config.toml (or --config): language, couriers, route, printers."""

from __future__ import annotations

from pathlib import Path

import pytest

from pickpack.config import parse_config
from pickpack.demo import build_demo, demo_config


def test_the_demo_takes_what_the_shop_set(tmp_path: Path) -> None:
    base = parse_config({
        "station": {"id": "V7", "language": "en", "mode": "ship"},
        "workflow": {"route": ["verify", "weigh", "ship"]},
        "couriers": {"default": "YTO", "rules": [{"prefix": "广东", "courier": "SF"}]},
        "printers": {"express": "tcp://192.0.2.7:9100", "packing": "preview://slips"},
        "floor": {"cutoff_paid": "15:00"},
    }, "shop.toml")
    cfg = demo_config(tmp_path / "demo", base)
    assert cfg.station.language == "en" and cfg.station.id == "DEMO"
    assert cfg.workflow.route == ["verify", "weigh", "ship"]
    assert cfg.couriers.default == "YTO" and cfg.couriers.rules[0].courier == "SF"
    assert cfg.floor.cutoff_paid == "15:00"
    assert cfg.printers.express == "tcp://192.0.2.7:9100"  # the shop's own printer
    assert cfg.printers.packing == f"preview://{(tmp_path / 'demo' / 'slips').resolve()}"
    assert cfg.scale.port == "sim"
    assert cfg.store.url.endswith(str(tmp_path / "demo" / "pickpack.db"))


@pytest.mark.parametrize(("lang", "expected"), [("zh_CN.UTF-8", "zh_CN"), ("en_US.UTF-8", "en")])
def test_with_no_language_set_the_demo_follows_the_locale(
        lang: str, expected: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", lang)
    assert demo_config(tmp_path, parse_config({"couriers": {"default": "YTO"}})).station.language \
        == expected
    assert demo_config(tmp_path).station.language == expected


def test_a_demo_on_a_small_shops_route_is_built(tmp_path: Path) -> None:
    """verify → weigh → ship: no pick station, orders are verified straight from the shelf."""
    base = parse_config({"workflow": {"route": ["verify", "weigh", "ship"]}})
    demo = build_demo(tmp_path / "demo", base)
    assert demo.cfg.workflow.route == ["verify", "weigh", "ship"]
    assert demo.states.get("weighed", 0) > 0 and "picked" not in demo.states
    demo.engine.dispose()
