"""Chinese text: GB18030 bytes, width counting, wrapping on 58 and 80 mm, masking."""

from __future__ import annotations

import pytest

from printers.chinese import encode, in_printer_font, needs_raster, text_width
from printers.compose import compose
from printers.doc import Text, wrap
from printers.layouts import ExpressSlip, Manifest, PackingSlip, PickLine, PickList, mask_name, mask_phone


def test_every_string_is_gb18030_even_without_ideographs() -> None:
    assert encode("：") == b"\xa3\xba"
    assert encode("Ａ１") == b"\xa3\xc1\xa3\xb1"
    assert encode("AB12") == b"AB12"
    assert encode("张三") == "张三".encode("gb18030")


def test_yen_sign_becomes_fullwidth_yuan() -> None:
    assert encode("¥12.50") == "￥12.50".encode("gb18030") == b"\xa3\xa412.50"


def test_four_byte_characters_are_outside_the_printer_font() -> None:
    assert "𠮷".encode("gb18030").__len__() == 4
    assert needs_raster("陈𠮷")
    assert needs_raster("好😀")
    assert not needs_raster("张三 13812341234 ￥：")
    assert not needs_raster("¥")  # substituted before the test
    assert in_printer_font("堃")
    assert not in_printer_font("堃", "gb2312")


def test_widths_count_wide_characters_as_two() -> None:
    assert text_width("abc") == 3
    assert text_width("张三abc") == 7
    assert text_width("收件人：张*") == 11
    assert text_width("ＡＢ") == 4


@pytest.mark.parametrize(("columns", "expected_lines"), [(48, 2), (32, 2), (24, 3), (16, 4)])
def test_wrap_by_cells(columns: int, expected_lines: int) -> None:
    text = "浙江省杭州市余杭区五常街道文一西路969号 西溪园区3号楼"  # 53 cells
    lines = wrap(text, columns)
    assert len(lines) == expected_lines
    assert all(text_width(line) <= columns for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_wrap_keeps_closing_punctuation_off_the_line_start() -> None:
    lines = wrap("一二三四五六七八，九十", 16)
    assert not any(line.startswith("，") for line in lines)


def test_wrap_keeps_latin_words_whole() -> None:
    assert wrap("SKU TS-001-WH-XL", 12) == ["SKU", "TS-001-WH-XL"]


@pytest.mark.parametrize("mm", [58, 80])
def test_slips_fit_the_paper(mm: int, express: ExpressSlip) -> None:
    doc = compose(express, mm)
    texts = [b for b in doc.blocks if isinstance(b, Text)]
    assert all(text_width(t.text) * t.width <= doc.paper.columns for t in texts)
    address = [t.text for t in texts if t.height == 2 and t.align == "left" and "收件人" not in t.text]
    assert "".join(address).replace(" ", "") == express.address.replace(" ", "")


def test_58mm_wraps_more_than_80mm(express: ExpressSlip, packing: PackingSlip) -> None:
    def lines(mm: int) -> list[str]:
        return [b.text for b in compose(packing, mm).blocks if isinstance(b, Text)]

    assert compose(express, 58).paper.columns == 32
    assert compose(express, 80).paper.columns == 48
    assert len(lines(58)) > len(lines(80))
    row = next(line for line in lines(80) if line.startswith("  TS-001-WH-XL"))
    assert row.endswith("x2  ￥59.00") and text_width(row) == 48
    assert all(text_width(line) <= 32 for line in lines(58))


def test_masking() -> None:
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳娜娜") == "欧***"
    assert mask_phone("13812341234") == "138****1234"
    assert mask_phone("+86 138-1234-1234") == "+86 1**-****-1234"
    assert mask_phone("138****1234") == "138****1234"


def test_pick_list_walks_bins_in_natural_order() -> None:
    pick = PickList("B1", [PickLine(b, "S", "n", "v", 1) for b in ("C-10", "A-2", "C-9")])
    assert [line.bin for line in pick.sorted_lines()] == ["A-2", "C-9", "C-10"]


def test_manifest_count_is_the_list() -> None:
    assert Manifest("ZTO", "M1", ["1", "2", "3"]).count == 3
