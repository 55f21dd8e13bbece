"""Property tests: slips render to ESC/POS whatever text the shops send, and stay correct.

Receiver names, addresses, remarks and SKU names come from shop platforms and spreadsheets:
rare hanzi outside the printer's font, emoji, combining marks, right-to-left text, control
characters, huge or empty strings. Whatever they hold, a slip must render on 58 and 80 mm paper
for Chinese printers (text in ``FS &`` mode as GB18030, what the font lacks drawn as user-defined
characters inside the line) and for printers without a Chinese font (ASCII as text, the rest
drawn), and the bytes must still be the layout's own: data
never adds an initialise, a cut or a mode switch, never splits a laid-out line, and every
printed line fits the paper. Masking of the receiver's name and phone never leaks.

The bytes are read back with :mod:`tests.printers.escpos_decode`, which raises on any control
byte it does not know, so a raw control byte from the data shows up as a decode failure.
"""

from __future__ import annotations

import contextlib
import re
from decimal import Decimal

from hypothesis import example, given, settings
from hypothesis import strategies as st

from printers import ExpressSlip, PackingLine, PackingSlip, PrinterSetup, mask_name, mask_phone, render
from printers.chinese import char_width, in_printer_font, normalize, text_width
from printers.compose import Layout, compose
from printers.doc import Cut, Document, Rule, Text

from .escpos_decode import DRAWN, Decoded, decode

SETTINGS = settings(max_examples=150, deadline=None, database=None)

SETUPS = [PrinterSetup(paper_mm=mm, chinese=chinese) for mm in (58, 80) for chinese in (True, False)]
CHINESE_SETUPS = [
    PrinterSetup(paper_mm=mm, font_charset=charset) for mm in (58, 80) for charset in ("gbk", "gb2312")
]
COLUMNS = {58: 32, 80: 48}
"""Half-width cells of font A per line (printers.doc.PAPERS)."""

TRACKING = "731234567890"
ORDER_NO = "3921876543210987654"


def _gb2312(first: int, last: int) -> str:
    """Every character GB2312 defines in rows ``first``..``last`` (lead bytes)."""
    chars = []
    for lead in range(first, last + 1):
        for trail in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                chars.append(bytes((lead, trail)).decode("gb2312"))
    return "".join(chars)


HANZI = _gb2312(0xB0, 0xF7)
"""The 6,763 hanzi of GB2312: what every Chinese printer's font holds."""
GB2312_SYMBOLS = _gb2312(0xA1, 0xA9)
"""Punctuation, full-width forms, kana, Greek, Cyrillic, pinyin and box drawing of GB2312."""
ASCII = "".join(map(chr, range(0x20, 0x7F)))
CJK_PUNCT = "，。、；：？！（）【】《》“”‘’…—～·￥"

NASTY = [
    # rare hanzi: 4-byte GB18030 (CJK extensions A and B) or GBK-only
    "𠀀",
    "𠮷",
    "㐀",
    "䶵",
    "𪚥",
    "𫝀",
    "龘",
    "堃",
    "喆",
    "陈𠮷𠮷",
    # emoji, sequences and flags
    "😀",
    "👍🏽",
    "👨‍👩‍👧‍👦",
    "🇨🇳",
    "❤️",
    "📦快递",
    "🈶",
    # combining marks, alone and stacked
    "e\u0301",
    "\u0301",
    "a\u0308\u0323",
    "Z\u0364\u0351\u0313a\u0308\u0356l\u036e\u0312g\u030co\u0319",
    "\u20dd",
    # right-to-left text and bidi controls
    "مرحبا بالعالم",
    "שלום",
    "\u202eABC\u202c",
    "\u200f",
    "\u061c",
    # printer commands and control characters
    "\x1b@",
    "\x1dV\x00",
    "\x1dVA\x00",
    "\x1dV",
    "\x1b",
    "\x1d",
    "\x1c",
    "\x1c.",
    "\x1c&",
    "\x00",
    "\r",
    "\n",
    "\r\n",
    "\t",
    "\x0b",
    "\x0c",
    "\x7f",
    "\x85",
    "\x9b",
    "\u2028",
    "\u2029",
    "\x10\x14\x01\x00\x05",
    "\x1bp\x00\x19\x19",
    "\x1bd\x09",
    "\x1b!\x38",
    "\x1d!\x77",
    # spaces, invisible and substituted characters, private use and noncharacters
    "",
    " ",
    "\u3000",
    "\u00a0",
    "\u2009",
    "\u200b",
    "\ufeff",
    "\u200d",
    "¥",
    "¥12.50",
    "\ue000",
    "\ufffd",
    "\uffff",
    "\U0010ffff",
]
CONTROL_SEQUENCES = [s for s in NASTY if any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in s)]

fragment = st.one_of(
    st.text(max_size=12),  # any Unicode scalar value (no lone surrogates)
    st.text(st.sampled_from(HANZI + CJK_PUNCT), max_size=12),
    st.text(st.sampled_from(ASCII), max_size=12),
    st.sampled_from(NASTY),
)
long_text = st.builds(
    lambda parts, times: "".join(parts) * times,
    st.lists(st.sampled_from(NASTY + ["浙江省杭州市", "Road No.1 ", "A" * 7]), min_size=1, max_size=4),
    st.integers(20, 80),
)
field = st.one_of(st.lists(fragment, max_size=8).map("".join), long_text)
"""Real-world bad text: any Unicode, rare hanzi, emoji, marks, RTL, controls, very long, empty."""

injected = st.lists(
    st.one_of(st.sampled_from(CONTROL_SEQUENCES), st.text(st.sampled_from(HANZI + ASCII), max_size=6)),
    min_size=1,
    max_size=6,
).map("".join)
"""Text with printer commands and control characters spliced in."""
hostile = st.one_of(injected, field)

in_font = st.text(st.sampled_from(ASCII + HANZI + CJK_PUNCT), max_size=80)
"""Printable ASCII and common CJK (GB2312): every character prints from the printer's font."""


def express(**changes: object) -> ExpressSlip:
    fields: dict[str, object] = {
        "courier_code": "ZTO",
        "courier_name": "中通快递",
        "tracking_no": TRACKING,
        "sort_code": "浙A-012 34",
        "receiver_name": "张三",
        "receiver_phone": "13812341234",
        "address": "浙江省杭州市余杭区五常街道文一西路969号 西溪园区3号楼",
        "sender": "示例旗舰店 仓库",
        "order_no": ORDER_NO,
        "item_count": 3,
        "weight_kg": 1.25,
    }
    fields.update(changes)
    return ExpressSlip(**fields)  # type: ignore[arg-type]


def packing_line(
    name: str = "保温杯",
    variant: str = "500ml 蓝色",
    sku: str = "CUP-500-BL",
    bin_: str = "B-12-03",
    qty: int = 1,
    price: Decimal | None = Decimal("89.90"),
) -> PackingLine:
    return PackingLine(sku, name, variant, qty, bin_, price)


def packing(lines: list[PackingLine], remark: str = "", gift: str = "", prices: bool = True) -> PackingSlip:
    return PackingSlip(ORDER_NO, lines, buyer_remark=remark, gift_note=gift, show_prices=prices)


def describe(setup: PrinterSetup) -> str:
    kind = f"Chinese printer ({setup.font_charset})" if setup.chinese else "printer without Chinese font"
    return f"{setup.paper_mm} mm, {kind}"


def decoded(layout: Layout, setup: PrinterSetup) -> tuple[Document, Decoded]:
    """The composed document and its rendered bytes read back; bytes that are not clean ESC/POS
    (a raw control byte from the data, a command cut short) fail with the reason."""
    doc = compose(layout, setup.paper_mm)
    data = render(layout, setup)
    try:
        return doc, decode(data)
    except (ValueError, IndexError, UnicodeDecodeError) as exc:
        raise AssertionError(
            f"{describe(setup)}: the rendered bytes are not the layout's own ESC/POS: {exc}"
        ) from exc


def printed_form(text: str, setup: PrinterSetup) -> str | None:
    """``text`` as the decoder reads it back: the characters the printer's font holds as
    themselves, every half-width cell of one it lacks as DRAWN; None when the line needs more
    drawn cells than the printer's 95 user-defined characters (it is then one raster image)."""
    def printable(c: str) -> bool:
        return in_printer_font(c, setup.font_charset) if setup.chinese else " " <= c <= "~"

    text = normalize(text)
    drawn = {c for c in text if not printable(c) and not c.isspace()}
    if sum(map(char_width, drawn)) > 95:
        return None
    return "".join(
        c if printable(c) else (" " if c.isspace() else DRAWN) * char_width(c) for c in text
    )


def expected_text_lines(doc: Document, setup: PrinterSetup) -> list[str]:
    """Lines the printer gets as text, in order: Text blocks and rules."""
    lines = []
    for block in doc.blocks:
        if isinstance(block, Text):
            lines.append(printed_form(block.text, setup))
        elif isinstance(block, Rule):
            lines.append(printed_form(
                block.char * (doc.paper.columns // max(text_width(block.char), 1)), setup))
    return [line for line in lines if line]


def assert_only_layout_commands(layout: Layout, setup: PrinterSetup, barcode: str, qr: bytes | None) -> None:
    """The bytes hold exactly the commands the layout asks for, whatever its text says."""
    doc, out = decoded(layout, setup)
    where = describe(setup)
    kinds = out.kinds()
    cuts = sum(isinstance(block, Cut) for block in doc.blocks)
    assert cuts == 1, f"{where}: the layout itself should end with one cut, not {cuts}"
    assert kinds[0] == "init" and kinds.count("init") == 1, (
        f"{where}: ESC @ (initialise) sent {kinds.count('init')} times; the layout sends it once, first"
    )
    assert out.cuts() == cuts, f"{where}: GS V (cut) sent {out.cuts()} times; the layout cuts {cuts} time(s)"
    assert "text" not in kinds, f"{where}: text left without its line feed: {out.events}"
    if setup.chinese:
        modes = [e for e in out.events if e[0] == "chinese"]
        assert modes == [("chinese", True)], f"{where}: Chinese mode switched by the data: {modes}"
        assert out.barcodes() == [barcode], f"{where}: barcodes {out.barcodes()}, wanted [{barcode!r}]"
        assert out.qr_payloads() == ([qr] if qr else []), f"{where}: QR payloads {out.qr_payloads()}"
    else:
        assert "chinese" not in kinds, f"{where}: a printer without Chinese font was sent FS &/FS ."
    printed = [line for line in out.lines() if line]
    assert printed == expected_text_lines(doc, setup), (
        f"{where}: printed lines differ from the laid-out lines (data split or added a line):\n"
        f"printed:   {printed}\nlaid out:  {expected_text_lines(doc, setup)}"
    )


def squeeze(text: str) -> str:
    """``text`` without whitespace, so wrapping (which drops or adds spaces at breaks) is moot."""
    return re.sub(r"\s+", "", text)


# --- 1. Any text renders, on both papers and both kinds of printer -------------------------------


@SETTINGS
@given(name=field, phone=field, address=field, sender=field, courier=field, sort_code=field)
def test_express_slip_with_any_text_renders_everywhere(
    name: str, phone: str, address: str, sender: str, courier: str, sort_code: str
) -> None:
    slip = express(
        receiver_name=name,
        receiver_phone=phone,
        address=address,
        sender=sender,
        courier_name=courier,
        sort_code=sort_code or None,
    )
    for setup in SETUPS:
        data = render(slip, setup)
        assert data.startswith(b"\x1b@") and data.endswith(b"\x1dV\x00"), describe(setup)


@SETTINGS
@given(
    lines=st.lists(st.tuples(field, field, field, field), min_size=1, max_size=4),
    remark=field,
    gift=field,
    prices=st.booleans(),
)
def test_packing_slip_with_any_text_renders_everywhere(
    lines: list[tuple[str, str, str, str]], remark: str, gift: str, prices: bool
) -> None:
    slip = packing(
        [packing_line(name, variant, sku, bin_) for name, variant, sku, bin_ in lines], remark, gift, prices
    )
    for setup in SETUPS:
        data = render(slip, setup)
        assert data.startswith(b"\x1b@") and data.endswith(b"\x1dV\x00"), describe(setup)


# --- 2. Data never injects printer commands ------------------------------------------------------


@SETTINGS
@given(name=hostile, address=hostile, sender=hostile, phone=hostile)
@example(name="\x1b@\x1dV\x00", address="\x1dV", sender="\x1b", phone="13812341234")
@example(name="张三", address="浙江省杭州市\r西湖区", sender="店", phone="13812341234")
def test_express_text_never_adds_printer_commands(name: str, address: str, sender: str, phone: str) -> None:
    slip = express(receiver_name=name, address=address, sender=sender, receiver_phone=phone)
    for setup in SETUPS:
        assert_only_layout_commands(slip, setup, TRACKING, TRACKING.encode())


@SETTINGS
@given(name=hostile, variant=hostile, sku=hostile, bin_=hostile, remark=hostile, gift=hostile)
@example(name="保温杯\x1b@", variant="\x1dV\x00", sku="CUP", bin_="B-1", remark="\x1c.", gift="")
@example(name="保温杯", variant="蓝色", sku="CUP\n500", bin_="B-1", remark="", gift="")
def test_packing_text_never_adds_printer_commands(
    name: str, variant: str, sku: str, bin_: str, remark: str, gift: str
) -> None:
    slip = packing([packing_line(name, variant, sku, bin_)], remark, gift)
    for setup in SETUPS:
        assert_only_layout_commands(slip, setup, ORDER_NO, None)


# --- 3. Text in the printer's font reads back ----------------------------------------------------


@SETTINGS
@given(
    name=in_font,
    phone=st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True),
    address=in_font,
    setup=st.sampled_from(CHINESE_SETUPS),
)
def test_express_receiver_and_address_read_back(
    name: str, phone: str, address: str, setup: PrinterSetup
) -> None:
    slip = express(receiver_name=name, receiver_phone=phone, address=address)
    _, out = decoded(slip, setup)
    where = describe(setup)
    assert not out.images(), f"{where}: text in the printer's font went to raster"
    text = squeeze(out.text())
    receiver = squeeze(f"收件人：{mask_name(name)}{mask_phone(phone)}")
    assert receiver in text, f"{where}: receiver {receiver!r} not printed; got {out.lines()}"
    assert squeeze(address) in text, f"{where}: address {address!r} not printed whole; got {out.lines()}"


@SETTINGS
@given(
    lines=st.lists(st.tuples(in_font, in_font), min_size=1, max_size=3),
    remark=in_font,
    setup=st.sampled_from(CHINESE_SETUPS),
)
def test_packing_names_and_remark_read_back(
    lines: list[tuple[str, str]], remark: str, setup: PrinterSetup
) -> None:
    slip = packing([packing_line(name, variant) for name, variant in lines], remark)
    _, out = decoded(slip, setup)
    where = describe(setup)
    text = squeeze(out.text())
    for name, variant in lines:
        assert squeeze(f"{name}{variant}") in text, f"{where}: SKU {name!r} {variant!r} not printed"
    if remark:
        assert squeeze(f"买家留言：{remark}") in text, f"{where}: remark {remark!r} not printed whole"


# --- 4. Every printed line fits the paper --------------------------------------------------------

word = st.one_of(
    st.text(st.sampled_from(HANZI + CJK_PUNCT + GB2312_SYMBOLS), min_size=1, max_size=16),
    st.text(st.sampled_from(ASCII.replace(" ", "") + "\t¥"), min_size=1, max_size=60),
)
mixed = st.lists(st.tuples(word, st.sampled_from(["", " ", "  "])), max_size=6).map(
    lambda parts: "".join(w + gap for w, gap in parts)
)
"""Arbitrary mixes of CJK and ASCII words, including words longer than a line."""


@SETTINGS
@given(
    lines=st.lists(st.tuples(mixed, mixed, mixed, mixed, st.integers(1, 999)), min_size=1, max_size=4),
    remark=mixed,
    setup=st.sampled_from(CHINESE_SETUPS),
)
@example(lines=[("杯 " + "A" * 31, "", "CUP", "B-1", 1)], remark="", setup=PrinterSetup(paper_mm=58))
@example(lines=[("杯", "", "CUP\t\t\t", "B-1", 1)], remark="", setup=PrinterSetup(paper_mm=58))
@example(lines=[("杯", "", "CUP¥¥¥", "B-1", 1)], remark="", setup=PrinterSetup(paper_mm=58))
@example(lines=[("ǹ" + "a" * 31, "", "CUP", "B-1", 1)], remark="", setup=PrinterSetup(paper_mm=58))
def test_packing_lines_fit_the_paper(
    lines: list[tuple[str, str, str, str, int]], remark: str, setup: PrinterSetup
) -> None:
    slip = packing(
        [packing_line(name, variant, sku, bin_, qty) for name, variant, sku, bin_, qty in lines], remark
    )
    doc, out = decoded(slip, setup)
    columns = COLUMNS[setup.paper_mm]
    where = describe(setup)
    assert doc.paper.columns == columns
    for block in doc.blocks:  # what the layout laid out (raster lines too)
        if isinstance(block, Text):
            assert text_width(normalize(block.text)) * block.width <= columns, (
                f"{where}: laid-out line is {text_width(normalize(block.text)) * block.width} cells "
                f"wide, the paper has {columns}: {block.text!r}"
            )
    size = 1
    for event in out.events:  # what the printer was sent as text
        if event[0] == "size":
            size = event[1] if isinstance(event[1], int) else size
        elif event[0] == "line":
            line = str(event[1]).replace(DRAWN, "#")  # a drawn cell is one half-width cell
            assert text_width(line) * size <= columns, (
                f"{where}: printed line is {text_width(line) * size} cells wide (text_width), "
                f"the paper has {columns}: {line!r}"
            )
            cells = len(line.encode("gb18030"))  # in FS & mode: 1 byte a half-width cell, 2 a full one
            assert cells * size <= columns, (
                f"{where}: printed line takes {cells * size} cells on a Chinese printer "
                f"(text_width says {text_width(line) * size}), the paper has {columns}: {line!r}"
            )


@SETTINGS
@given(text=st.text(st.sampled_from(HANZI + GB2312_SYMBOLS + ASCII + "—"), min_size=1, max_size=40))
@example(text="――")
def test_gb2312_printers_get_only_gb2312_codes(text: str) -> None:
    """A printer with the small font holds GB2312 only: text sent to it stays in that code set."""
    setup = PrinterSetup(paper_mm=80, font_charset="gb2312")
    _, out = decoded(packing([packing_line(name=text)], remark=text), setup)
    for line in out.lines():
        line = line.replace(DRAWN, "")  # drawn: no code of the printer's font
        try:
            line.encode("gb18030").decode("gb2312")
        except UnicodeDecodeError:
            raise AssertionError(
                f"{describe(setup)}: line sent as text holds codes outside GB2312: {line!r} "
                f"→ {line.encode('gb18030').hex(' ')}"
            ) from None


# --- 5. Masking never leaks ----------------------------------------------------------------------

BASELINE = express(receiver_name="", receiver_phone="")
_FIXED = "".join(
    b.text for b in compose(BASELINE, 58).blocks + compose(BASELINE, 80).blocks if isinstance(b, Text)
)
"""Everything else the express slip prints; names are drawn from characters it does not hold, so
a name found in the printout can only have come from the receiver field."""
NAME_HANZI = "".join(sorted(set(HANZI[:1500]) - set(_FIXED)))
NAME_LATIN = "".join(sorted(set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") - set(_FIXED)))

names = st.one_of(
    st.text(st.sampled_from(NAME_HANZI), min_size=1, max_size=4),  # 张 / 张三 / 欧阳娜娜
    st.lists(st.text(st.sampled_from(NAME_LATIN), min_size=1, max_size=8), min_size=1, max_size=3).map(
        " ".join
    ),  # John Smith
    st.builds(
        lambda pad, n, pad2: pad + n + pad2,
        st.sampled_from([" ", "\u3000", "\t"]),
        st.text(st.sampled_from(NAME_HANZI), min_size=1, max_size=3),
        st.sampled_from(["", " ", "\n"]),
    ),
)
mobiles = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)


@st.composite
def written_mobiles(draw: st.DrawFn) -> tuple[str, str]:
    """(the 11-digit mobile, as the platform wrote it: plain, spaced or dashed)."""
    mobile = draw(mobiles)
    sep = draw(st.sampled_from(["", " ", "-"]))
    return mobile, f"{mobile[:3]}{sep}{mobile[3:7]}{sep}{mobile[7:]}"


@SETTINGS
@given(name=names, phone=written_mobiles(), setup=st.sampled_from(SETUPS))
@example(name="张三", phone=("13812341234", "13812341234"), setup=PrinterSetup())
@example(name="张", phone=("13812341234", "138 1234 1234"), setup=PrinterSetup(paper_mm=58))
@example(name="欧阳娜娜", phone=("13912345678", "139-1234-5678"), setup=PrinterSetup())
@example(name="B B", phone=("13000000000", "13000000000"), setup=PrinterSetup(paper_mm=58))
def test_express_slip_masks_name_and_phone(name: str, phone: tuple[str, str], setup: PrinterSetup) -> None:
    mobile, written = phone
    slip = express(receiver_name=name, receiver_phone=written)
    doc, out = decoded(slip, setup)
    where = describe(setup)

    # The rule (printers.layouts.mask_name): strip, keep the first character, one * for each
    # other character; a single character stays as it is. Chinese or not, same rule.
    bare = name.strip()
    masked_name = bare if len(bare) <= 1 else bare[0] + "*" * (len(bare) - 1)
    assert mask_name(name) == masked_name
    # 11-digit mobiles keep the first three and last four digits, the platform's 138****1234.
    masked_phone = mask_phone(written)
    assert re.sub(r"[ -]", "", masked_phone) == f"{mobile[:3]}****{mobile[7:]}", masked_phone

    laid_out = [b.text for b in doc.blocks if isinstance(b, Text)]  # raster lines included
    printed = out.lines()
    # The same slip for a receiver already called by the masked name: text the hidden part of the
    # name matches there (its own first letter, "B" of "B B"; a courier's "ZTO") tells nothing.
    plain_doc, plain_out = decoded(express(receiver_name=masked_name, receiver_phone=written), setup)
    plain = {"laid out": [b.text for b in plain_doc.blocks if isinstance(b, Text)],
             "printed": plain_out.lines()}
    for source, lines in (("laid out", laid_out), ("printed", printed)):
        assert not any(mobile in re.sub(r"\D", "", line) for line in lines), (
            f"{where}: full phone {mobile} {source}: {lines}"
        )
        if len(bare) > 1:
            joined = squeeze("".join(lines))
            assert squeeze(bare) not in joined, f"{where}: full name {bare!r} {source}: {lines}"
            hidden = squeeze(bare[1:])
            if hidden not in squeeze("".join(plain[source])):
                assert hidden not in joined, (
                    f"{where}: hidden part {hidden!r} of the name {source}: {lines}")
    assert squeeze(f"收件人：{masked_name}{masked_phone}") in squeeze("".join(laid_out)), laid_out
    if setup.chinese:
        assert squeeze(f"收件人：{masked_name}{masked_phone}") in squeeze(out.text()), printed
