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


# ---- frames from the field (issue 15.4): each written byte for byte as the scale sends it ----


def test_toledo_8217_net_marker_and_plus_sign() -> None:
    p = Toledo8217Parser(unit="kg")
    net, plain, plus = feed_bytewise(p, b"\x0201.250N\r" + b"\x02 01.250\r" + b"\x02+0.500\r")
    assert (net.weight_kg, net.stable, net.net) == (1.25, True, True)
    assert (plain.weight_kg, plain.net) == (1.25, False)
    assert plus.weight_kg == 0.5 and not plus.net
    assert p.feed(b"\x02N\r\x0201.2X\r") == [] and p.garbage == 2


def test_cas_shapes_from_the_field() -> None:
    p = CasParser()
    data = b"ST,GS,+000000.kg\r\nST,GS    20.7g\r\nST,US,+   0.05kg\r\nST,NT,-   .5kg\r\n"
    got = feed_bytewise(p, data)
    assert [(r.weight_kg, r.stable, r.unit, r.net) for r in got] == [
        (0.0, True, "kg", False), (0.0207, True, "g", False), (0.05, False, "kg", False),
        (-0.5, True, "kg", True),
    ]
    assert got[2].raw == "ST,US,+   0.05kg"
    assert p.feed(b"ST,GS,+.kg\r\nST,XX,+1.0kg\r\nST GS 1.0kg\r\n") == [] and p.garbage == 3


def test_mt_sics_explicit_plus() -> None:
    p = MtSicsParser()
    got = feed_bytewise(p, b"S S     +0.250 kg\r\nS D     +1.5 g\r\nS S    +-0.250 kg\r\n")
    assert [(r.weight_kg, r.stable) for r in got] == [(0.25, True), (0.0015, False)]
    assert p.garbage == 1


def test_xk3190_check_written_as_0x30_plus_nibble() -> None:
    # "+0012343": XOR 0x1C, written as the characters "1" and "<" (0x30+1, 0x30+12)
    assert xk3190("+001234", nibble=True) == b"\x02+00123431<\x03"
    auto = Xk3190Parser(stable_window=1)
    got = feed_bytewise(auto, b"\x02+00123431<\x03" + b"\x02+00123431C\x03" + b"\x02+00123431c\x03")
    assert [r.weight_kg for r in got] == [1.234, 1.234, 1.234] and auto.bad_check == 0
    hex_only = Xk3190Parser(stable_window=1, check="hex")
    assert hex_only.feed(b"\x02+00123431<\x03") == [] and hex_only.bad_check == 1
    nibble_only = Xk3190Parser(stable_window=1, check="nibble")
    assert nibble_only.feed(b"\x02+00123431C\x03") == [] and nibble_only.bad_check == 1
    (r,) = nibble_only.feed(b"\x02+00123431<\x03")
    assert r.weight_kg == 1.234
    # a wrong value in either alphabet is still a bad check, mixed alphabets too
    assert auto.feed(b"\x02+00123431;\x03\x02+00123431B\x03\x02+0012343:C\x03") == []
    assert auto.bad_check == 3


def test_xk3190_check_from_config() -> None:
    assert make_parser(ScaleConfig(protocol="xk3190-a9")).check == "auto"  # type: ignore[attr-defined]
    pinned = make_parser(ScaleConfig(protocol="xk3190-a9", check="nibble", stable_window=1))
    assert pinned.feed(xk3190("+001234")) == [] and pinned.bad_check == 1
    with pytest.raises(ValueError, match="check"):
        ScaleConfig(protocol="xk3190-a9", check="crc")  # type: ignore[arg-type]
