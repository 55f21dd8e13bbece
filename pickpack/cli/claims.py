"""`pickpack case claim|settle|claims`: courier claims for damaged, lost or stalled parcels."""

from __future__ import annotations

import argparse
from typing import Any

from pickpack.core.aftersales.cases import parse_case_id
from pickpack.core.aftersales.claims import (
    file_claim,
    list_claims,
    monthly_summary,
    settle_claim,
)
from pickpack.core.events import now
from pickpack.core.reports import floor_tz
from pickpack.i18n import _
from pickpack.text import echo, json_text


def register(cases: argparse._SubParsersAction, common: Any) -> None:  # type: ignore[type-arg]
    """Add the claim commands to ``pickpack case`` (``common`` adds --by, --json, handler)."""
    cl = cases.add_parser("claim", help=_("claim the case's parcel from its courier"))
    cl.add_argument("case")
    cl.add_argument("--value", type=float, required=True, help=_("the goods' value"))
    cl.add_argument("--claimed", type=float, required=True, help=_("the amount claimed"))
    cl.add_argument("--photo", action="append", default=[], metavar="FILE",
                    help=_("a photo of the damage (a file path; repeat for more)"))
    common(cl, cmd_claim)
    st = cases.add_parser("settle", help=_("the courier paid a claim (or refused it)"))
    st.add_argument("claim", type=int)
    paid = st.add_mutually_exclusive_group(required=True)
    paid.add_argument("--paid", type=float)
    paid.add_argument("--refused", action="store_true")
    common(st, cmd_settle)
    ls = cases.add_parser("claims", help=_("courier claims, and the month's summary per courier"))
    ls.add_argument("--month", help=_("YYYY-MM (default: this month)"))
    common(ls, cmd_claims)


def cmd_claim(args: argparse.Namespace) -> int:
    from pickpack.cli.aftersales import _floor

    _cfg, floor, actor = _floor(args)
    claim = file_claim(floor, actor, parse_case_id(args.case), value=args.value,
                       claimed=args.claimed, photos=args.photo)
    echo(json_text(claim.to_json()) if args.json else
         _('claim {id} filed with {courier} for {tracking_no}: {claimed:.2f} claimed').format(
             id=claim.id, courier=claim.courier, tracking_no=claim.tracking_no, claimed=claim.claimed))
    return 0


def cmd_settle(args: argparse.Namespace) -> int:
    from pickpack.cli.aftersales import _floor

    _cfg, floor, actor = _floor(args)
    claim = settle_claim(floor, actor, args.claim, None if args.refused else args.paid)
    echo(json_text(claim.to_json()) if args.json else _('claim {id} {state}').format(
                                                          id=claim.id, state=claim.state)
         + (f": {claim.paid:.2f}" if claim.paid is not None else ""))
    return 0


def cmd_claims(args: argparse.Namespace) -> int:
    from pickpack.cli.aftersales import _floor

    cfg, floor, actor = _floor(args)
    month = args.month or now().astimezone(floor_tz(cfg)).strftime("%Y-%m")
    summary = floor.run(actor, lambda conn: monthly_summary(conn, cfg, month))
    claims = floor.run(actor, lambda conn: list_claims(conn))
    if args.json:
        echo(json_text({"month": month, "summary": summary,
                        "claims": [c.to_json() for c in claims]}))
        return 0
    for c in claims:
        said = _("claim {id}  case C{case_id}  {courier} {tracking_no}  {state}  claimed "
                 "{claimed:.2f}").format(id=c.id, case_id=c.case_id, courier=c.courier,
                                         tracking_no=c.tracking_no, state=c.state,
                                         claimed=c.claimed)
        if c.paid is not None:
            said += _("  paid {paid:.2f}").format(paid=c.paid)
        echo(said)
    echo(f"{month}:")
    for s in summary:
        echo(_('  {courier}: {claims} claims ({open} open, {paid} paid, {refused} refused), claimed '
               '{claimed:.2f}, received {received:.2f}').format(
                 courier=s['courier'], claims=s['claims'], open=s['open'], paid=s['paid'],
                 refused=s['refused'], claimed=s['claimed'], received=s['received']))
    return 0
