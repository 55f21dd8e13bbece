"""On PostgreSQL the count's event is written by pickpack_count_item (revision 0011): the raw
scan and its symbology are in it as on SQLite, and the refusals carry them too."""

from __future__ import annotations

from tests.core.test_raw_scan_trail import check, scan_at_verify
from tests.pg.conftest import PgStore


def test_refusals_and_counts_keep_the_raw_scan_on_postgresql(pg: PgStore) -> None:
    check(*scan_at_verify(pg.floor()))
