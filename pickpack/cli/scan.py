"""`pickpack scan CODE [--json]`: what a code means in this store, as a station would take it.

For supervisors at the desk and for scripts: the kind (the classifier's own names), the normal
form (GTIN-14 for retail codes), what the store holds under it (SKU and units, order, courier),
the lot and expiry of GS1 data, and the reason when a station would refuse it. An AIM prefix
(``]C1…``) at the front of CODE is read as the scanner's symbology, as a station reads it.
Exit status: 0 when a station would take the code, 1 when it would refuse it.
"""

from __future__ import annotations

import argparse
from typing import Any

from db.engine import read_tx
from pickpack.cli.registry import add_command
from pickpack.config import load_config
from pickpack.core.classify import Classified
from pickpack.core.context import Floor
from pickpack.core.refusal import Refusal
from pickpack.core.resolve import Known, Resolution, check_shelf_life, resolve, shelf_rule
from pickpack.i18n import N_, _
from pickpack.scan import strip_aim
from pickpack.store import open_store
from pickpack.text import echo, json_text

REFUSED = frozenset({"invalid", "ambiguous", "sscc", "unknown"})


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = add_command(sub, "scan")
    p.add_argument("code", help=_("the code as the scanner sends it (an AIM prefix ]C1… is read)"))
    p.add_argument("--symbology", help=_("the scanner's AIM identifier, e.g. ]C1 (GS1-128)"))
    p.add_argument("--json", action="store_true", help=_("one JSON object"))
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    cfg = load_config(args.config)
    raw = args.code.replace("<GS>", "\x1d")  # a GS typed as the tools show it
    code, aim = strip_aim(raw)
    symbology = args.symbology or aim
    engine = open_store(cfg)
    try:
        floor = Floor(engine, cfg)
        shape = floor.classifier.classify(code, symbology)
        with read_tx(engine) as conn:
            resolution = resolve(conn, shape)
        data = describe(floor, resolution, code, symbology)
    finally:
        engine.dispose()
    echo(json_text(data) if args.json else human(data))
    return 1 if data["kind"] in REFUSED or data["refused"] else 0


def describe(floor: Floor, resolution: Resolution, code: str,
             symbology: str | None) -> dict[str, Any]:
    """The answer as a plain mapping (the ``--json`` object)."""
    scan, known = resolution.scan, resolution.known
    item = next((k for k in known if k.kind == "item"), None) if scan.kind == "item" else None
    kind = "unknown" if scan.kind == "item" and item is None else scan.kind
    reason = scan.reason or (N_("not in this store's catalog") if kind == "unknown" else "")
    refused, rule = "", None
    if scan.kind == "item" and scan.expiry:
        rule = shelf_rule(floor, scan)  # the SKU's own minimum shelf life, else the default
        try:
            check_shelf_life(floor, scan, rule=rule)
        except Refusal as refusal:
            refused = refusal.code
            reason = refusal.text()
    opens = next((k for k in known if k.kind != "item" and k.order_no), None)
    return {
        "code": code,
        "symbology": symbology,
        "kind": kind,
        "value": scan.value,
        "normal": scan.gtin,
        "sku": item.sku if item else None,
        "units": item.units if item else None,
        "barcode": item.order_no if item else None,
        "order": opens.order_no if opens else None,
        "courier": scan.courier,
        "lot": scan.lot,
        "expiry": scan.expiry,
        "min_shelf_days": rule.days if rule else None,
        "shelf_rule": (rule.sku and "sku" or "default") if rule else None,
        "known": [_known(k) for k in known],
        "readings": [_reading(r) for r in scan.readings],
        "refused": refused,
        "reason": reason,
    }


def _known(k: Known) -> dict[str, Any]:
    if k.kind == "item":
        return {"kind": "item", "sku": k.sku, "units": k.units, "barcode": k.order_no}
    return {"kind": k.kind, "courier": k.courier, "order": k.order_no}


def _reading(r: Classified) -> dict[str, Any]:
    return {"kind": r.kind, "courier": r.courier, "normal": r.gtin}


SCAN_KINDS = {"item": N_("item"), "unknown": N_("not known"), "invalid": N_("not valid"),
              "ambiguous": N_("more than one reading"), "basket": N_("basket"),
              "command": N_("command"), "location": N_("bin location"),
              "operator": N_("operator badge"), "order": N_("order"),
              "sscc": N_("carton label (SSCC)"), "tracking": N_("tracking number")}
"""What a scanned code is, in words (``--json`` keeps the kind)."""
SCAN_KEYS = {"normal": N_("normalised"), "sku": N_("SKU"), "units": N_("units"),
             "barcode": N_("barcode"), "order": N_("order no."), "courier": N_("courier"),
             "lot": N_("lot"), "expiry": N_("expiry"), "min_shelf_days": N_("minimum shelf days"),
             "shelf_rule": N_("shelf life rule"), "reason": N_("why")}
"""The text mode's line names (``--json`` keeps the keys)."""
SHELF_RULES = {"sku": N_("the SKU's own"), "default": N_("the default")}


def _kind_words(kind: str) -> str:
    return _(SCAN_KINDS[kind]) if kind in SCAN_KINDS else kind


def human(data: dict[str, Any]) -> str:
    """A few ``key: value`` lines, only the keys that say something."""
    lines = [f"{data['code']}: {_kind_words(data['kind'])}"]
    for key, name in SCAN_KEYS.items():
        value = data[key]
        if value in (None, ""):
            continue
        if key == "reason":
            value = _(value)  # a fixed reason is in the catalogue (one with detail as it is)
        elif key == "shelf_rule":
            value = _(SHELF_RULES.get(value, value))
        lines.append(f"  {_(name)}: {value}")
    for r in data["readings"]:
        lines.append(_('  could be: {kind}').format(
                         kind=_kind_words(r['kind'])) + (f" {r['courier']}" if r["courier"] else ""))
    if not data["known"]:
        lines.append(_("  the store holds nothing under this code"))
    return "\n".join(lines)
