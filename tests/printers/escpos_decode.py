"""A small ESC/POS decoder for tests: bytes back into events a test can assert on.

Covers what PickPack sends: init, Chinese mode, character size/bold/alignment, GB18030 text,
user-defined characters (``ESC &`` loads them, ``ESC %`` selects them), CODE128 (``GS k 73``),
QR (``GS ( k``), raster images (``GS v 0``), feeds and cuts. Unknown bytes raise, so a renderer
that sends something new is noticed.

A line's text is everything between two line feeds, style commands inside it included; a
user-defined character shows in it as :data:`DRAWN` and its bitmap, as loaded when it was
printed, is kept in order (:meth:`Decoded.drawn`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from barcode.charsets.code128 import CODES
from PIL import Image

ESC, FS, GS, LF = 0x1B, 0x1C, 0x1D, 0x0A
DRAWN = "\ufffc"
"""One half-width cell printed from a user-defined character."""


@dataclass
class Decoded:
    events: list[tuple[object, ...]] = field(default_factory=list)

    def kinds(self) -> list[str]:
        return [str(e[0]) for e in self.events]

    def lines(self) -> list[str]:
        return [str(e[1]) for e in self.events if e[0] == "line"]

    def text(self) -> str:
        return "\n".join(self.lines())

    def barcodes(self) -> list[str]:
        return [str(e[2]) for e in self.events if e[0] == "barcode"]

    def qr_payloads(self) -> list[bytes]:
        return [e[1] for e in self.events if e[0] == "qr_store"]  # type: ignore[misc]

    def images(self) -> list[Image.Image]:
        return [e[1] for e in self.events if e[0] == "raster"]  # type: ignore[misc]

    def drawn(self) -> list[Image.Image]:
        """The user-defined characters printed, in order: 12 × 24 images, ink white."""
        return [e[2] for e in self.events if e[0] == "drawn"]  # type: ignore[misc]

    def cuts(self) -> int:
        return self.kinds().count("cut")


def code128_text(data: bytes) -> str:
    """The human text of ESC/POS CODE128 data: ``{B`` text, ``{C`` bytes as digit pairs."""
    out: list[str] = []
    mode = ""
    i = 0
    while i < len(data):
        if data[i] == ord("{"):
            nxt = chr(data[i + 1])
            i += 2
            if nxt == "{":
                out.append("{")
            else:
                mode = nxt
            continue
        out.append(f"{data[i]:02d}" if mode == "C" else chr(data[i]))
        i += 1
    return "".join(out)


def decode(data: bytes) -> Decoded:
    out = Decoded()
    text = bytearray()
    line: list[str] = []
    chinese = False
    drawn_mode = False
    loaded: dict[int, Image.Image] = {}

    def flush() -> None:
        if text:
            line.append(bytes(text).decode("gb18030" if chinese else "ascii"))
            text.clear()

    def end_line(kind: str) -> None:
        flush()
        if line or kind == "line":
            out.events.append((kind, "".join(line)))
            line.clear()

    i = 0
    while i < len(data):
        b = data[i]
        if b == LF:
            end_line("line")
            i += 1
        elif b == ESC:
            flush()
            cmd = chr(data[i + 1])
            if cmd == "@":
                out.events.append(("init",))
                loaded.clear()
                drawn_mode = False
                i += 2
            elif cmd in "E":
                out.events.append(("bold", bool(data[i + 2])))
                i += 3
            elif cmd == "a":
                out.events.append(("align", ("left", "center", "right")[data[i + 2] % 48]))
                i += 3
            elif cmd == "d":
                out.events.append(("feed", data[i + 2]))
                i += 3
            elif cmd in "!3":
                i += 3
            elif cmd == "2":
                i += 2
            elif cmd == "%":
                drawn_mode = bool(data[i + 2] & 1)
                i += 3
            elif cmd == "&":
                i = _load_characters(data, i, loaded, out)
            else:
                raise ValueError(f"unknown ESC {cmd!r} at {i}")
        elif b == FS:
            end_line("text")
            cmd = chr(data[i + 1])
            if cmd in "&.":
                chinese = cmd == "&"
                out.events.append(("chinese", chinese))
                i += 2
            else:
                raise ValueError(f"unknown FS {cmd!r} at {i}")
        elif b == GS:
            if data[i + 1] == ord("!"):  # character size: inside a line
                flush()
            else:
                end_line("text")
            i = _gs(data, i, out)
        elif b < 0x20:
            raise ValueError(f"unexpected control byte {b:#x} at {i}")
        elif drawn_mode and b <= 0x7E:
            flush()
            if b not in loaded:
                raise ValueError(f"user-defined character {b:#x} printed but never loaded, at {i}")
            line.append(DRAWN)
            out.events.append(("drawn", b, loaded[b]))
            i += 1
        else:
            text.append(b)
            i += 1
    end_line("text")
    return out


def _load_characters(data: bytes, i: int, loaded: dict[int, Image.Image], out: Decoded) -> int:
    """``ESC & y c1 c2 [x d1..d(y*x)]...``: 12 × 24 cells, column by column, high bit on top."""
    y, first, last = data[i + 2], data[i + 3], data[i + 4]
    if y != 3 or not 0x20 <= first <= last <= 0x7E:
        raise ValueError(f"ESC & with y={y}, codes {first:#x}-{last:#x} at {i}")
    j = i + 5
    for code in range(first, last + 1):
        x = data[j]
        if not 0 <= x <= 12:
            raise ValueError(f"user-defined character {code:#x} {x} dots wide at {j}")
        columns = data[j + 1 : j + 1 + 3 * x]
        cell = Image.new("1", (12, 24), 0)
        if x:
            # Each column is one row of the transposed cell.
            cell.paste(Image.frombytes("1", (24, x), bytes(columns)).transpose(
                Image.Transpose.TRANSPOSE), (0, 0))
        loaded[code] = cell
        j += 1 + 3 * x
    out.events.append(("load", first, last))
    return j


def _gs(data: bytes, i: int, out: Decoded) -> int:
    cmd = chr(data[i + 1])
    if cmd == "!":
        n = data[i + 2]
        out.events.append(("size", (n >> 4) + 1, (n & 0x0F) + 1))
        return i + 3
    if cmd in "hwfH":
        out.events.append(({"h": "bc_height", "w": "bc_module", "f": "hri_font",
                             "H": "hri_pos"}[cmd], data[i + 2]))
        return i + 3
    if cmd == "k":
        m = data[i + 2]
        if m < 65:
            end = data.index(0, i + 3)
            out.events.append(("barcode", m, data[i + 3 : end].decode("ascii")))
            return end + 1
        n = data[i + 3]
        payload = data[i + 4 : i + 4 + n]
        shown = code128_text(payload) if m == 73 else payload.decode("ascii")
        out.events.append(("barcode", m, shown))
        return i + 4 + n
    if cmd == "(" and chr(data[i + 2]) in "kL":
        size = data[i + 3] + 256 * data[i + 4]
        body = data[i + 5 : i + 5 + size]
        if chr(data[i + 2]) == "k":
            fn = body[1]
            if fn == 80:
                out.events.append(("qr_store", bytes(body[3:])))
            elif fn == 81:
                out.events.append(("qr_print",))
            else:
                out.events.append(("qr_setting", fn, bytes(body[2:])))
        else:
            out.events.append(("graphics", bytes(body)))
        return i + 5 + size
    if cmd == "v" and data[i + 2] == ord("0"):
        width_bytes = data[i + 4] + 256 * data[i + 5]
        height = data[i + 6] + 256 * data[i + 7]
        start = i + 8
        bitmap = data[start : start + width_bytes * height]
        img = Image.frombytes("1", (width_bytes * 8, height), bitmap)
        out.events.append(("raster", img))  # 1 bits are ink: shows as white here
        return start + width_bytes * height
    if cmd == "V":
        m = data[i + 2]
        out.events.append(("cut", m))
        return i + 4 if m in (65, 66, 97, 98, 103, 104) else i + 3
    raise ValueError(f"unknown GS {cmd!r} at {i}")


def ink_rows(img: Image.Image) -> list[list[bool]]:
    """Raster bitmap as rows of booleans, True where the printer puts ink."""
    width, height = img.size
    px = img.load()
    assert px is not None
    return [[bool(px[x, y]) for x in range(width)] for y in range(height)]


def decode_code128_row(row: list[bool]) -> str:
    """Read a CODE128 symbol from one row of a raster image (the bars as printed)."""
    runs: list[int] = []
    first = row.index(True)
    last = len(row) - 1 - row[::-1].index(True)
    current, length = True, 0
    for ink in row[first : last + 1]:
        if ink == current:
            length += 1
        else:
            runs.append(length)
            current, length = ink, 1
    runs.append(length)
    module = min(runs)
    bits = "".join(("1" if k % 2 == 0 else "0") * (r // module) for k, r in enumerate(runs))
    patterns = {p: v for v, p in enumerate(CODES)}
    values = [patterns[bits[j : j + 11]] for j in range(0, len(bits) - 13, 11)]
    start, *body, check = values
    assert (start + sum(k * v for k, v in enumerate(body, 1))) % 103 == check, "bad checksum"
    mode = {103: "A", 104: "B", 105: "C"}[start]
    out: list[str] = []
    switches = {"A": {99: "C", 100: "B"}, "B": {99: "C", 101: "A"}, "C": {100: "B", 101: "A"}}
    for v in body:
        if v in switches[mode]:
            mode = switches[mode][v]
        elif mode == "C":
            out.append(f"{v:02d}")
        else:
            out.append(chr(v + 32))
    return "".join(out)
