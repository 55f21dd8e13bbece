"""On PostgreSQL the board follows the store by LISTEN/NOTIFY: a parcel handed over through
the real flow reaches the open live channel."""

from __future__ import annotations

import http.client
import json
from typing import Any

from pickpack.core.context import Floor
from tests.board.boardkit import TOKEN, floor_with_orders, serving
from tests.core.floorkit import ship_through
from tests.pg.conftest import PgStore, pg, pg_url  # noqa: F401 (the fixtures)


def boards(live: http.client.HTTPResponse) -> Any:
    """Each board the channel sends, as it arrives (the socket's timeout bounds the wait)."""
    while True:
        line = live.fp.readline()
        assert line, "the live channel closed"
        if line.startswith(b"data: "):
            yield json.loads(line[6:])


def test_the_board_hears_the_store(pg: PgStore) -> None:  # noqa: F811
    numbers = floor_with_orders(pg.engine, pg.config)
    with serving(pg.engine, pg.config) as server:
        conn = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=10)
        conn.request("GET", f"/live?token={TOKEN}")
        live = conn.getresponse()
        assert live.status == 200
        feed = boards(live)
        first = next(feed)
        assert (first["couriers"][0]["to_ship"], first["shipped_today"]) == (3, 0)
        assert {s["station"]: s["operator"] for s in first["stations"]}["P1"] == "OP1001"
        ship_through(Floor(pg.engine, pg.config), numbers[0])
        board = next(b for b in feed if b["shipped_today"] == 1)
        assert (board["couriers"][0]["to_ship"], board["couriers"][0]["handed_over"]) == (2, 1)
        conn.close()
