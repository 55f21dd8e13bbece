"""A return parcel given up at the bench before any item was received (CMD:CANCEL).

A registered return goes back to expected (its parcel can be scanned again); one the station
opened with no registration is ``abandoned`` and the case it opened is closed with the reason.
With an item received it is refused: those units are on the trail (and maybe on hand), so the
return is finished with CMD:DONE. One event ``return_abandoned`` in the same transaction.
"""

from __future__ import annotations

from sqlalchemy import Connection, select, update

from pickpack.core.aftersales.cases import CLOSED, OPEN, SOLVED
from pickpack.core.aftersales.returns import EXPECTED, RECEIVING
from pickpack.core.aftersales.tables import CASES, RETURN_ITEMS, RETURNS
from pickpack.core.aftersales.words import coded
from pickpack.core.context import Floor
from pickpack.core.events import Actor, append_event, now
from pickpack.core.refusal import Refusal

ABANDONED = "abandoned"
REASON = coded("return_abandoned")
"""What was done, stored as a code (pickpack.core.aftersales.words puts it in words)."""


def abandon_return(floor: Floor, actor: Actor, return_id: int) -> str:
    """Give up return ``return_id`` (nothing received yet): the state it is left in."""
    def tx(conn: Connection) -> str:
        row = conn.execute(select(RETURNS).where(RETURNS.c.id == return_id)).one()
        if row.state != RECEIVING:
            raise Refusal("return_not_open", "Return {r} is {state}: scan the return parcel first",
                          r=return_id, state=row.state)
        if conn.execute(select(RETURN_ITEMS.c.id).where(RETURN_ITEMS.c.return_id == return_id)
                        .limit(1)).first() is not None:
            raise Refusal("return_has_items", "Return R{r} has items received: it cannot be "
                          "cancelled, finish it with F7 (CMD:DONE)", r=return_id)
        to = ABANDONED if row.source == "station" else EXPECTED
        conn.execute(update(RETURNS).where(RETURNS.c.id == return_id)
                     .values(state=to, received_by=""))
        case_id = row.case_id if to == ABANDONED else None
        if case_id is not None:
            closed = conn.execute(update(CASES).where(CASES.c.id == case_id,
                                                      CASES.c.state.in_((OPEN, SOLVED)))
                                  .values(state=CLOSED, solution=REASON, solved_at=now(),
                                          closed_at=now(), handler=actor.operator)).rowcount
            if closed:
                append_event(conn, actor, "case_closed", row.order_id,
                             {"case": case_id, "reason": REASON})
        append_event(conn, actor, "return_abandoned", row.order_id,
                     {"return": return_id, "state": to, "case": case_id, "reason": REASON})
        return to

    return floor.run(actor, tx)
