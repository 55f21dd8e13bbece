"""A desk action in progress: release, hold or cancel the open order, with a reason code, and a
supervisor's badge and PIN when the action needs one.

The reason comes first (``CMD:R:BUYER`` scanned from the sheet, chosen from the screen's list,
or typed; a hold may take any typed words, kept as the note of ``OTHER``). The action is then
tried as the clerk; when the service says it ``needs_supervisor`` (a bulk order, a station's
hold, a cancel on the floor: pickpack.core.desk.holds), a supervisor scans their badge and types
the PIN, and the same action runs again under their authority. The services decide who may;
this module only carries the steps.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pickpack.commands import CommandSpec
from pickpack.core.authority import check_badge, prove_supervisor
from pickpack.core.classify import Classified
from pickpack.core.context import Floor
from pickpack.core.desk.holds import DeskChange, cancel_order, hold_order, release_order
from pickpack.core.desk.reasons import TABLES, reason_code
from pickpack.core.events import Actor
from pickpack.core.lifecycle import state_name
from pickpack.core.operators import OperatorInfo
from pickpack.core.refusal import Refusal
from pickpack.i18n import N_, _

ACTIONS = ("release", "hold", "cancel")
ACTION_NAMES = {"release": N_("Release"), "hold": N_("Hold"), "cancel": N_("Cancel order")}
DONE = {
    "release": N_("Order {o} released ({reason}): now {state}"),
    "hold": N_("Order {o} held ({reason})"),
    "cancel": N_("Order {o} cancelled ({reason})"),
}

ACTION_COMMANDS = {"RELEASE": "release", "HOLD": "hold", "CANCELORDER": "cancel"}
REASON_CODES: tuple[CommandSpec, ...] = tuple(
    CommandSpec(f"R:{code}", N_("Reason"), text, detail=code)
    for code, text in {c: t for table in TABLES.values() for c, t in table.items()}.items()
)
"""Every desk reason code once (hold, release and cancel share BUYER and OTHER)."""
DESK_COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec("AUDIT", N_("Audit round"),
                N_("Shows what the round takes and the merges it proposes; again: releases")),
    CommandSpec("MERGE", N_("Merge"), N_("Merges the orders the round proposes")),
    CommandSpec("RELEASE", N_("Release"), N_("Releases the open held order (then a reason)")),
    CommandSpec("HOLD", N_("Hold order"),
                N_("Holds the open order (then a reason code or a typed reason)")),
    CommandSpec("CANCELORDER", N_("Cancel order"),
                N_("Cancels the open order (then a reason; on the floor a supervisor)")),
    CommandSpec("ACK", N_("Acknowledge remark"),
                N_("Accepts what the remark asks for, as read, in your name")),
    *REASON_CODES,
    CommandSpec("QUEUE", N_("Back to the queue"), N_("Closes the open order")),
    CommandSpec("CANCEL", N_("Cancel"), N_("Stops the action in progress")),
)


@dataclass
class Asked:
    """The action waiting for its next step: ``reason``, then ``badge`` and ``pin`` if asked."""

    action: str
    order_id: int
    order_no: str
    code: str = ""
    note: str = ""
    stage: str = "reason"
    badge: str | None = None

    @property
    def reasons(self) -> dict[str, str]:
        """The reason codes this action takes, with their words (marked ``N_``)."""
        return TABLES[self.action]


def reason_of(asked: Asked, text: str) -> tuple[str, str]:
    """(code, note) from a scanned, chosen or typed reason; a hold takes any words as OTHER."""
    text = text.strip()
    if asked.action == "hold" and text and text.upper() not in asked.reasons:
        return "OTHER", text
    if not text:
        raise Refusal("needs_reason", "{action} needs a reason code: {codes}",
                      action=_(ACTION_NAMES[asked.action]), codes=", ".join(asked.reasons))
    return reason_code(asked.action, text), ""


def run_action(floor: Floor, actor: Actor, asked: Asked,
               supervisor: OperatorInfo | None = None) -> DeskChange:
    """The action itself, by the desk's services (each one transaction with its event)."""
    if asked.action == "hold":
        return hold_order(floor, actor, asked.order_id, asked.code, asked.note)
    act: Callable[..., DeskChange] = release_order if asked.action == "release" else cancel_order
    return act(floor, actor, asked.order_id, asked.code, supervisor)


def take_badge(floor: Floor, actor: Actor, asked: Asked, item: Classified) -> OperatorInfo:
    """The supervisor's badge (refused at once if it is not an active supervisor's)."""
    if item.kind != "operator":
        raise Refusal("needs_badge", "{action} needs a supervisor's badge",
                      action=_(ACTION_NAMES[asked.action]))
    if not getattr(floor, "online", True):  # PINs live in the central store only
        raise Refusal("override_offline", "A supervisor override needs the central store, "
                      "which is away: put the order aside")
    sup = floor.run(actor, lambda conn: check_badge(conn, item.value), order_id=asked.order_id)
    asked.badge, asked.stage = item.value, "pin"
    return sup


def take_pin(floor: Floor, actor: Actor, asked: Asked, pin: str) -> OperatorInfo:
    """The PIN after the badge: the proven supervisor (a wrong PIN is counted and refused)."""
    assert asked.badge is not None
    return prove_supervisor(floor, actor, asked.badge, pin)


def done_text(change: DeskChange) -> str:
    text = _(DONE[change.action]).format(o=change.order_no, reason=change.reason_text,
                                         state=state_name(change.state))
    if change.supervisor:
        text += "  " + _("supervisor {s}").format(s=change.supervisor)
    return text + (f"  {_(change.note)}" if change.note else "")
