"""Field test: a printed pick list whose slot marks fill more than a line wraps between marks,
never inside ``29×2``, and its continuation is indented under the SKU's line."""

from __future__ import annotations

import re

from printers.compose import compose
from printers.doc import Text
from printers.layouts import PickLine, PickList


def test_slot_marks_wrap_between_marks_and_continue_indented() -> None:
    marks = " ".join(f"{slot}×2" if slot % 3 == 2 else str(slot) for slot in range(1, 41))
    pick = PickList("W000001", [PickLine("C-02-01", "MUG-WH", "陶瓷马克杯 白", f"→ 格 {marks}", 40)])
    for paper_mm in (80, 58):
        text = _text(pick, paper_mm)
        body = text[text.index("陶瓷马克杯"):].split("\n")
        marks_lines = [body[0]] + [ln for ln in body[1:] if ln.startswith(" ") and ln.strip()
                                   and not ln.strip().startswith("-")]
        assert len(marks_lines) > 1, text
        printed = " ".join(ln.strip() for ln in marks_lines)
        assert printed.endswith(marks), text  # every mark whole, in order
        for ln in marks_lines:
            assert not re.search(r"×$|^\s*×", ln), ln  # never 29× / 2 apart
        for ln in marks_lines[1:]:
            assert ln.startswith(" " * 6), ln  # reads as the same SKU's line


def _text(pick: PickList, paper_mm: int) -> str:
    return "\n".join(b.text for b in compose(pick, paper_mm).blocks if isinstance(b, Text))
