"""A printer that is off is said in the station's language (field test: the wave print line in
zh_CN ended in "printer tcp://… is offline"); the job keeps the English text for the trail."""

from __future__ import annotations

from sqlalchemy import Engine, select

from pickpack.config import Config
from pickpack.core.tables import PRINT_JOBS
from pickpack.i18n import set_language
from pickpack.printing.queue import PrintQueue
from tests.printing.test_queue import Printer, order_id, printer, setup

__all__ = ["printer", "setup"]  # the fixtures, used by name


def test_an_offline_printer_in_chinese(setup: tuple[Engine, Config], printer: Printer) -> None:
    engine, cfg = setup
    queue = PrintQueue(engine, cfg)
    queue.enqueue_slips(order_id(engine, "3900000000000000000"))
    set_language("zh_CN")
    try:
        assert queue.run_once() == 0
    finally:
        set_language("en")
    assert queue.last_error.startswith(f"打印机 {printer.url} 离线："), queue.last_error
    with engine.connect() as conn:
        kept = set(conn.execute(select(PRINT_JOBS.c.last_error)).scalars())
    assert all(e.startswith(f"printer {printer.url} is offline") for e in kept), kept
