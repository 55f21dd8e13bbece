"""`pickpack case …`, `pickpack return …` and `pickpack report aftersales`: the after-sales desk.

A short or wrong-item case is investigated when it is opened (its verdict is recorded on it);
naming who was responsible needs a supervisor (``--supervisor BADGE``, PIN from a prompt or
``PICKPACK_PIN``, never a flag).
"""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path
from typing import Any

from pickpack.cli.operators import authorise, os_user
from pickpack.cli.orders import _subcommands
from pickpack.cli.words import event_details
from pickpack.config import Config, load_config
from pickpack.core.aftersales import register as reg
from pickpack.core.aftersales.cases import (
    KINDS,
    STEPS,
    CaseView,
    close_case,
    list_cases,
    load_case,
    open_case,
    parse_case_id,
    solve_case,
)
from pickpack.core.aftersales.investigate import Investigation, investigate_case, investigate_order
from pickpack.core.aftersales.reships import create_reship, open_ship_short_cases
from pickpack.core.aftersales.tracking import follow_up, open_follow_up_cases
from pickpack.core.aftersales.words import in_words, os_why
from pickpack.core.context import Floor
from pickpack.core.events import Actor
from pickpack.core.lifecycle import event_name
from pickpack.core.operators import OperatorInfo
from pickpack.core.reports import local_time
from pickpack.i18n import _
from pickpack.store import open_store
from pickpack.text import echo, json_text

INVESTIGATED = ("short", "wrong_item", "damaged", "ship_short")
"""Case kinds whose parcel is investigated when the case is opened."""


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    cases = _subcommands(sub, "case")
    sub.choices["case"].help = _("the after-sales register: open, show, list, solve, close")
    op = cases.add_parser("open", help=_("open a case (a short or wrong parcel is investigated)"))
    op.add_argument("kind", choices=list(KINDS))
    op.add_argument("order", nargs="?", default="", help=_("order no. or tracking no."))
    op.add_argument("--claim", default="", help=_("what the buyer said"))
    op.add_argument("--item", action="append", default=[], metavar="SKU[:QTY]")
    _common(op, cmd_open)
    show = cases.add_parser("show", help=_("a case with its parcel's whole trail and verdict"))
    show.add_argument("case")
    _common(show, cmd_show)
    ls = cases.add_parser("list", help=_("cases (open ones by default)"))
    ls.add_argument("--state", choices=("open", "solved", "closed", "all"), default="open")
    _common(ls, cmd_list)
    solve = cases.add_parser("solve", help=_("what was done; who was responsible (a supervisor)"))
    solve.add_argument("case")
    solve.add_argument("--solution", required=True, help=_("what was done"))
    solve.add_argument("--responsible", default="", metavar="OPERATOR",
                       help=_("who was responsible (default with --supervisor: the one the "
                            "investigation proposes)"))
    solve.add_argument("--step", default="", choices=("", *STEPS))
    solve.add_argument("--supervisor", metavar="BADGE",
                       help=_("confirms who was responsible; the PIN is prompted for "
                            "(or $PICKPACK_PIN)"))
    _common(solve, cmd_solve)
    close = cases.add_parser("close", help=_("a solved case followed to its end"))
    close.add_argument("case")
    _common(close, cmd_close)
    rs = cases.add_parser("reship", help=_("reship (or exchange) the case's items as "
                          "<order_no>-R1…, through the floor again"))
    rs.add_argument("case")
    rs.add_argument("--item", action="append", default=[], metavar="SKU[:QTY]",
                    help=_("default: the case's items, else the original's lines"))
    rs.add_argument("--exchange", action="store_true", help=_("the new item of an exchange"))
    rs.add_argument("--reverse-stock", action="store_true",
                    help=_("the units never left (a confirmed short): back on hand (冲单)"))
    _common(rs, cmd_reship)
    fu = cases.add_parser("followup", help=_("shipped parcels with no tracking update for "
                          "[aftersales] stale_tracking_days, returned or with a problem"))
    fu.add_argument("--open", action="store_true", help=_("open a case for each with none"))
    _common(fu, cmd_followup)
    from pickpack.cli import claims, returns

    claims.register(cases, _common)
    returns.register(sub)


def _common(parser: argparse.ArgumentParser, handler: Any) -> None:
    parser.add_argument("--by", default="", metavar="OPERATOR",
                        help=_("who handles it (default: your login name)"))
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(handler=handler)


def _floor(args: argparse.Namespace) -> tuple[Config, Floor, Actor]:
    cfg = load_config(args.config)
    floor = Floor(open_store(cfg), cfg)
    return cfg, floor, Actor(cfg.station.id, (args.by or os_user())[:32], "clerk")


def parse_items(values: list[str]) -> list[dict[str, Any]]:
    """``SKU`` or ``SKU:QTY`` as item dicts (ValueError naming a bad one)."""
    items = []
    for value in values:
        sku, _sep, qty = value.partition(":")
        if not sku or (qty and not qty.isdigit()) or qty == "0":
            raise ValueError(_('--item {value!r}: SKU or SKU:QTY with QTY a whole number ≥ 1').format(
                                 value=value))
        items.append({"sku": sku, "qty": int(qty or 1)})
    return items


def cmd_open(args: argparse.Namespace) -> int:
    cfg, floor, actor = _floor(args)
    case = open_case(floor, actor, args.kind, order_key=args.order, claim=args.claim,
                     items=parse_items(args.item))
    found = None
    if case.kind in INVESTIGATED and case.order_id is not None:
        found = investigate_case(floor, actor, case.id)
        case = floor.run(actor, lambda conn: load_case(conn, case.id))
    if args.json:
        echo(json_text({**case.to_json(), "investigation": found.to_json() if found else None}))
    else:
        echo(_('case C{id} opened: {kind} {v}').format(id=case.id, kind=_(KINDS[case.kind]),
                                                        v=case.order_no or '-'))
        if found is not None:
            echo(_('verdict: {verdict}').format(verdict=found.verdict))
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    cfg, floor, actor = _floor(args)
    case_id = parse_case_id(args.case)

    def read(conn: Any) -> tuple[CaseView, Investigation | None]:
        case = load_case(conn, case_id)
        found = None if case.order_id is None else investigate_order(conn, cfg, case.order_id,
                                                                     case.kind)
        return case, found

    case, found = floor.run(actor, read)
    if args.json:
        echo(json_text({**case.to_json(), "investigation": found.to_json() if found else None}))
        return 0
    for line in case_lines(case, cfg):
        echo(line)
    if found is not None:
        for line in investigation_lines(found, cfg):
            echo(line)
    return 0


def step_word(step: str) -> str:
    """A responsible step (pick, verify…) in the reader's language."""
    return _(reg.STEP_NAMES[step]) if step in reg.STEP_NAMES else step or "-"


def case_lines(case: CaseView, cfg: Config) -> list[str]:
    items = reg.items_text(case) or "-"
    lines = [_('case C{id}  {kind} ({v})  [{state}]').format(
                 id=case.id, kind=_(KINDS[case.kind]), v=reg.KIND_ZH[case.kind], state=_(case.state)),
             _('order {v}  tracking {v2}  buyer {v3}').format(
                 v=case.order_no or '-', v2=case.tracking_no or '-', v3=case.buyer or '-'),
             _('opened {opened_at} by {opened_by}  items {items}').format(
                 opened_at=local_time(case.opened_at, cfg), opened_by=case.opened_by, items=items),
             _('buyer said: {v}').format(v=in_words(case.claim) or '-')]
    if case.verdict:
        lines.append(_('verdict: {verdict}').format(verdict=case.verdict))
    if case.solution:
        lines.append(_('done: {solution} (by {handler})').format(
                         solution=in_words(case.solution), handler=case.handler))
    if case.responsible or case.responsible_step:
        lines.append(_('responsible: {v} at {v2}, confirmed by {confirmed_by}').format(
                         v=case.responsible or '-', v2=step_word(case.responsible_step),
                         confirmed_by=case.confirmed_by))
    return lines


def investigation_lines(found: Investigation, cfg: Config) -> list[str]:
    people = "  ".join(f"{_(role)} {code}" for role, code in found.people.items()) or "-"
    lines = [_('people: {people}').format(people=people), _("trail:")]
    for step in found.trail:
        detail = event_details(step.detail)
        at = local_time(datetime.fromisoformat(step.at), cfg)
        lines.append(f"  {at}  {step.station:<6} {step.operator:<8} {event_name(step.kind):<16} {detail}")
    weight = "-" if found.weight_g is None else f"{found.weight_g:.0f} g"
    lines.append(_('weight: recorded {weight}, expected {expected_g:.0f} g ± {tolerance_g:.0f} g').format(
                     weight=weight, expected_g=found.expected_g, tolerance_g=found.tolerance_g))
    lines.append(_('verdict: {verdict}').format(verdict=found.verdict))
    for count in found.counts:
        lines.append(_('count: {sku} at bin {v} (the store says {on_hand} there): pickpack stock count '
                       '{bin} {sku}=QTY --partial').format(
                         sku=count.sku, v=count.bin or '-', on_hand=count.on_hand, bin=count.bin))
    if found.remedy:
        lines.append(_('missing goods worth {missing_value:.2f}: ').format(
                         missing_value=found.missing_value) + (
            _("below [aftersales] small_value — refund") if found.remedy == "refund"
            else _("refund or reship, as the buyer chooses (case reship)")))
    p = found.proposed
    if p.get("step"):
        also = _(" (verifier {also} passed it)").format(also=p["also"]) if p.get("also") else ""
        lines.append(_('proposed responsible: {v} at {step}{also} — a supervisor confirms with case solve '
                       '--supervisor').format(v=p.get('responsible') or '-',
                                              step=step_word(p['step']), also=also))
    return lines


def cmd_reship(args: argparse.Namespace) -> int:
    cfg, floor, actor = _floor(args)
    order_no = create_reship(floor, actor, parse_case_id(args.case), items=parse_items(args.item),
                             kind="exchange" if args.exchange else "reship",
                             reverse_stock=args.reverse_stock)
    echo(json_text({"order_no": order_no}) if args.json else
         _('{order_no} created: the next release audits it (pickpack release)').format(order_no=order_no))
    return 0


def cmd_followup(args: argparse.Namespace) -> int:
    cfg, floor, actor = _floor(args)
    opened = open_follow_up_cases(floor, actor) if args.open else []
    listed = floor.run(actor, lambda conn: follow_up(conn, cfg))
    if args.json:
        echo(json_text({"opened": opened, "parcels": [f.to_json() for f in listed]}))
        return 0
    for f in listed:
        said = _("{order_no}  {courier} {tracking_no}  {why:<8} {days} days  {status}").format(
            order_no=f.order_no, courier=f.courier, tracking_no=f.tracking_no, why=f.why,
            days=f.days, status=f.last_status or "-")
        echo(said + (_("  case C{case}").format(case=f.case) if f.case else ""))
    echo(_('{listed} parcels to follow up').format(
             listed=len(listed)) + (_(', {opened} cases opened').format(
                                        opened=len(opened)) if opened else ""))
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    cfg, floor, actor = _floor(args)
    open_ship_short_cases(floor, actor)
    state = None if args.state == "all" else args.state
    cases = floor.run(actor, lambda conn: list_cases(conn, state=state))
    if args.json:
        echo(json_text([c.to_json() for c in cases]))
        return 0
    for c in cases:
        echo(f"C{c.id:<5} {local_time(c.opened_at, cfg)}  {_(c.state):<7} {_(KINDS[c.kind]):<20} "
             f"{c.order_no or '-':<22} {in_words(c.claim)}")
    echo(_('{cases} cases').format(cases=len(cases)))
    return 0


def cmd_solve(args: argparse.Namespace) -> int:
    cfg, floor, actor = _floor(args)
    case_id = parse_case_id(args.case)
    sup: OperatorInfo | None = None
    responsible, step = args.responsible, args.step
    if args.supervisor:
        sup = authorise(cfg, floor.engine, args.supervisor)
        if not responsible and not step:
            case = floor.run(actor, lambda conn: load_case(conn, case_id))
            if case.order_id is not None:
                oid = case.order_id
                proposed = floor.run(actor, lambda conn: investigate_order(
                    conn, cfg, oid, case.kind)).proposed
                responsible, step = proposed.get("responsible", ""), proposed.get("step", "")
    elif responsible or step:
        raise ValueError(_("naming who was responsible needs --supervisor BADGE"))
    case = solve_case(floor, actor, case_id, args.solution, responsible=responsible, step=step,
                      supervisor=sup)
    if args.json:
        echo(json_text(case.to_json()))
    else:
        echo(_('case C{id} solved: {solution}').format(id=case.id, solution=case.solution)
             + (_('; responsible {v} at {responsible_step}, confirmed by {confirmed_by}').format(
                    v=case.responsible or '-', responsible_step=step_word(case.responsible_step),
                    confirmed_by=case.confirmed_by) if case.confirmed_by else ""))
    return 0


def cmd_close(args: argparse.Namespace) -> int:
    cfg, floor, actor = _floor(args)
    case = close_case(floor, actor, parse_case_id(args.case))
    echo(json_text(case.to_json()) if args.json else _('case C{id} closed').format(id=case.id))
    return 0


def report_aftersales(args: argparse.Namespace) -> int:
    """`pickpack report aftersales [--day D] [--xlsx F] [--csv F] [--json]`."""
    cfg = load_config(args.config)
    day = reg.parse_day(getattr(args, "day", None), cfg)
    engine = open_store(cfg)
    open_ship_short_cases(Floor(engine, cfg), Actor(cfg.station.id, os_user()[:32], "clerk"))
    with engine.connect() as conn:
        register = reg.day_register(conn, cfg, day)
    xlsx: Path | None = getattr(args, "xlsx", None)
    out_csv: Path | None = getattr(args, "csv", None)
    for path, write in ((xlsx, reg.write_xlsx), (out_csv, reg.write_csv)):
        if path:
            try:
                write(register, cfg, path)
            except OSError as exc:
                raise ValueError(_("cannot write {file}: {why}").format(
                    file=path, why=os_why(exc))) from None
    if args.json:
        echo(json_text({"day": day.isoformat(), "overdue": register.overdue,
                        "cases": [c.to_json() for c in register.cases]}))
        return 0
    from pickpack.cli.reports import table_lines

    for line in table_lines(reg.HEADER, reg.rows(register, cfg)):
        echo(line)
    echo(_('{cases} cases on {v}, {overdue} overdue').format(
             cases=len(register.cases), v=day.isoformat(), overdue=len(register.overdue))
         + "".join(_("; written to {file}").format(file=f) for f in (xlsx, out_csv) if f))
    return 0
