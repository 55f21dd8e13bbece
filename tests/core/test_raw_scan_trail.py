"""The trail keeps the raw scan: every refusal and every counted item carries the code as the
scanner sent it (a whole GS1 element string, not only the GTIN read out of it) and its AIM
symbology when the scanner sent one, refusals the flow makes itself included."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Engine, select

from pickpack.core.context import Floor
from pickpack.core.flows import make_flow
from pickpack.core.tables import EVENTS
from pickpack.scan import Scan
from tests.core.floorkit import seed
from tests.pg.kit import TEE, picked_order

SOCK = "6917777412155"  # in the catalog, not in the order
ORDER_NO = "3900000000000000777"
WRONG = f"010{SOCK}10LOT7"
RIGHT = f"010{TEE}10LOT7"


def payloads(engine: Engine, kind: str) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        rows = conn.execute(select(EVENTS.c.payload).where(EVENTS.c.kind == kind)
                            .order_by(EVENTS.c.id)).scalars()
        return [json.loads(p) for p in rows]


def scan_at_verify(floor: Floor) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """A wrong item and a right one as GS1-128 (]C1), a junk code and a command verify does not
    take; returns the ``refused`` and ``item_scanned`` payloads."""
    seed(floor.engine, orders=0)
    picked_order(floor.engine, ORDER_NO, qty=2)
    flow = make_flow(floor, "verify", "V1")
    assert flow.handle(Scan("OP2001")).ok
    assert flow.handle(Scan(ORDER_NO)).ok
    for code, symbology, refusal in [(WRONG, "]C1", "wrong_item"), (RIGHT, "]C1", ""),
                                     ("ZZJUNK42", None, "unknown_code"),
                                     ("CMD:DONE", None, "unexpected")]:
        out = flow.handle(Scan(code, source="serial", symbology=symbology))
        assert out.code == refusal, (code, out.message)
        if not out.ok:
            assert flow.handle(Scan("CMD:OK")).ok
    return payloads(floor.engine, "refused"), payloads(floor.engine, "item_scanned")


def check(refused: list[dict[str, Any]], counted: list[dict[str, Any]]) -> None:
    assert [(p["code"], p["raw"], p["symbology"]) for p in refused] == [
        ("wrong_item", WRONG, "]C1"), ("unknown_code", "ZZJUNK42", None),
        ("unexpected", "CMD:DONE", None)]
    assert refused[0]["sku"] == "SOCK-3"  # what the code resolved to, as before
    assert counted == [{"sku": "TEE-BK-XL", "code": TEE, "units": 1, "lot": "LOT7",
                        "raw": RIGHT, "symbology": "]C1"}]


def test_refusals_and_counts_keep_the_raw_scan(engine: Engine, config: Any) -> None:  # noqa: ANN401
    check(*scan_at_verify(Floor(engine, config)))


def test_a_count_outside_a_scan_records_its_code_as_raw(engine: Engine, config: Any) -> None:  # noqa: ANN401
    """A count made without a station scan (a tool, a replay): ``raw`` is the code it counted."""
    from pickpack.core.events import Actor
    from pickpack.core.verify import count_item

    floor = Floor(engine, config)
    seed(engine, orders=0)
    oid = picked_order(engine, ORDER_NO, qty=1)
    count_item(floor, Actor("V1", "OP2001"), oid, floor.classifier.classify(TEE))
    assert payloads(engine, "item_scanned")[0]["raw"] == TEE
    assert payloads(engine, "item_scanned")[0]["symbology"] is None
