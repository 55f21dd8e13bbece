"""`pickpack wave build|list|show|print|close|handback [--json]` and `pickpack report today`.

Waves are the desk's batches (pickpack.core.waves): ``build`` puts every ready order into a
wave by rule and priority, ``print`` sends one wave's pick list and slip pairs through the
print queue, ``close`` ends a picked wave or frees a wave nobody took, ``handback`` takes a
wave out of a picker's hands (a supervisor: badge, PIN from a prompt or ``PICKPACK_PIN``, and a
reason). The actor is the person at the terminal (``--by``, else the login name).
"""

from __future__ import annotations

import argparse
from typing import Any

from pickpack.cli.operators import os_user
from pickpack.cli.registry import add_command
from pickpack.cli.words import courier_word
from pickpack.config import Config, load_config
from pickpack.core.context import Floor
from pickpack.core.events import Actor
from pickpack.core.lifecycle import state_name
from pickpack.core.waves.build import build_waves
from pickpack.core.waves.tables import WAVE_STATES
from pickpack.core.waves.views import WaveView, close_wave, list_waves, show_wave
from pickpack.i18n import N_, _
from pickpack.store import open_store
from pickpack.text import echo, json_text


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    wave = add_command(sub, "wave")
    cmds = wave.add_subparsers(dest="wave_command", required=True, metavar="ACTION")
    build = cmds.add_parser("build", help=_("put every ready order into a wave, by rule"))
    lst = cmds.add_parser("list", help=_("waves in the order pickers take them"))
    lst.add_argument("--state", choices=WAVE_STATES)
    show = cmds.add_parser("show", help=_("one wave: its slots and orders"))
    prt = cmds.add_parser("print", help=_("a wave's pick list and slip pairs, in slot order"))
    prt.add_argument("--reprint", action="store_true", help=_("print a printed wave again"))
    close = cmds.add_parser("close", help=_("close a picked wave, or free one nobody took"))
    back = cmds.add_parser("handback", help=_("take a wave out of its picker's hands (a supervisor)"))
    back.add_argument("--supervisor", metavar="BADGE", required=True,
                      help=_("your supervisor badge; the PIN is prompted for (or $PICKPACK_PIN)"))
    back.add_argument("--reason", required=True, help=_("why (the picker went home, …)"))
    for p, handler in ((build, cmd_build), (lst, cmd_list), (show, cmd_show), (prt, cmd_print),
                       (close, cmd_close), (back, cmd_handback)):
        if p in (show, prt, close, back):
            p.add_argument("wave", help=_("wave code (W000123) or number"))
        p.add_argument("--by", help=_("who does it (default: your login name)"))
        p.add_argument("--json", action="store_true")
        p.set_defaults(handler=handler)


def _floor(args: argparse.Namespace) -> tuple[Config, Floor, Actor]:
    cfg = load_config(args.config)
    return cfg, Floor(open_store(cfg), cfg), Actor(cfg.station.id, (args.by or os_user())[:32],
                                                   "clerk")


KIND_WORDS = {"single": N_("single item"), "few": N_("few items"), "multi": N_("multi item")}
"""A wave's kind in words (``--json`` keeps the kind)."""
WAVE_STATE_WORDS = {"open": N_("to pick"), "printed": N_("printed"), "picking": N_("picking"),
                    "picked": N_("picked"), "closed": N_("closed")}
"""A wave's state in words (``--json`` keeps the state)."""


def _kind(kind: str, sku: str | None) -> str:
    what = _(KIND_WORDS[kind]) if kind in KIND_WORDS else kind
    return f"{what} {sku}" if sku else what


def _line(w: WaveView) -> str:
    from pickpack.cli.reports import width

    state = _(WAVE_STATE_WORDS[w.state]) if w.state in WAVE_STATE_WORDS else w.state
    held = _("  picker {picker}").format(picker=w.picker) if w.picker else ""
    return _("{code}  {state} {courier:<5} {kind}  orders {orders}  units {units}  "
             "priority {rank}{held}").format(
        code=w.code, state=state + " " * (8 - width(state)), courier=courier_word(w.courier),
        kind=_kind(w.kind, w.sku), orders=w.orders, units=w.units, rank=w.rank, held=held)


def cmd_build(args: argparse.Namespace) -> int:
    _cfg, floor, actor = _floor(args)
    built = build_waves(floor, actor)
    if args.json:
        echo(json_text([{"wave": b.code, "kind": b.kind, "courier": b.courier, "sku": b.sku,
                         "orders": b.orders, "units": b.units, "priority": b.rank}
                        for b in built]))
        return 0
    for b in built:
        echo(_('{code}  {courier:<5} {kind}  orders {orders}  units {units}').format(
                 code=b.code, courier=courier_word(b.courier), kind=_kind(b.kind, b.sku), orders=b.orders,
                 units=b.units))
    echo(_('{built} waves, {v} orders').format(built=len(built), v=sum(b.orders for b in built)))
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    _cfg, floor, _actor = _floor(args)
    with floor.engine.connect() as conn:
        waves = list_waves(conn, args.state)
    if args.json:
        echo(json_text([_summary(w) for w in waves]))
        return 0
    for w in waves:
        echo(_line(w))
    echo(_('{waves} waves').format(waves=len(waves)))
    return 0


def _summary(w: WaveView) -> dict[str, Any]:
    data = w.to_json()
    data.pop("slots")
    return {"wave": w.code, **data}


def cmd_show(args: argparse.Namespace) -> int:
    _cfg, floor, _actor = _floor(args)
    with floor.engine.connect() as conn:
        w = show_wave(conn, args.wave)
    _print_wave(w, args.json)
    return 0


def _print_wave(w: WaveView, as_json: bool) -> None:
    if as_json:
        echo(json_text({"wave": w.code, **w.to_json()}))
        return
    echo(_line(w))
    for s in w.slots:
        echo(_('  slot {slot:>3}  {order_no}  {v}  {state}').format(
                 slot=s.slot, order_no=s.order_no, v=s.tracking_no or '-',
                 state=state_name(s.state)))


def cmd_print(args: argparse.Namespace) -> int:
    from pickpack.printing.batch import print_wave

    cfg, floor, actor = _floor(args)
    batch = print_wave(floor.engine, cfg, actor, args.wave, reprint=args.reprint)
    data = {"wave": batch.wave, "slips": len(batch.jobs), "printed": batch.printed,
            "pending": batch.pending, "error": batch.error}
    if args.json:
        echo(json_text(data))
    else:
        echo(_('{wave}: {printed} of {jobs} slips printed').format(
                 wave=batch.wave, printed=batch.printed, jobs=len(batch.jobs))
             + (_('; {pending} waiting for the printer: {error}').format(
                    pending=batch.pending, error=batch.error) if batch.pending
                else ""))
    return 0 if not batch.error else 1


def cmd_handback(args: argparse.Namespace) -> int:
    from pickpack.cli.operators import authorise
    from pickpack.core.waves.handback import hand_back

    cfg, floor, _actor = _floor(args)
    sup = authorise(cfg, floor.engine, args.supervisor)
    view = hand_back(floor, Actor(cfg.station.id, sup.code, "supervisor"), sup, args.wave,
                     args.reason)
    _print_wave(view, args.json)
    return 0


def cmd_close(args: argparse.Namespace) -> int:
    _cfg, floor, actor = _floor(args)
    _print_wave(close_wave(floor, actor, args.wave), args.json)
    return 0
