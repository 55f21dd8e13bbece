"""At pick, a real item and a junk code are told apart: the item says what it is and what to
scan instead; an unknown code says it is unknown."""

from __future__ import annotations

from sqlalchemy import Engine

from pickpack.config import Config
from pickpack.core.context import Floor
from pickpack.core.flows import make_flow
from pickpack.i18n import set_language
from pickpack.scan import Scan
from tests.stations.conftest import TEE


def test_an_item_at_pick_says_what_it_is_and_a_junk_code_says_unknown(
    config: Config, engine: Engine
) -> None:
    flow = make_flow(Floor(engine, config), "pick", "P1")
    assert flow.handle(Scan("OP1001")).ok
    assert flow.handle(Scan("B001")).ok
    item = flow.handle(Scan(TEE))
    assert not item.ok and item.code == "unexpected"
    assert "TEE-BK-XL" in item.message and "T恤 黑 XL" in item.message
    assert "Scan the slip or order" in item.message  # what to scan instead
    assert flow.handle(Scan("CMD:OK")).ok
    junk = flow.handle(Scan("ZZJUNK42"))
    assert not junk.ok and junk.code == "unknown_code"
    assert "Unknown code ZZJUNK42" in junk.message and "Scan the slip or order" in junk.message
    assert flow.handle(Scan("CMD:OK")).ok
    shelf = flow.handle(Scan("CMD:CLOSE"))  # a command pick does not take: as before
    assert shelf.code == "unexpected" and "Not expected here: CLOSE" in shelf.message


def test_the_item_refusal_reads_in_chinese(config: Config, engine: Engine) -> None:
    set_language("zh_CN")
    try:
        flow = make_flow(Floor(engine, config), "pick", "P1")
        flow.handle(Scan("OP1001"))
        flow.handle(Scan("B001"))
        out = flow.handle(Scan(TEE))
        assert "TEE-BK-XL" in out.message and "商品" in out.message
        flow.handle(Scan("CMD:OK"))
        assert "未知" in flow.handle(Scan("ZZJUNK42")).message
    finally:
        set_language("en")
