"""Scale protocol parsers, fed bytes the way a port delivers them (chunked, noisy)."""

from __future__ import annotations

from typing import Any

import pytest

from pickpack.config import ScaleConfig
from pickpack.devices.errors import DeviceError
from pickpack.devices.scale import make_parser
from pickpack.devices.scale.cas import CasParser
from pickpack.devices.scale.mt_sics import MtSicsParser
from pickpack.devices.scale.pattern import PatternParser
from pickpack.devices.scale.reading import Reading, StableWindow, to_kg
from pickpack.devices.scale.reversed_frames import ReversedParser
from pickpack.devices.scale.toledo_8217 import Toledo8217Parser
from pickpack.devices.scale.toledo_continuous import ToledoContinuousParser
from pickpack.devices.scale.xk3190 import Xk3190Parser

from .frames import toledo_cont, xk3190


def feed_bytewise(parser: object, data: bytes) -> list[Reading]:
    out: list[Reading] = []
    for i in range(len(data)):
        out += parser.feed(data[i : i + 1])  # type: ignore[attr-defined]
    return out


def test_units_convert_to_kg() -> None:
    assert to_kg(1234, "g") == 1.234
    assert to_kg(1, "lb") == 0.4535924
    assert to_kg(-2.5, "KG") == -2.5
    with pytest.raises(ValueError):
        to_kg(1, "stone")


def test_stable_window() -> None:
    w = StableWindow(3)
    assert [w.push(x) for x in (1.0, 1.0, 1.0, 1.1, 1.1, 1.1)] == [0, 0, 1, 0, 0, 1]


def test_reading_json_has_the_contract_keys() -> None:
    keys = Reading(1.0, True, "kg", "x").to_json().keys()
    assert {"weight_kg", "stable", "unit", "raw"} <= keys


def test_mt_sics_answers() -> None:
    p = MtSicsParser()
    data = b"S D      1.230 kg\r\nS S      1.234 kg\r\nS S     -0.020 kg\r\nS S    250.5 g\r\n"
    got = feed_bytewise(p, data)
    assert [(r.weight_kg, r.stable, r.unit) for r in got] == [
        (1.23, False, "kg"), (1.234, True, "kg"), (-0.02, True, "kg"), (0.2505, True, "g"),
    ]
    assert got[1].raw == "S S      1.234 kg"
    over, under = p.feed(b"S +\r\nS -\r\n")
    assert over.overload and not over.stable and under.underload
    assert p.feed(b"Z A\r\nS I\r\nES\r\nEL\r\n\x00\xffjunk\r\n") == []
    assert p.errors == ["ES: syntax error", "EL: logic error"] and p.garbage == 1
    assert p.poll == b"SI\r\n" and p.zero_command == b"Z\r\n" and p.tare_command == b"T\r\n"


def test_toledo_8217_weight_and_status() -> None:
    p = Toledo8217Parser(unit="kg")
    (weight,) = p.feed(b"\x0201.234\r")
    assert weight.weight_kg == 1.234 and weight.stable
    (moving,) = p.feed(b"\x02?\x21\r")  # bit 0: in motion
    assert not moving.stable and moving.weight_kg == 1.234
    (over,) = p.feed(b"\x02\x22\r")  # bit 1: over capacity
    assert over.overload and over.weight_kg == 0.0
    (under,) = p.feed(b"\x02?\x24\r")
    assert under.underload
    assert p.feed(b"\x02xx\r") == [] and p.garbage == 1


def test_toledo_continuous_decimal_sign_motion_net_units() -> None:
    p = ToledoContinuousParser()
    frames = (
        toledo_cont("001234", point=5)
        + toledo_cont("001234", point=4, swb=0x30 | 0x02)  # negative, 12.34
        + toledo_cont("000500", point=2, swb=0x30 | 0x08)  # motion, 500 kg
        + toledo_cont("002000", point=3, swb=0x20 | 0x01)  # net, lb, 200.0
        + toledo_cont("000123", point=1)  # x10: 1230
        + toledo_cont("001234", point=2, swc=0x21)  # grams
        + toledo_cont("000000", point=5, swb=0x30 | 0x04)  # out of range
    )
    got = p.feed(b"\x00\xff" + frames)  # noise before the first STX
    assert [r.weight_kg for r in got] == [1.234, -12.34, 500.0, 90.718474, 1230.0, 1.234, 0.0]
    assert [r.stable for r in got] == [True, True, False, True, True, True, False]
    assert got[3].net and got[3].unit == "lb" and got[5].unit == "g"
    assert got[6].overload and p.garbage == 1


def test_toledo_continuous_checksum_detected_and_checked() -> None:
    p = ToledoContinuousParser()
    good = toledo_cont("001234", check=True)
    stream = good + good + toledo_cont("009999", check=False) + good
    got = feed_bytewise(p, stream)
    assert p.has_checksum is True
    assert [r.weight_kg for r in got] == [1.234, 1.234, 1.234]
    assert p.bad_check == 1


def test_cas_lines() -> None:
    p = CasParser()
    data = (
        b"ST,GS,+  1.234kg\r\nUS,GS,+  1.100kg\r\nST,NT,-  0.050kg\r\n"
        b"ST,GS,01,+001250 g\r\nST,GS,+   2.50lb\r\nOL,GS,+      kg\r\nhello\r\n"
    )
    got = p.feed(data[:13]) + p.feed(data[13:])
    assert [(r.weight_kg, r.stable, r.unit) for r in got] == [
        (1.234, True, "kg"), (1.1, False, "kg"), (-0.05, True, "kg"),
        (1.25, True, "g"), (1.1339809, True, "lb"), (0.0, False, "kg"),
    ]
    assert got[2].net and got[5].overload and p.garbage == 1


def test_xk3190_frames_check_and_window() -> None:
    p = Xk3190Parser(stable_window=3)
    # "+0012343": 2B^30^30^31^32^33^34^33 = 0x1C, sent as the characters "1" "C"
    assert xk3190("+001234") == b"\x02+00123431C\x03"
    stream = b"\xfe" + xk3190("+001234") * 2 + xk3190("+001234", bad=True) + xk3190("+001234")
    got = feed_bytewise(p, stream + xk3190("-000050", 2))
    assert [(r.weight_kg, r.stable) for r in got] == [
        (1.234, False), (1.234, False), (1.234, True), (-0.5, False),
    ]
    assert p.bad_check == 1 and p.garbage == 1


def test_xk3190_partial_frame_cut_by_the_next() -> None:
    p = Xk3190Parser(stable_window=1)
    got = p.feed(xk3190("+001234")[:6] + xk3190("+000999", 1))
    assert [r.weight_kg for r in got] == [99.9] and p.garbage == 1


def test_reversed_frames() -> None:
    p = ReversedParser(stable_window=2)
    got = feed_bytewise(p, b"=432.100=432.100=00.0000=432.10-=ab.c")
    assert [r.weight_kg for r in got] == [1.234, 1.234, 0.0, -1.234]
    assert [r.stable for r in got] == [False, True, False, False]
    assert p.feed(b"=") == [] and p.garbage == 1


def test_pattern_with_groups() -> None:
    p = PatternParser(pattern=r"(?P<stable>ST)?\S*\s*W:(?P<sign>[+-])(?P<weight>[\d.]+)(?P<unit>kg|g|lb)")
    got = p.feed(b"ST W:+1.500kg\r\nUS W:-200g\r\nnothing\r\n")
    assert [(r.weight_kg, r.stable) for r in got] == [(1.5, True), (-0.2, False)]
    assert p.garbage == 1


def test_pattern_reversed_implied_decimals_and_window() -> None:
    p = PatternParser(2, "kg", pattern=r"w(?P<weight>\d{6})", reversed_digits=True, decimals=3)
    got = p.feed(b"w432100\nw432100\n")
    assert [(r.weight_kg, r.stable) for r in got] == [(1.234, False), (1.234, True)]


def test_pattern_errors_are_clear() -> None:
    with pytest.raises(DeviceError, match="weight"):
        PatternParser(pattern=r"(\d+)")
    with pytest.raises(DeviceError, match="regex"):
        PatternParser(pattern=r"(?P<weight>")


@pytest.mark.parametrize("protocol", ["cas", "mt-sics", "reversed", "xk3190-a9", "toledo-8217"])
def test_parsers_never_raise_on_garbage(protocol: Any) -> None:
    p = make_parser(ScaleConfig(protocol=protocol))
    noise = bytes(range(256)) * 4 + b"\r\n=\x02\x03" * 50
    assert isinstance(p.feed(noise), list)
    assert len(p.buffer) <= 512


def test_make_parser_uses_config() -> None:
    cfg = ScaleConfig(protocol="pattern", pattern=r"(?P<weight>\d+)", pattern_decimals=2,
                      pattern_unit="g", stable_window=1)
    (r,) = make_parser(cfg).feed(b"12345\n")
    assert r.weight_kg == 0.12345 and r.unit == "g" and r.stable
