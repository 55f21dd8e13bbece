"""Field test: a receiver name with control characters in it (a platform export's stray
``\\x1b``, tabs, zero-width marks) is masked by the name a person sees, not by its raw length."""

from __future__ import annotations

from printers.compose import compose
from printers.doc import Text
from printers.layouts import ExpressSlip, mask_name


def test_control_characters_are_dropped_before_masking() -> None:
    raw = "孙\x1b\x07\t小\u200b红\r\n\x00\x7f"
    assert mask_name(raw) == mask_name("孙小红") == "孙**"
    assert mask_name("\x1b孙") == "孙"
    slip = ExpressSlip("ZTO", "中通快递", "7300000000000", None, raw, "13812341234",
                       "浙江省杭州市滨江区长江路1号", "PickPack", "3900000000000000000", 1)
    text = "\n".join(b.text for b in compose(slip).blocks if isinstance(b, Text))
    assert "收件人：孙**  138****1234" in text, text
