"""``[printers] drawn_glyphs``: a printer without a Chinese font gets the Han of its slips as
user-defined characters (ESC &) by default, and as raster lines (GS v 0) when the shop turns that
off for a printer that does not honour ESC &."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pickpack.core.events import Actor
from pickpack.core.release import release
from pickpack.printing.queue import PrintQueue
from pickpack.store import open_store
from tests.conftest import make_config
from tests.core.floorkit import seed
from tests.printing.test_queue import Printer, order_id

DEFINE_CHARS, RASTER = b"\x1b&", b"\x1dv0"


@pytest.fixture
def printer() -> Iterator[Printer]:
    p = Printer()
    p.on()
    yield p
    p.off()


def packing_slip(tmp_path: Path, printer: Printer, drawn: bool) -> bytes:
    tmp_path.mkdir()
    cfg = make_config(tmp_path, printers={"express": printer.url, "packing": printer.url,
                                          "chinese": False, "drawn_glyphs": drawn})
    engine = open_store(cfg, create=True)
    numbers = seed(engine, orders=1)
    release(engine, cfg, Actor("D1", "clerk"))
    queue = PrintQueue(engine, cfg, Actor("V1", "OP2001"))
    before = len(printer.jobs)
    queue.enqueue_slips(order_id(engine, numbers[0]), ("packing",))
    assert queue.run_once() == 1
    engine.dispose()
    return printer.wait_jobs(before + 1)[before]


def test_a_font_less_printer_prints_han_as_the_config_says(tmp_path: Path,
                                                         printer: Printer) -> None:
    drawn = packing_slip(tmp_path / "drawn", printer, True)
    raster = packing_slip(tmp_path / "raster", printer, False)
    assert DEFINE_CHARS in drawn and DEFINE_CHARS not in raster
    # the barcodes are images on both; the lines with Han are images only without drawn glyphs
    assert raster.count(RASTER) > drawn.count(RASTER)
