"""Property tests: the device protocol parsers never crash and never invent a weight from garbage.

Scale parsers (``pickpack.devices.scale.*``, fed bytes through ``ScaleParser.feed``), the serial
scanner's ``LineFramer``/``decode_code`` and the evdev ``KeyDecoder``, driven by hypothesis.
A parser counts what it throws away in ``garbage`` and ``bad_check`` (never raising) and counts
the readings it returns in ``frames``; a ``Reading`` carries ``weight_kg`` (kilograms) and the
``unit`` the scale sent, over/underload readings carry 0 kg and are never stable.
"""

from __future__ import annotations

import math

import pytest
from evdev import InputEvent, ecodes
from hypothesis import example, given, settings
from hypothesis import strategies as st

from pickpack.config import ScaleConfig
from pickpack.devices.scale import make_parser
from pickpack.devices.scale.protocol import MAX_BUFFER, ScaleParser
from pickpack.devices.scale.reading import TO_KG, Reading, to_kg
from pickpack.devices.scale.toledo_continuous import ToledoContinuousParser, checksum
from pickpack.devices.scale.xk3190 import Xk3190Parser
from pickpack.devices.scanners.keys import (
    ALTS,
    CTRLS,
    KEYMAP,
    KEYPAD,
    KEYPAD_SIGNS,
    LETTERS,
    SHIFTS,
    TERMINATORS,
    KeyDecoder,
)
from pickpack.devices.scanners.serial import MAX_CODE, LineFramer

from .frames import toledo_cont, xk3190

SETTINGS = settings(max_examples=300, deadline=None, database=None)

# --------------------------------------------------------------------------------------------
# Scale parsers
# --------------------------------------------------------------------------------------------

PATTERN = r"(?P<stable>ST|US)?\s*W:(?P<sign>[+-]?)(?P<weight>[\d.]+)\s*(?P<unit>kg|g|lb)?"
CONFIGS: dict[str, ScaleConfig] = {
    "mt-sics": ScaleConfig(protocol="mt-sics", stable_window=2),
    "toledo-8217": ScaleConfig(protocol="toledo-8217", stable_window=2),
    "toledo-continuous": ScaleConfig(protocol="toledo-continuous", stable_window=2),
    "cas": ScaleConfig(protocol="cas", stable_window=2),
    "xk3190-a9": ScaleConfig(protocol="xk3190-a9", stable_window=2),
    "reversed": ScaleConfig(protocol="reversed", stable_window=2),
    "pattern": ScaleConfig(protocol="pattern", pattern=PATTERN, stable_window=2),
    "pattern-implied": ScaleConfig(
        protocol="pattern", pattern=r"w(?P<weight>\d+)", pattern_decimals=3, stable_window=2
    ),
}
PROTOCOLS = sorted(CONFIGS)


def new_parser(protocol: str) -> ScaleParser:
    return make_parser(CONFIGS[protocol])


def split(data: bytes, cuts: list[int]) -> list[bytes]:
    """``data`` cut at the given points (mod its length); repeated points give empty chunks."""
    points = [0, *sorted(c % (len(data) + 1) for c in cuts), len(data)]
    return [data[a:b] for a, b in zip(points, points[1:], strict=False)]


def key(r: Reading) -> tuple[object, ...]:
    """A reading without its timestamp."""
    return (r.weight_kg, r.stable, r.unit, r.raw, r.net, r.overload, r.underload)


def check_reading(r: Reading, protocol: str) -> None:
    assert isinstance(r, Reading), f"{protocol}: feed returned {r!r}, not a Reading"
    assert isinstance(r.weight_kg, float) and math.isfinite(r.weight_kg), (
        f"{protocol}: non-finite weight {r.weight_kg!r} from frame {r.raw!r}"
    )
    assert r.unit.strip().lower() in TO_KG, (
        f"{protocol}: reading with unknown unit {r.unit!r} from frame {r.raw!r}"
    )
    if r.overload or r.underload:
        assert r.weight_kg == 0.0 and not r.stable, f"{protocol}: over/underload reading {r!r}"


def feed_checked(parser: ScaleParser, chunks: list[bytes], protocol: str) -> list[Reading]:
    """Feed chunk by chunk, checking every reading and the counters after every call."""
    out: list[Reading] = []
    garbage, bad_check = 0, 0
    for chunk in chunks:
        got = parser.feed(chunk)
        assert isinstance(got, list), f"{protocol}: feed returned {got!r}"
        if not chunk:
            assert got == [], f"{protocol}: feeding no bytes gave readings {got!r}"
        for r in got:
            check_reading(r, protocol)
        out += got
        assert isinstance(parser.garbage, int) and parser.garbage >= garbage >= 0, (
            f"{protocol}: garbage count went from {garbage} to {parser.garbage}"
        )
        assert isinstance(parser.bad_check, int) and parser.bad_check >= bad_check >= 0, (
            f"{protocol}: bad_check count went from {bad_check} to {parser.bad_check}"
        )
        garbage, bad_check = parser.garbage, parser.bad_check
        assert parser.frames == len(out), (
            f"{protocol}: frames={parser.frames} but {len(out)} readings were returned"
        )
        assert len(parser.buffer) <= MAX_BUFFER, f"{protocol}: buffer grew to {len(parser.buffer)}"
        assert all(isinstance(e, str) for e in parser.errors)
    return out


def readings(protocol: str, chunks: list[bytes]) -> list[tuple[object, ...]]:
    return [key(r) for r in feed_checked(new_parser(protocol), chunks, protocol)]


# ---- valid frames: (bytes, weight_kg of the reading or None when the frame gives none) ----

Frame = tuple[bytes, float | None]
TERMS = st.sampled_from(["\r\n", "\r", "\n"])


def decimal_text(max_int: int = 999999, max_places: int = 3) -> st.SearchStrategy[str]:
    """``1.234``, ``0.05``, ``1250``: a weight as a scale writes it."""

    def build(n: int, places: int) -> str:
        if not places:
            return str(n)
        s = str(n).rjust(places + 1, "0")
        return f"{s[:-places]}.{s[-places:]}"

    return st.builds(build, st.integers(0, max_int), st.integers(0, max_places))


@st.composite
def cas_frame(draw: st.DrawFn) -> Frame:
    state = draw(st.sampled_from(["ST", "US", "OL"]))
    kind = draw(st.sampled_from(["GS", "NT", "TR", "US"]))  # "ST,US,…": a weight, not stable
    sep = draw(st.sampled_from([",", " ", ""]))  # "ST,GS    20.7g": no comma after the kind
    dev = draw(st.sampled_from(["", "01,", " 7,"]))
    unit = draw(st.sampled_from(["kg", "g", "lb", "KG", "oz", "t"]))
    end = draw(TERMS)
    if state == "OL":
        sign = draw(st.sampled_from(["+", "-"]))
        return f"OL,{kind}{sep}{dev}{sign}      {unit}{end}".encode(), 0.0
    sign = draw(st.sampled_from(["+", "-", ""]))
    num = draw(decimal_text())
    value = float(num) * (-1 if sign == "-" else 1)
    return f"{state},{kind}{sep}{dev}{sign}{num:>8}{unit}{end}".encode(), to_kg(value, unit)


@st.composite
def mt_sics_frame(draw: st.DrawFn) -> Frame:
    kind = draw(st.sampled_from(["weight", "weight", "weight", "over", "under", "answer"]))
    if kind == "over":
        return b"S +\r\n", 0.0
    if kind == "under":
        return b"S -\r\n", 0.0
    if kind == "answer":  # busy, acknowledgements, an error: no weight in them
        return draw(st.sampled_from([b"S I\r\n", b"Z A\r\n", b"TAC A\r\n", b"ES\r\n"])), None
    flag = draw(st.sampled_from("SD"))
    sign = draw(st.sampled_from(["", "-", "+"]))  # "S S     +0.250 kg"
    num = draw(decimal_text())
    unit = draw(st.sampled_from(["kg", "g", "lb"]))
    value = float(num) * (-1 if sign == "-" else 1)
    return f"S {flag} {sign + num:>10} {unit}\r\n".encode(), to_kg(value, unit)


@st.composite
def toledo_8217_stream(draw: st.DrawFn) -> list[Frame]:
    frames: list[Frame] = []
    last = 0.0
    for _ in range(draw(st.integers(0, 8))):
        if draw(st.booleans()):
            sign = draw(st.sampled_from(["", "-", "+"]))
            net = draw(st.sampled_from(["", "N"]))  # "STX 01.250N CR": a net weight
            # a weight answer is never one byte: that is a status (STX 1 CR is 0x31, in motion)
            num = draw(decimal_text().filter(lambda t: len(t) > 1))
            last = to_kg(float(num) * (-1 if sign == "-" else 1), "kg")
            frames.append((f"\x02{sign}{num}{net}\r".encode(), last))
        else:
            status = draw(st.integers(0x20, 0x3F))
            weight = 0.0 if status & 0x06 else last
            frames.append((b"\x02?" + bytes([status]) + b"\r", weight))
    return frames


def toledo_cont_weight(n: int, point: int, swb: int, swc: int) -> float:
    value = n * (100 if point == 0 else 10) if point < 2 else n / 10 ** (point - 2)
    if swb & 0x02:
        value = -value
    unit = {1: "g", 2: "t", 3: "oz"}.get(swc & 0x07) or ("kg" if swb & 0x10 else "lb")
    return 0.0 if swb & 0x04 else to_kg(value, unit)


@st.composite
def toledo_cont_stream(draw: st.DrawFn, check: bool | None | str = "either") -> list[Frame]:
    if check == "either":  # one scale: checksums on or off throughout
        check = draw(st.sampled_from([None, True]))
    frames: list[Frame] = []
    for _ in range(draw(st.integers(0, 6))):
        n = draw(st.integers(0, 999999))
        point = draw(st.integers(0, 7))
        flags = draw(st.lists(st.sampled_from([0x01, 0x02, 0x04, 0x08, 0x10, 0x40]), unique=True))
        swb = 0x20 | sum(flags)
        swc = 0x20 | draw(st.integers(0, 3))
        frame = toledo_cont(f"{n:06d}", point=point, swb=swb, swc=swc, check=check)
        frames.append((frame, toledo_cont_weight(n, point, swb, swc)))
    return frames


@st.composite
def xk3190_frame(draw: st.DrawFn) -> Frame:
    sign = draw(st.sampled_from("+-"))
    n = draw(st.integers(0, 999999))
    places = draw(st.integers(0, 4))
    value = n / 10**places * (-1 if sign == "-" else 1)
    nibble = draw(st.booleans())  # the check as hex or as 0x30+nibble: "auto" reads both
    return xk3190(f"{sign}{n:06d}", places, nibble=nibble), to_kg(value, "kg")


@st.composite
def reversed_frame(draw: st.DrawFn) -> Frame:
    sign = draw(st.sampled_from(["", "-"]))
    num = draw(decimal_text(max_int=99999, max_places=3))
    shown = sign + num.rjust(7 - len(sign), "0")  # what the display shows, 7 characters
    value = float(num) * (-1 if sign else 1)
    return b"=" + shown[::-1].encode(), to_kg(value, "kg")


@st.composite
def pattern_frame(draw: st.DrawFn) -> Frame:
    stable = draw(st.sampled_from(["ST ", "US ", ""]))
    sign = draw(st.sampled_from(["+", "-", ""]))
    num = draw(decimal_text())
    unit = draw(st.sampled_from(["kg", "g", "lb", ""]))
    end = draw(TERMS)
    value = float(num) * (-1 if sign == "-" else 1)
    return f"{stable}W:{sign}{num}{unit}{end}".encode(), to_kg(value, unit or "kg")


@st.composite
def pattern_implied_frame(draw: st.DrawFn) -> Frame:
    n = draw(st.integers(0, 9999999))
    return f"w{n:06d}{draw(TERMS)}".encode(), to_kg(n / 10**3, "kg")


def lists_of(frame: st.SearchStrategy[Frame]) -> st.SearchStrategy[list[Frame]]:
    return st.lists(frame, max_size=8)


VALID_STREAMS: dict[str, st.SearchStrategy[list[Frame]]] = {
    "cas": lists_of(cas_frame()),
    "mt-sics": lists_of(mt_sics_frame()),
    "toledo-8217": toledo_8217_stream(),
    "toledo-continuous": toledo_cont_stream(),
    "xk3190-a9": lists_of(xk3190_frame()),
    "reversed": lists_of(reversed_frame()),
    "pattern": lists_of(pattern_frame()),
    "pattern-implied": lists_of(pattern_implied_frame()),
}
assert set(VALID_STREAMS) == set(PROTOCOLS)


def stream_bytes(protocol: str, frames: list[Frame]) -> bytes:
    data = b"".join(f for f, _ in frames)
    # a reversed frame has no terminator: the next "=" ends it (a lone "=" stays pending)
    if protocol == "reversed":
        return data + b"="
    # Toledo continuous: the first frame waits for what follows it (checksum or next STX)
    if protocol == "toledo-continuous":
        return data + b"\x02("
    return data


# ---- frame-shaped noise: the right markers, wrong or extreme fields ----

NUMBER = st.builds(
    lambda head, n, tail: head + "9" * n + tail,
    st.text("0123456789.", max_size=6),
    st.integers(0, 400),  # up to far more digits than a float holds
    st.text("0123456789.", max_size=6),
)
SIGN = st.text("+- ", max_size=3)
UNIT = st.one_of(
    st.sampled_from(["kg", "g", "lb", "t", "oz", "KG", ""]),
    st.text("abcdefghijklmnopqrstuvwxyzKGLB", max_size=4),
)


@st.composite
def noisy_frame(draw: st.DrawFn, protocol: str) -> bytes:
    if protocol == "cas":
        state = draw(st.sampled_from(["ST", "US", "OL", "XX"]))
        kind = draw(st.sampled_from(["GS", "NT", "TR", "QQ"]))
        text = f"{state},{kind},{draw(SIGN)}{draw(NUMBER)}{draw(UNIT)}{draw(TERMS)}"
    elif protocol == "mt-sics":
        flag = draw(st.sampled_from(list("SDI+-X")))
        text = f"S {flag} {draw(SIGN)}{draw(NUMBER)} {draw(UNIT)}{draw(TERMS)}"
    elif protocol == "toledo-8217":
        text = f"\x02{draw(SIGN)}{draw(NUMBER)}\r"
    elif protocol == "toledo-continuous":
        status = draw(st.binary(min_size=3, max_size=3))
        digits = draw(st.text(" 0123456789", min_size=12, max_size=12)).encode()
        return b"\x02" + status + digits + b"\r" + draw(st.binary(max_size=1))
    elif protocol == "xk3190-a9":
        body = draw(st.text("+- 0123456789", min_size=8, max_size=8))
        check = draw(st.text("0123456789ABCDEFabcdef", min_size=2, max_size=2))
        text = f"\x02{body}{check}\x03"
    elif protocol == "reversed":
        text = "=" + draw(st.text("0123456789.-+ ", max_size=9))
    elif protocol == "pattern":
        stable = draw(st.sampled_from(["ST ", "US ", "", "XX "]))
        text = f"{stable}W:{draw(SIGN)}{draw(NUMBER)}{draw(UNIT)}{draw(TERMS)}"
    else:
        text = f"w{draw(NUMBER)}{draw(TERMS)}"
    return text.encode()


CUTS = st.lists(st.integers(0, 2**16), max_size=24)


@pytest.mark.parametrize("protocol", PROTOCOLS)
@SETTINGS
@given(data=st.binary(max_size=2000), cuts=CUTS)
def test_any_bytes_never_raise(protocol: str, data: bytes, cuts: list[int]) -> None:
    """Arbitrary bytes, arbitrarily chunked: no exception, only sane readings, sane counters."""
    feed_checked(new_parser(protocol), split(data, cuts), protocol)


@pytest.mark.parametrize("protocol", PROTOCOLS)
@SETTINGS
@given(data=st.data(), cuts=CUTS)
def test_valid_frames_among_noise_never_raise(protocol: str, data: st.DataObject, cuts: list[int]) -> None:
    """Valid frames interleaved with random bytes, split at random points."""
    frames = data.draw(VALID_STREAMS[protocol], label="frames")
    noise = data.draw(
        st.lists(st.binary(max_size=24), min_size=len(frames) + 1, max_size=len(frames) + 1), label="noise"
    )
    stream = noise[0] + b"".join(f + n for (f, _), n in zip(frames, noise[1:], strict=True))
    feed_checked(new_parser(protocol), split(stream, cuts), protocol)


@pytest.mark.parametrize("protocol", PROTOCOLS)
@SETTINGS
@given(data=st.data(), cuts=CUTS)
def test_frame_shaped_noise_never_raises_or_gives_an_infinite_weight(
    protocol: str, data: st.DataObject, cuts: list[int]
) -> None:
    """Frames with the right markers but wrong, odd or overlong fields (huge digit runs,
    unknown units, bad signs), mixed with random bytes: no exception, every reading sane."""
    parts = data.draw(st.lists(st.one_of(noisy_frame(protocol), st.binary(max_size=8)), max_size=6))
    feed_checked(new_parser(protocol), split(b"".join(parts), cuts), protocol)


@pytest.mark.parametrize("protocol", PROTOCOLS)
@SETTINGS
@given(data=st.data(), cuts=CUTS)
def test_valid_frames_read_the_same_whole_or_chunked(
    protocol: str, data: st.DataObject, cuts: list[int]
) -> None:
    """A stream of valid frames gives one reading per weight frame, with the weight it carries,
    and exactly the same readings whether fed whole, byte by byte or in random chunks."""
    frames = data.draw(VALID_STREAMS[protocol], label="frames")
    stream = stream_bytes(protocol, frames)
    whole = readings(protocol, [stream])
    expected = [w for _, w in frames if w is not None]
    assert [w for w, *_ in whole] == pytest.approx(expected, abs=1e-6), (
        f"{protocol}: weights read from {stream!r}"
    )
    assert readings(protocol, split(stream, cuts)) == whole, f"{protocol}: chunked differs, {stream!r}"
    bytewise = [stream[i : i + 1] for i in range(len(stream))]
    assert readings(protocol, bytewise) == whole, f"{protocol}: byte by byte differs, {stream!r}"


@pytest.mark.parametrize("protocol", PROTOCOLS)
@SETTINGS
@given(data=st.data(), cuts=CUTS)
def test_any_stream_reads_the_same_whole_or_chunked(
    protocol: str, data: st.DataObject, cuts: list[int]
) -> None:
    """protocol.py: "feed it bytes (any chunking, noise included)". Below MAX_BUFFER (where the
    buffer is never dropped) the readings of any byte stream must not depend on the chunking."""
    parts = data.draw(
        st.lists(
            st.one_of(
                VALID_STREAMS[protocol].map(lambda fs: stream_bytes(protocol, fs)),
                noisy_frame(protocol).filter(lambda b: len(b) < 100),
                st.binary(max_size=16),
            ),
            max_size=6,
        )
    )
    stream = b"".join(parts)[:MAX_BUFFER]
    whole = readings(protocol, [stream])
    assert readings(protocol, split(stream, cuts)) == whole, f"{protocol}: chunked differs, {stream!r}"


# ---- garbage never yields a reading where the protocol has a check ----

MARKERS = {  # bytes a frame cannot do without
    "xk3190-a9": b"\x02\x03",
    "toledo-8217": b"\x02\r",
    "toledo-continuous": b"\x02\r",
    "reversed": b"=",
    "cas": b"\r\n",
    "mt-sics": b"\r\n",
    "pattern": b"\r\n",
    "pattern-implied": b"\r\n",
}


@pytest.mark.parametrize("protocol", PROTOCOLS)
@SETTINGS
@given(data=st.data(), cuts=CUTS)
def test_bytes_without_a_frame_marker_give_no_reading(
    protocol: str, data: st.DataObject, cuts: list[int]
) -> None:
    """Leave out any one byte a frame needs (start or end marker): nothing is read, ever."""
    missing = data.draw(st.sampled_from(list(MARKERS[protocol])), label="missing marker")
    alphabet = [b for b in range(256) if b != missing]
    stream = bytes(data.draw(st.lists(st.sampled_from(alphabet), max_size=1500), label="bytes"))
    got = feed_checked(new_parser(protocol), split(stream, cuts), protocol)
    assert got == [], f"{protocol}: {got!r} read from bytes without {bytes([missing])!r}"


SHAPE_FREE = {  # lines that cannot have the shape the line protocols need
    "cas": b",",  # "ST,GS,…"
    "mt-sics": b"S",  # "S S …", "S +"
    "pattern": b":",  # "W:…"
    "pattern-implied": b"w",
}


@pytest.mark.parametrize("protocol", sorted(SHAPE_FREE))
@SETTINGS
@given(data=st.data(), cuts=CUTS)
def test_lines_without_the_line_shape_give_no_reading(
    protocol: str, data: st.DataObject, cuts: list[int]
) -> None:
    missing = SHAPE_FREE[protocol][0]
    line = st.lists(st.sampled_from([b for b in range(256) if b != missing]), max_size=40).map(bytes)
    lines = data.draw(st.lists(st.tuples(line, TERMS), max_size=20))
    stream = b"".join(text + end.encode() for text, end in lines)
    parser = new_parser(protocol)
    got = feed_checked(parser, split(stream, cuts), protocol)
    assert got == [], f"{protocol}: {got!r} read from lines without {bytes([missing])!r}"


@SETTINGS
@given(
    before=xk3190_frame(),
    target=xk3190_frame(),
    after=xk3190_frame(),
    index=st.integers(1, 8),
    new=st.integers(0, 255),
    cuts=CUTS,
)
def test_xk3190_flipped_payload_byte_gives_no_reading(
    before: Frame, target: Frame, after: Frame, index: int, new: int, cuts: list[int]
) -> None:
    """One byte of sign/digits/places changed: the XOR check (or the frame shape) fails, the frame
    is dropped and counted, and the frames around it are still read."""
    frame = target[0]
    if new == frame[index]:
        new ^= 0x01
    broken = frame[:index] + bytes([new]) + frame[index + 1 :]
    parser = Xk3190Parser(stable_window=2)
    got = feed_checked(parser, split(before[0] + broken + after[0], cuts), "xk3190-a9")
    assert [r.weight_kg for r in got] == pytest.approx([before[1], after[1]], abs=1e-9), (
        f"a reading from the corrupted frame {broken!r}"
    )
    assert parser.garbage + parser.bad_check >= 1, f"{broken!r} was not counted"
    still_shaped = (index == 1 and new in b"+-") or (index > 1 and chr(new) in "0123456789")
    if still_shaped:
        assert (parser.bad_check, parser.garbage) == (1, 0), f"{broken!r}: a bad check"


STX_CHECKSUM = toledo_cont("999995")  # its checksum byte is 0x02, the same byte as STX
assert checksum(STX_CHECKSUM) == 0x02


def corrupted(frame: bytes, index: int) -> bytes:
    """``frame`` with the byte at ``index`` (a weight or tare digit) changed: checksum now wrong."""
    out = bytearray(frame)
    out[index] = ord("7") if out[index] != ord("7") else ord("8")
    return bytes(out)


@SETTINGS
@given(first=toledo_cont_stream(check=True), cuts=CUTS, index=st.integers(4, 15))
@example(first=[(toledo_cont("999995", check=True), 999.995)], cuts=[], index=4)
def test_toledo_continuous_bad_checksum_gives_no_reading(
    first: list[Frame], cuts: list[int], index: int
) -> None:
    """Once the stream has shown it carries checksums, a frame whose checksum does not match
    gives no reading (counted in ``bad_check``), and the next good frame is read."""
    good = first or [(toledo_cont("001234", check=True), 1.234)]
    bad = corrupted(toledo_cont("002500", check=True), index)
    tail = toledo_cont("000500", check=True)
    stream = b"".join(f for f, _ in good) + bad + tail
    # the first frame comes whole with its checksum byte: the detection has all it needs
    chunks = [good[0][0], *split(stream[len(good[0][0]) :], cuts)]
    parser = ToledoContinuousParser()
    got = feed_checked(parser, chunks, "toledo-continuous")
    assert [r.weight_kg for r in got] == pytest.approx([w for _, w in good] + [0.5], abs=1e-6), (
        f"a frame with a bad checksum was read (has_checksum={parser.has_checksum}): {stream!r}"
    )
    assert parser.bad_check == 1


@SETTINGS
@given(frames=toledo_cont_stream(check=True), index=st.integers(4, 15))
def test_toledo_continuous_first_frame_bad_checksum_gives_no_reading(frames: list[Frame], index: int) -> None:
    """The very first frame has a checksum that does not match and arrives in a read that ends
    at its CR (the checksum byte comes a moment later, as it does on a real port)."""
    bad = corrupted(toledo_cont("002500", check=True), index)
    good = b"".join(f for f, _ in frames)
    parser = ToledoContinuousParser()
    got = feed_checked(parser, [bad[:17], bad[17:] + good], "toledo-continuous")
    assert [r.weight_kg for r in got] == pytest.approx([w for _, w in frames], abs=1e-6), (
        f"the first frame, whose checksum is wrong, was read: {bad!r}"
    )


@SETTINGS
@given(body=st.text(" 0123456789.-", max_size=40), cuts=CUTS)
def test_toledo_8217_frame_reads_the_same_however_chunked(body: str, cuts: list[int]) -> None:
    """``take_between`` (max_len 16): "overlong frames are garbage", whether or not the whole
    frame happens to arrive in one read."""
    frame = f"\x02{body}\r".encode()
    whole = readings("toledo-8217", [frame])
    bytewise = readings("toledo-8217", [frame[i : i + 1] for i in range(len(frame))])
    assert whole == bytewise, f"{frame!r}: whole {whole!r}, byte by byte {bytewise!r}"
    assert readings("toledo-8217", split(frame, cuts)) == whole


@SETTINGS
@given(
    status=st.integers(0x20, 0x3F).filter(lambda s: s & 0x07), question=st.booleans(), before=decimal_text()
)
def test_toledo_8217_status_frame_is_never_a_stable_weight(status: int, question: bool, before: str) -> None:
    """toledo_8217.py: a scale that is not stable answers ``STX ? status CR`` (or ``STX status
    CR``); bit 0 in motion, bit 1 over, bit 2 under zero. Such an answer is never a stable weight."""
    parser = new_parser("toledo-8217")
    frame = b"\x02" + (b"?" if question else b"") + bytes([status]) + b"\r"
    got = feed_checked(parser, [f"\x02{before}\r".encode(), frame], "toledo-8217")
    assert len(got) == 2, f"{frame!r} gave {got!r}"
    first, r = got
    assert not r.stable, f"status {status:#04x} ({frame!r}) read as a stable {r.weight_kg} kg"
    assert (r.overload, r.underload) == (bool(status & 0x02), bool(status & 0x04)), frame
    assert r.weight_kg == (0.0 if status & 0x06 else first.weight_kg), frame


@SETTINGS
@given(width=st.integers(5, 10), data=st.data())
def test_reversed_width_from_config_is_used(width: int, data: st.DataObject) -> None:
    """config.toml ``reversed_width``: characters after '=' in a frame of the reversed protocol."""
    nums = data.draw(st.lists(st.integers(0, 10 ** (width - 1) - 1), min_size=1, max_size=5))
    places = data.draw(st.integers(1, 3))
    shown = [str(n).rjust(width - 1, "0") for n in nums]
    shown = [s[: len(s) - places] + "." + s[len(s) - places :] for s in shown]  # width chars
    stream = b"".join(b"=" + s[::-1].encode() for s in shown) + b"="
    parser = make_parser(ScaleConfig(protocol="reversed", reversed_width=width, stable_window=1))
    got = feed_checked(parser, [stream], "reversed")
    assert [r.weight_kg for r in got] == pytest.approx([float(s) for s in shown], abs=1e-9), (
        f"reversed_width={width}: {stream!r}"
    )


# --------------------------------------------------------------------------------------------
# Serial scanner framing
# --------------------------------------------------------------------------------------------

TERMINATOR = {"CR": b"\r", "LF": b"\n", "CRLF": b"\r\n"}


def frame_all(term: str, chunks: list[bytes]) -> list[str]:
    framer = LineFramer(term)
    out: list[str] = []
    for chunk in chunks:
        got = framer.feed(chunk)
        assert isinstance(got, list) and all(isinstance(c, str) and c for c in got), got
        out += got
        assert framer.dropped >= 0
    return out


@pytest.mark.parametrize("term", sorted(TERMINATOR))
@SETTINGS
@given(data=st.binary(max_size=MAX_CODE - 1), cuts=CUTS)
def test_framer_any_bytes_never_raise(term: str, data: bytes, cuts: list[int]) -> None:
    """No exception; no empty code; no terminator inside a code; chunking does not matter."""
    whole = frame_all(term, [data])
    for code in whole:
        assert TERMINATOR[term].decode() not in code, (term, code)
    assert frame_all(term, split(data, cuts)) == whole


CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)  # all in GBK
ASCII_CODE = st.text(
    st.one_of(st.characters(min_codepoint=0x20, max_codepoint=0x7E), st.just("\x1d")),
    min_size=1,
    max_size=30,
)
CHINESE = st.text(st.one_of(CJK, st.sampled_from("AB-0129")), min_size=1, max_size=12)


def utf8_or_none(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


@st.composite
def scanned(draw: st.DrawFn) -> tuple[bytes, str]:
    """(bytes the scanner sends, the code the framer must give back)."""
    kind = draw(st.sampled_from(["ascii", "utf-8", "gbk"]))
    if kind == "ascii":
        code = draw(ASCII_CODE)
        return code.encode("ascii"), code
    code = draw(CHINESE)
    if kind == "utf-8":
        return code.encode(), code
    data = code.encode("gbk")
    # serial.py decodes UTF-8 first: GBK bytes that are also valid UTF-8 (e.g. 隆 = C2 A1) come
    # out as that UTF-8 text, which is the documented rule, not something the framer can know.
    return data, utf8_or_none(data) or code


@pytest.mark.parametrize("term", sorted(TERMINATOR))
@SETTINGS
@given(codes=st.lists(scanned(), max_size=10), cuts=CUTS)
def test_framer_gives_back_exactly_the_codes(
    term: str, codes: list[tuple[bytes, str]], cuts: list[int]
) -> None:
    stream = b"".join(data + TERMINATOR[term] for data, _ in codes)
    assert frame_all(term, split(stream, cuts)) == [code for _, code in codes], stream


# --------------------------------------------------------------------------------------------
# evdev key decoding
# --------------------------------------------------------------------------------------------

KNOWN_KEYS = sorted(
    set(LETTERS)
    | set(KEYMAP)
    | set(KEYPAD)
    | set(KEYPAD_SIGNS)
    | TERMINATORS
    | SHIFTS
    | CTRLS
    | ALTS
    | {ecodes.KEY_CAPSLOCK}
)
KEY_CODES = st.one_of(
    st.sampled_from(KNOWN_KEYS),
    st.sampled_from(sorted(SHIFTS)),  # shift often
    st.integers(0, 0x2FF),  # any key code the kernel has, most unknown to the decoder
    st.integers(0x300, 0xFFFF),  # beyond KEY_MAX
)


def ev(code: int, value: int, etype: int = ecodes.EV_KEY) -> InputEvent:
    return InputEvent(1700000000, 0, etype, code, value)


KEY_EVENTS = st.builds(ev, KEY_CODES, st.sampled_from([0, 1, 2]))
OTHER_EVENTS = st.builds(
    ev,
    st.integers(0, 0x2FF),
    st.integers(-3, 3),
    st.sampled_from([ecodes.EV_SYN, ecodes.EV_MSC, ecodes.EV_REL, ecodes.EV_LED]),
)
EVENTS = st.lists(st.one_of(KEY_EVENTS, KEY_EVENTS, KEY_EVENTS, OTHER_EVENTS), max_size=120)


def decode(events: list[InputEvent], dec: KeyDecoder | None = None) -> list[str | None]:
    dec = dec or KeyDecoder()
    return [dec.feed(e) for e in events]


@SETTINGS
@given(events=EVENTS, capslock=st.booleans())
def test_key_events_never_raise_and_only_key_down_types(events: list[InputEvent], capslock: bool) -> None:
    """Only a key-down (value 1) adds a character or completes a code; key-up (0), autorepeat
    (2) and other event types change nothing, except releasing Alt, which types the Alt+numpad
    character collected while it was held (keys.py)."""
    dec = KeyDecoder(capslock=capslock)
    for e in events:
        before = dec.pending
        got = dec.feed(e)
        after = dec.pending
        is_key = e.type == ecodes.EV_KEY
        if got is not None:
            assert is_key and e.value == 1 and e.code in TERMINATORS, (e, got)
            assert isinstance(got, str) and got == before, (e, got, before)
        if is_key and e.value == 1 and e.code in TERMINATORS:
            assert after == "" and got == (before or None), (e, got, before)
        elif is_key and (e.value == 1 or (e.value == 0 and e.code in ALTS)):
            assert after.startswith(before) and len(after) - len(before) <= 1, (e, before, after)
        else:
            assert after == before, f"{e} (value {e.value}) changed {before!r} to {after!r}"


@SETTINGS
@given(events=EVENTS)
def test_autorepeat_is_ignored(events: list[InputEvent]) -> None:
    """Autorepeat (value 2) events give nothing and leave no trace: the codes are those of the
    same events with the repeats taken out."""
    with_repeats = decode(events)
    assert all(
        got is None
        for e, got in zip(events, with_repeats, strict=True)
        if e.type == ecodes.EV_KEY and e.value == 2
    )
    kept = [e for e in events if not (e.type == ecodes.EV_KEY and e.value == 2)]
    assert [c for c in with_repeats if c is not None] == [c for c in decode(kept) if c is not None]


E = ecodes
US_DIGITS = {getattr(E, f"KEY_{d}"): (d, s) for d, s in zip("1234567890", "!@#$%^&*()", strict=True)}
US_SIGNS = {E.KEY_MINUS: ("-", "_"), E.KEY_SLASH: ("/", "?"), E.KEY_DOT: (".", ">"), E.KEY_SPACE: (" ", " ")}
UNKNOWN = [E.KEY_ESC, E.KEY_F1, E.KEY_LEFTMETA, E.KEY_UP, E.KEY_DELETE, E.KEY_HOME, 0x2FE, 0x1234]
MODEL_KEYS = st.sampled_from(
    sorted(LETTERS)
    + sorted(US_DIGITS)
    + sorted(US_SIGNS)
    + sorted(SHIFTS)
    + UNKNOWN
    + [E.KEY_ENTER, E.KEY_KPENTER, E.KEY_TAB]
)


@SETTINGS
@given(keys=st.lists(st.tuples(MODEL_KEYS, st.sampled_from([0, 1, 1, 2])), max_size=100))
def test_letters_digits_and_shift_decode_like_a_us_keyboard(keys: list[tuple[int, int]]) -> None:
    """Letters, digits, a few symbols, either shift, unknown keys and terminators, in any order,
    with ups, downs and repeats: the codes are what a US keyboard would have typed."""
    shift: set[int] = set()
    typed: list[str] = []
    expected: list[str] = []
    for code, value in keys:
        if value == 2:
            continue
        if value == 0:
            shift.discard(code)
        elif code in SHIFTS:
            shift.add(code)
        elif code in (E.KEY_ENTER, E.KEY_KPENTER, E.KEY_TAB):
            if typed:
                expected.append("".join(typed))
            typed = []
        elif code in LETTERS:
            name = E.KEY[code] if isinstance(E.KEY[code], str) else E.KEY[code][0]
            letter = name.removeprefix("KEY_").lower()
            typed.append(letter.upper() if shift else letter)
        elif code in US_DIGITS or code in US_SIGNS:
            typed.append({**US_DIGITS, **US_SIGNS}[code][bool(shift)])
    got = decode([ev(code, value) for code, value in keys])
    assert [c for c in got if c is not None] == expected


def alt_numpad(digits: str) -> list[InputEvent]:
    events = [ev(E.KEY_LEFTALT, 1)]
    for d in digits:
        kp = getattr(E, f"KEY_KP{d}")
        events += [ev(kp, 1), ev(kp, 0)]
    return [*events, ev(E.KEY_LEFTALT, 0), ev(E.KEY_ENTER, 1), ev(E.KEY_ENTER, 0)]


def is_scalar(cp: int) -> bool:
    """A Unicode scalar value: a code point that is a character (no surrogate halves)."""
    return 0 < cp < 0x110000 and not 0xD800 <= cp <= 0xDFFF


@SETTINGS
@given(cp=st.one_of(st.integers(0, 0x10FFFF + 100), st.integers(0xD7F0, 0xE010)))
def test_alt_numpad_gives_only_real_characters(cp: int) -> None:
    """Alt+numpad types ``chr(code)`` for a code that is a character, nothing otherwise (a lone
    surrogate half would make the code unencodable: a UTF-8 database or printer refuses it)."""
    got = [c for c in decode(alt_numpad(str(cp))) if c is not None]
    assert got == ([chr(cp)] if is_scalar(cp) else []), f"Alt+{cp} gave {got!r}"
    for code in got:
        code.encode("utf-8")


@SETTINGS
@given(zeros=st.integers(0, 5000), cp=st.integers(0x21, 0x7E))
def test_long_alt_numpad_run_never_raises(zeros: int, cp: int) -> None:
    """Any run of keypad digits while Alt is held (leading zeros included) never raises."""
    digits = "0" * zeros + str(cp)
    try:
        got = [c for c in decode(alt_numpad(digits)) if c is not None]
    except ValueError as exc:
        pytest.fail(f"Alt + {len(digits)} keypad digits raised {exc!r}")
    assert got in ([], [chr(cp)])
