"""Errors counted against the step that made them, from the cases that confirmed them.

A case whose responsible person a supervisor confirmed (``case_responsible``) counts against
that person at that step: a wrong or short item against the picker (and, as ``passed``,
against the verifier who passed the order), damage by packing against the packer. The latest
confirmation of a case counts, once.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from pickpack.core.tables import EVENTS, ORDERS

ROLE_OF_STEP = {"pick": "picked", "verify": "verified", "pack": "packed", "weigh": "weighed",
                "ship": "handed over"}


def case_errors(conn: Connection, since: datetime,
                until: datetime | None = None) -> list[dict[str, Any]]:
    """``{operator, code, role, count, cases}`` per person, case kind and role, from the
    responsibilities confirmed from ``since`` (to ``until``, excluded, if given)."""
    latest: dict[int, tuple[int | None, dict[str, Any]]] = {}
    span = [EVENTS.c.kind == "case_responsible", EVENTS.c.at >= since]
    if until is not None:
        span.append(EVENTS.c.at < until)
    for order_id, payload in conn.execute(
            select(EVENTS.c.order_id, EVENTS.c.payload).where(*span).order_by(EVENTS.c.id)):
        data = json.loads(payload or "{}")
        latest[int(data["case"])] = (order_id, data)
    verifiers = dict(conn.execute(select(ORDERS.c.id, ORDERS.c.verifier).where(
        ORDERS.c.id.in_([oid for oid, _d in latest.values() if oid is not None]))).all())
    counted: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for case_id, (order_id, data) in sorted(latest.items()):
        step, who, kind = data.get("step", ""), data.get("responsible", ""), data.get("kind", "")
        if step not in ROLE_OF_STEP or not who:
            continue  # the courier, the buyer or a supplier: no one on the floor
        counted[(who, kind, ROLE_OF_STEP[step])].append(case_id)
        verifier = verifiers.get(order_id)
        if step == "pick" and verifier and verifier != who:
            counted[(verifier, kind, "passed")].append(case_id)
    return [{"operator": op, "code": code, "role": role, "count": len(ids), "cases": ids}
            for (op, code, role), ids in sorted(counted.items())]
