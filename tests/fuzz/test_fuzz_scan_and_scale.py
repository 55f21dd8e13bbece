"""Fuzzing the classifier (any code, any AIM symbology, under the default and a hostile but valid
config) and every scale protocol parser (any bytes, any chunking). The classifier always answers
with one of its kinds (``invalid`` with a reason for what cannot be read); a parser never raises,
and what it returns are readings with a finite weight (or nothing: no weight)."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from pickpack.config import BarcodesConfig, CouriersConfig, ScaleConfig
from pickpack.core.classify import KINDS, Classifier
from pickpack.devices.scale import make_parser
from pickpack.devices.scale.protocol import PARSERS
from tests.fuzz.conftest import fuzz

GS = "\x1d"
DEFAULT = Classifier(BarcodesConfig(), CouriersConfig())
WIDE = Classifier(BarcodesConfig(operator=r".*", basket=r"B.*", command_prefix="#", order=r"\d+",
                                 location=r".+-.+"),
                  CouriersConfig(patterns={"SF": r"SF.*", "ZTO": r"\d+", "X": r"(a|aa)+"}))
SYMBOLOGIES = st.one_of(st.none(), st.sampled_from(["]C1", "]C0", "]E0", "]E4", "]e0", "]d2",
                                                    "]Q3", "]J1", "]A0", "]I1", "]X0"]),
                        st.text(max_size=4))
GS1_BITS = st.sampled_from(["01", "02", "00", "10", "17", "21", "30", "37", "3103", "8200",
                            "09506000134352", "00614141123452", GS, "(01)", "(17)", "("])
CODES = st.one_of(
    st.text(max_size=60),
    st.lists(st.one_of(GS1_BITS, st.text(alphabet="0123456789", max_size=14)), max_size=8)
    .map("".join),
    st.sampled_from(["CMD:", "CMD::", "CMD:QTY:", "CMD:QTY:0", "CMD:QTY:99999", "CMD:QTY:²",
                     "CMD:R:", "R:R1", "]C1", "010", "01" + "9" * 14, "00" + "0" * 18,
                     "https://id.gs1.org/01/09506000134352", "https://id.gs1.org/01/x",
                     "0" * 8, "1" * 12, "０１２３４５６７８９０１２", "\x00", "\r\n", " ", "\u202e",
                     "9" * 5000, "SF" + "1" * 11, "OP" + "1" * 6]),
)


def check(classifier: Classifier, code: str, symbology: str | None) -> None:
    got = classifier.classify(code, symbology)
    assert got.kind in KINDS, got
    assert isinstance(got.value, str)
    if got.kind in ("invalid", "ambiguous"):
        assert got.reason, got
    for reading in classifier.candidates(code, symbology):
        assert reading.kind in KINDS


@fuzz(10)
@given(code=CODES, symbology=SYMBOLOGIES)
def test_the_classifier_reads_any_code(code: str, symbology: str | None) -> None:
    check(DEFAULT, code, symbology)


@fuzz(4)
@given(code=CODES, symbology=SYMBOLOGIES)
def test_a_classifier_with_wide_patterns_reads_any_code(code: str, symbology: str | None) -> None:
    check(WIDE, code, symbology)


PATTERN = r"(?P<stable>ST|US)?\s*W:(?P<sign>[+-]?)(?P<weight>[\d.]+)\s*(?P<unit>kg|g|lb)?"
CONFIGS = [ScaleConfig(protocol=name, stable_window=2)  # type: ignore[arg-type]
           for name in sorted(PARSERS) if name != "pattern"] + [
    ScaleConfig(protocol="pattern", pattern=PATTERN, stable_window=2),
    ScaleConfig(protocol="pattern", pattern=r"(?P<weight>[-+\d.eE]+)", pattern_decimals=3),
    ScaleConfig(protocol="pattern", pattern=r"=(?P<weight>\d+\.?\d*)", pattern_reversed=True),
]
FRAME_BITS = st.sampled_from([
    b"\x02", b"\x03", b"\r", b"\n", b"\r\n", b"=", b"ST,GS,", b"US,NT,", b"OL", b"S S ", b"S D ",
    b"ES", b"EL", b" kg", b" g", b" lb", b"+", b"-", b".", b"W:", b"ST W:", b"9" * 40, b"1e400",
    b"0000.00=", b"\xff", b"\x00", b"S I", b"\x02+00123402", b"  1.234 kg", b"NaN", b"inf",
])
STREAMS = st.lists(st.one_of(FRAME_BITS, st.binary(max_size=24),
                             st.text(alphabet="0123456789.+- ", max_size=12).map(str.encode)),
                   max_size=30)


@fuzz(10)
@given(config=st.sampled_from(CONFIGS), chunks=STREAMS)
def test_every_scale_parser_takes_any_bytes(config: ScaleConfig, chunks: list[bytes]) -> None:
    parser = make_parser(config)
    for chunk in chunks:
        for reading in parser.feed(chunk):
            assert math.isfinite(reading.weight_kg), reading
            assert isinstance(reading.stable, bool)
    assert parser.garbage >= 0 and parser.bad_check >= 0
