"""`pickpack order release KEY --supervisor BADGE --reason CODE`: a held order released by hand.

The audit's own holds go by ``pickpack release`` once their reason is gone; any other hold is
released by a supervisor, proven by badge and PIN (prompted, or ``PICKPACK_PIN``; never a flag),
with a reason code. The release is the ``override`` event ``release_hold``, naming both.
"""

from __future__ import annotations

import argparse

from pickpack.cli.operators import authorise
from pickpack.config import load_config
from pickpack.core.context import Floor
from pickpack.core.events import Actor
from pickpack.core.orders import find_order_id
from pickpack.core.overrides import REASONS, override
from pickpack.store import open_store
from pickpack.text import echo, json_text


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    orders = _subcommands(sub, "order")
    rel = orders.add_parser("release", help="release a held order by hand (a supervisor)")
    rel.add_argument("key", help="order no. or tracking no.")
    rel.add_argument("--supervisor", metavar="BADGE", required=True,
                     help="your supervisor badge; the PIN is prompted for (or $PICKPACK_PIN)")
    rel.add_argument("--reason", required=True, type=str.upper, choices=list(REASONS),
                     help="; ".join(f"{k}: {v}" for k, v in REASONS.items()))
    rel.add_argument("--json", action="store_true")
    rel.set_defaults(handler=cmd_release)


def _subcommands(sub: argparse._SubParsersAction, name: str  # type: ignore[type-arg]
                 ) -> argparse._SubParsersAction:  # type: ignore[type-arg]
    """The sub-commands of ``pickpack NAME`` (made by another module, or here)."""
    parser = sub.choices.get(name)
    if parser is None:
        parser = sub.add_parser(name, help="look up and change orders")
        return parser.add_subparsers(dest=f"{name}_command", required=True)
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    return parser.add_subparsers(dest=f"{name}_command", required=True)


def cmd_release(args: argparse.Namespace) -> int:
    cfg = load_config(args.config)
    engine = open_store(cfg)
    with engine.connect() as conn:
        oid = find_order_id(conn, args.key)
    if oid is None:
        raise ValueError(f"no order with order no. or tracking no. {args.key!r}")
    sup = authorise(cfg, engine, args.supervisor)
    floor = Floor(engine, cfg)
    view = override(floor, Actor(cfg.station.id, sup.code, "supervisor"), sup, oid,
                    "release_hold", args.reason)
    if args.json:
        echo(json_text({"order_no": view.order_no, "state": view.state,
                        "supervisor": sup.code, "reason": args.reason}, indent=None))
    else:
        echo(f"order {view.order_no} released by {sup.code} {sup.name} ({args.reason}): "
             f"now {view.state}")
    return 0
