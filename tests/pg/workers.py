"""Functions run in spawned processes by the concurrency tests (importable by the children)."""

from __future__ import annotations

from pathlib import Path

from db.engine import make_engine
from pickpack.core.claim import claim_next
from pickpack.core.context import Floor
from pickpack.core.events import Actor
from pickpack.core.refusal import Refusal
from pickpack.core.verify import count_item
from tests.conftest import make_config


def _floor(url: str, tmp: str) -> Floor:
    return Floor(make_engine(url, pool_size=2), make_config(Path(tmp), store={"url": url}))


def count_scans(url: str, tmp: str, station: str, order_id: int, tries: int, code: str
                ) -> list[str]:
    """Scan ``code`` ``tries`` times against the order; 'ok' or the refusal code per scan."""
    floor = _floor(url, tmp)
    item = floor.classifier.classify(code)
    out = []
    for _ in range(tries):
        try:
            count_item(floor, Actor(station, "OP2001"), order_id, item)
            out.append("ok")
        except Refusal as refusal:
            out.append(refusal.code)
    floor.engine.dispose()
    return out


def claim_all(url: str, tmp: str, station: str, step: str) -> list[int]:
    """Claim orders at ``step`` until none is left; the ids claimed."""
    floor = _floor(url, tmp)
    got = []
    while (view := claim_next(floor, Actor(station, f"OP-{station}"), step)) is not None:
        got.append(view.id)
    floor.engine.dispose()
    return got
