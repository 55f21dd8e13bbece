"""`pickpack policy show|set`: the warehouse's floor policy, kept in the store.

``show`` lists every setting in force, whether it comes from the store or (no policy in the store
yet) config.toml, and config.toml's own value where the store's differs. ``set KEY VALUE``
changes one for every station: a supervisor's authority (``--supervisor BADGE``, the PIN from a
prompt or ``PICKPACK_PIN``), each change a ``policy_set`` event. VALUE is JSON when it reads as
JSON (``3``, ``true``, ``["verify","weigh","ship"]``), else text (``16:30``).
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from db.engine import write_tx
from pickpack.cli.operators import authorise, os_user
from pickpack.cli.registry import add_command
from pickpack.config import Config, load_config
from pickpack.core.authority import still_supervisor
from pickpack.core.events import Actor
from pickpack.core.policy import STATION_OWN, policy_keys, set_policy, show
from pickpack.i18n import N_, _
from pickpack.store import open_store
from pickpack.text import echo, json_text


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    pol = add_command(sub, "policy")
    p_sub = pol.add_subparsers(dest="policy_command", required=True)
    sh = p_sub.add_parser("show", help=_("every setting in force and where it comes from"))
    sh.add_argument("key", nargs="?", help=_("one setting (section.field) or a section"))
    sh.add_argument("--json", action="store_true")
    sh.set_defaults(handler=cmd_show)
    st = p_sub.add_parser("set", help=_("change a setting for every station (a supervisor's)"))
    st.add_argument("key", help=_("section.field, e.g. floor.safety_stock"))
    st.add_argument("value", help=_("JSON (3, true, [\"pick\",\"ship\"]) or text (16:30)"))
    st.add_argument("--supervisor", metavar="BADGE", required=True,
                    help=_("your supervisor badge; the PIN is prompted for (or $PICKPACK_PIN)"))
    st.add_argument("--json", action="store_true")
    st.set_defaults(handler=cmd_set)


def _shown(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def cmd_show(args: argparse.Namespace) -> int:
    cfg = load_config(args.config)
    engine = open_store(cfg)
    with engine.connect() as conn:
        rows = show(conn, cfg)
    if args.key:
        rows = [r for r in rows if r["key"] == args.key or r["key"].startswith(args.key + ".")]
        if not rows:
            raise ValueError(_('no policy setting {key!r}: `pickpack policy show` lists them').format(
                                 key=args.key))
    if args.json:
        echo(json_text(rows))
        return 0
    for r in rows:
        note = _('  (config.toml: {value})').format(
                   value=_shown(r["config_toml"])) if "config_toml" in r else ""
        note += _("  (left out: {skipped})").format(skipped=r["skipped"]) if "skipped" in r else ""
        source = _(SOURCES[r["from"]]) if r["from"] in SOURCES else r["from"]
        echo(f"{r['key']:<32} {_shown(r['value'])}  [{source}]{note}")
    return 0


SOURCES = {"store": N_("store"), "config": N_("config")}
"""Where a policy value in force comes from, in words (``--json`` keeps the name)."""


def _known(cfg: Config, key: str) -> None:
    """A key the warehouse's policy has, else one line in the station's language."""
    if key in policy_keys(cfg):
        return
    if key.split(".", 1)[0] in STATION_OWN:
        raise ValueError(_("{key} is the station's own: set it in its config.toml").format(key=key))
    raise ValueError(_("unknown policy key {key!r}: `pickpack policy show` lists them").format(
                         key=key))


def cmd_set(args: argparse.Namespace) -> int:
    cfg = load_config(args.config)
    _known(cfg, args.key)
    engine = open_store(cfg)
    sup = authorise(cfg, engine, args.supervisor)
    with write_tx(engine) as conn:
        still_supervisor(conn, sup)
        done = set_policy(conn, Actor(cfg.station.id, sup.code, "supervisor"), cfg, args.key,
                          args.value, supervisor=sup.code, os_user=os_user())
    if args.json:
        echo(json_text(done, indent=None))
    else:
        echo(_('policy {key}: {v} → {v2} (every station, by {code})').format(
                 key=done['key'], v=_shown(done['old']), v2=_shown(done['new']), code=sup.code))
    return 0
