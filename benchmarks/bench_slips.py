"""Express + packing slip pairs rendered to ESC/POS bytes per second (budget: ≥ 500/s).

The desk prints a whole wave of slips at once (a batch of 200-500 orders); rendering must never
be what the clerk waits for. Run: ``.venv/bin/python benchmarks/bench_slips.py [--seconds 3]
[--printer chinese|gb2312|latin]``: a printer with a GB18030 font (the default), one with only
GB2312 (the 堃 of the address is drawn), or one with no Chinese font (only ASCII prints as text, the
rest is drawn glyph by glyph). Exits non-zero when under budget.
"""

from __future__ import annotations

import argparse
import sys
import time
from decimal import Decimal
from typing import Any

from printers import ExpressSlip, PackingLine, PackingSlip, PrinterSetup, render

LIMIT = 500.0
PRINTERS: dict[str, dict[str, Any]] = {
    "chinese": {},
    "gb2312": {"font_charset": "gb2312"},
    "latin": {"chinese": False},
}


def slips(n: int) -> tuple[ExpressSlip, PackingSlip]:
    """A realistic pair; ``n`` varies the numbers so no cache sees the same slip twice."""
    order_no = f"39218765432{n:08d}"
    tracking = f"7312{n:08d}"
    express = ExpressSlip(
        "ZTO", "中通快递", tracking, "浙A-012 34", "张三丰", "13812341234",
        "浙江省杭州市余杭区五常街道文一西路969号 堃元大厦3号楼", "示例旗舰店 仓库",
        order_no, 3, 1.25,
    )
    packing = PackingSlip(
        order_no,
        (PackingLine("TS-001-WH-XL", "纯棉短袖T恤", "白色 XL", 2, "A-01-02", Decimal("59.00")),
         PackingLine("CUP-500-BL", "保温杯", "500ml 蓝色", 1, "B-12-03", Decimal("89.90")),
         PackingLine("SOCK-3P-GY", "运动袜三双装", "灰色 均码", 1, "C-07-11", Decimal("29.90"))),
        "请尽快发货，谢谢！", "生日快乐！",
    )
    return express, packing


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=3.0, help="how long to run (default 3)")
    parser.add_argument("--paper", type=int, choices=(58, 80), default=80)
    parser.add_argument("--printer", choices=tuple(PRINTERS), default="chinese",
                        help="the printer's resident font (default chinese: GB18030)")
    args = parser.parse_args()
    setup = PrinterSetup(paper_mm=args.paper, **PRINTERS[args.printer])
    for n in range(50):  # warm up imports, profiles, fonts and glyph caches (both slips' text)
        for slip in slips(99_999_999 - n):
            render(slip, setup)
    pairs = 0
    size = 0
    start = time.perf_counter()
    cpu_start = time.process_time()
    deadline = start + args.seconds
    while time.perf_counter() < deadline:
        express, packing = slips(pairs)
        size += len(render(express, setup)) + len(render(packing, setup))
        pairs += 1
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    rate = pairs / elapsed
    print(f"slip pairs: {pairs} in {elapsed:.2f} s on {args.paper} mm, {args.printer} printer, "
          f"{size / pairs:,.0f} bytes per pair, {pairs / cpu:,.0f} pairs per CPU second")
    print(f"rate {rate:,.0f} pairs/s (limit ≥ {LIMIT:.0f}/s)   ratio {rate / LIMIT:5.2f}×   "
          f"{'OK' if rate >= LIMIT else 'UNDER'}")
    return 0 if rate >= LIMIT else 1


if __name__ == "__main__":
    sys.exit(main())
