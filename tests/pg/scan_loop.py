"""A station that scans in a loop and prints each committed scan's event UUID (for kill -9).

Usage: python -m tests.pg.scan_loop STORE_URL ORDER_ID STATION
"""

from __future__ import annotations

import sys
from pathlib import Path
from tempfile import mkdtemp

from sqlalchemy import select

from db.engine import make_engine
from pickpack.core.context import Floor
from pickpack.core.events import Actor
from pickpack.core.tables import EVENTS
from pickpack.core.verify import count_item
from tests.conftest import make_config
from tests.pg.kit import TEE


def main(url: str, order_id: int, station: str) -> None:
    floor = Floor(make_engine(url), make_config(Path(mkdtemp()), store={"url": url}))
    item = floor.classifier.classify(TEE)
    last = select(EVENTS.c.uuid).where(EVENTS.c.station == station).order_by(EVENTS.c.id.desc())
    print("ready", flush=True)
    while True:
        count_item(floor, Actor(station, "OP2001"), order_id, item)
        with floor.engine.connect() as conn:  # committed: this station's newest event
            print(conn.execute(last.limit(1)).scalar_one(), flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3])
