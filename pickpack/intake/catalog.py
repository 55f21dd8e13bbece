"""Importing the catalog: SKUs and their barcodes (``CODE*6`` = a case of 6 units), upserted.

Columns by header name: sku, name, barcodes (required); attributes, weight_g, bin, price,
on_hand, components, min_shelf_days (optional). A 13-digit numeric barcode must carry a valid
EAN-13 check digit. A barcode already in the store is moved to the SKU the catalog names;
barcodes the file does not mention are left alone. Without ``skip_bad`` a file with any bad
row writes nothing.

``components`` makes the SKU a bundle (组合商品): ``P01-01*2|P02-01`` is two P01-01 and one
P02-01, each a SKU of this file or of the store and not itself a bundle. Order lines of a bundle
are expanded into their components at import. An empty cell makes the SKU a plain one again;
without the column, bundles are left as they are.

``on_hand`` goes through the stock ledger (pickpack.core.stock): a new SKU's number opens its
stock, an ``import`` movement. For a SKU already in the store the file's number is taken only
while the store's is still what an import left; once a count, an adjustment, a shipment or a
return has moved it, the difference is reported (``stock_kept``) and the store's number stays,
unless ``set_stock`` (``--set-stock``) says to take the file's.

``min_shelf_days`` (aliases in ``MIN_SHELF_DAYS``: 最短保质期(天), 保质期下限…) is the shortest
shelf life, in days, a unit of the SKU may have left when it is verified; an empty cell gives
the SKU ``[barcodes] min_shelf_days`` again; without the column the store's values stay.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, select

from pickpack.core.events import Actor, append_event
from pickpack.core.stock.ledger import (
    STOCK_BINS,
    Move,
    as_imported,
    record_movements,
    record_new_stock,
)
from pickpack.i18n import N_, _
from pickpack.intake.common import BARCODE, BATCH, COMPONENT, SKU, import_tx, record_rejected
from pickpack.intake.result import ImportFailed, ImportResult, RowError
from pickpack.intake.source import (
    BadValue,
    bad_bytes,
    cell,
    digits,
    excel_damaged,
    fit,
    open_table,
    parse_money,
)

UNITS = N_("not a unit count: '{value}'")
_CODE = re.compile(r"[!-~]{1,64}")
_INT = re.compile(r"-?\d{1,9}")
_FIELDS = ("attributes", "weight_g", "bin", "price", "on_hand")
_SKU_FIELDS = ("attributes", "weight_g", "bin", "price")
"""What the catalog writes on the SKU row itself (on_hand goes through the ledger)."""
MIN_SHELF_DAYS = ("min_shelf_days", "最短保质期(天)", "最短保质期（天）", "最短保质期",
                  "保质期下限(天)", "保质期下限（天）", "保质期下限")
"""The header names of a SKU's own minimum shelf life, tried in order (docs/INTAKE.md)."""
_SHELF = re.compile(r"([0-9]{1,4})\s*天?")


@dataclass
class CatalogResult(ImportResult):
    stock_kept: list[tuple[str, int, int]] = field(default_factory=list)
    """(SKU, the store's on hand, the file's) for counted stock the file did not overwrite."""
    stock_set: int = 0
    """SKUs whose on hand was taken from the file (new SKUs included)."""

    def summary(self) -> str:
        line = super().summary()
        if self.stock_kept:
            line += _(", {n} stock differences kept (counted stock: --set-stock takes the "
                      "file's)").format(n=len(self.stock_kept))
        return line


def ean13_ok(code: str) -> bool:
    """True when the 13th digit is the EAN-13 check digit of the first twelve."""
    digits = [int(c) for c in code]
    total = sum(d * (3 if i % 2 else 1) for i, d in enumerate(digits[:12]))
    return (10 - total % 10) % 10 == digits[12]


def parse_barcodes(value: str, field: str = "barcodes") -> list[tuple[str, int]]:
    """``6952890786660|6961760313721*6`` → [(code, units), …]."""
    out: list[tuple[str, int]] = []
    for part in (p.strip() for p in value.split("|")):
        if not part:
            continue
        code, star, n = part.partition("*")
        code = code.strip()
        if not _CODE.fullmatch(code):
            raise BadValue(field, N_("not a barcode: '{value}'"), value=code)
        if len(code) == 13 and code.isdigit() and not ean13_ok(code):
            raise BadValue(field, N_("bad EAN-13 check digit: '{value}'"), value=code)
        units = 1
        if star:
            if not digits(n.strip()) or int(n) < 1:
                raise BadValue(field, UNITS, value=part)
            units = int(n)
        out.append((code, units))
    return out


def parse_components(value: str, bundle: str) -> list[tuple[str, int]]:
    """``P01-01*2|P02-01`` → [("P01-01", 2), ("P02-01", 1)]."""
    out: dict[str, int] = {}
    for part in (p.strip() for p in value.split("|")):
        if not part:
            continue
        sku, star, n = (x.strip() for x in part.partition("*"))
        if not sku or len(sku) > 64:
            raise BadValue("components", N_("not a SKU: '{value}'"), value=part)
        if sku == bundle:
            raise BadValue("components", N_("'{sku}' cannot be a component of itself"), sku=sku)
        if star and (not digits(n) or not 1 <= int(n) <= 9999):
            raise BadValue("components", UNITS, value=part)
        out[sku] = out.get(sku, 0) + (int(n) if star else 1)
    return list(out.items())


def _check_bundles(engine: Engine, file: str, skus: dict[str, dict[str, Any]],
                   codes: dict[str, tuple[str, int]],
                   bundles: dict[str, tuple[int, list[tuple[str, int]]]],
                   errors: list[RowError]) -> None:
    """Components must be SKUs (of the file or the store) and not bundles themselves; a bundle
    that fails is dropped (with its row) and reported."""
    with engine.connect() as conn:
        stored = set(conn.execute(select(SKU.c.sku)).scalars())
        stored_bundles = set(conn.execute(select(COMPONENT.c.bundle).distinct()).scalars())
    is_bundle = {b for b, (_l, parts) in bundles.items() if parts}
    is_bundle |= stored_bundles - set(bundles)
    for sku, (line, parts) in list(bundles.items()):
        problem = next(((N_("'{sku}' is not in the catalog"), c) for c, _q in parts
                        if c not in skus and c not in stored), None)
        problem = problem or next(((N_("'{sku}' is a bundle itself (one level only)"), c)
                                   for c, _q in parts if c in is_bundle), None)
        if problem:
            errors.append(RowError.of(file, line, "components", problem[0], sku=problem[1]))
            del bundles[sku]
            del skus[sku]
            for code in [c for c, (s, _u) in codes.items() if s == sku]:
                del codes[code]


def parse_shelf_days(value: str) -> int | None:
    """``30``, ``30天`` → 30 (0–3650, as ``[barcodes] min_shelf_days``); empty → None."""
    if not value:
        return None
    found = _SHELF.fullmatch(value)
    if found is None or int(found.group(1)) > 3650:
        raise BadValue("min_shelf_days", N_("not a number of days (0–3650): '{value}'"),
                       value=value)
    return int(found.group(1))


def _int(value: str, field: str) -> int:
    if not _INT.fullmatch(value) or int(value) < 0:
        raise BadValue(field, N_("not a whole number ≥ 0: '{value}'"), value=value)
    return int(value)


def _file_stock(conn: Connection, actor: Actor, skus: dict[str, dict[str, Any]],
                known: dict[str, dict[str, Any]], set_stock: bool,
                res: CatalogResult) -> set[str]:
    """The file's on hand through the ledger (see the module docstring)."""
    fresh = [(s, str(r["bin"]), int(r["on_hand"])) for s, r in sorted(skus.items())
             if s not in known and int(r["on_hand"])]
    if fresh:  # inserted with their stock: the ledger books its first movements
        record_new_stock(conn, actor, fresh, "import", "catalog",
                         {"file": res.what, "skus": len(fresh), "new": True})
    differ = {s: int(r["on_hand"]) for s, r in skus.items()
              if s in known and int(r["on_hand"]) != int(known[s]["on_hand"])}
    untouched = set() if set_stock else as_imported(conn, set(differ))
    moves = []
    for sku, wanted in sorted(differ.items()):
        before = int(known[sku]["on_hand"])
        if set_stock or sku in untouched:
            moves.append(Move(sku, wanted - before, None, None,
                              "set from the catalog" if set_stock else "catalog"))
        else:
            res.stock_kept.append((sku, before, wanted))
    record_movements(conn, actor, moves, "import",
                     payload={"file": res.what, "skus": len(moves),
                              "kept": len(res.stock_kept), "set_stock": set_stock})
    moved = {m.sku for m in moves} | {sku for sku, _b, _n in fresh}
    if res.stock_kept:  # on record too: what the file said and the store kept
        append_event(conn, actor, "stock_kept", None, {
            "file": res.what, "kept": [list(k) for k in res.stock_kept[:1000]],
            "count": len(res.stock_kept)})
    res.stock_set = len(moved)
    return moved


def import_catalog(engine: Engine, path: Path, *, skip_bad: bool, set_stock: bool = False,
                   operator: str = "import", station: str = "desk") -> CatalogResult:
    """Upsert SKUs and barcodes from ``path`` (see the module docstring)."""
    res = CatalogResult("catalog")
    skus: dict[str, dict[str, Any]] = {}
    codes: dict[str, tuple[str, int]] = {}
    bundles: dict[str, tuple[int, list[tuple[str, int]]]] = {}
    """SKU → (line, components) for every row when the file has a components column."""
    with open_table(Path(path)) as (table, rows):
        header_errors: list[RowError] = []
        i_sku, i_name, i_codes = (table.col(c, errors=header_errors)
                                  for c in ("sku", "name", "barcodes"))
        if header_errors:
            raise ImportFailed(header_errors)
        assert i_sku is not None and i_name is not None and i_codes is not None
        opt = {f: table.col(f) for f in _FIELDS}
        i_comp = table.col("components", "组合明细")
        i_shelf = table.col(*MIN_SHELF_DAYS)
        for line, row in rows:
            bad = bad_bytes(row, table, line)
            if bad is not None:
                res.errors.append(bad)
                continue
            get = {f: (cell(row[i]) if i is not None else "") for f, i in opt.items()}
            try:
                sku = fit(cell(row[i_sku]), 64, "sku")
                excel_damaged(sku, "sku", table.name, line, export=False)
                for part in cell(row[i_codes]).split("|"):
                    excel_damaged(part.partition("*")[0].strip(), "barcodes", table.name, line,
                                  export=False)
                if not sku:
                    raise BadValue("sku", N_("empty"))
                if sku in skus:
                    raise BadValue("sku", N_("'{sku}' appears twice"), sku=sku)
                rec = {"sku": sku, "name": fit(cell(row[i_name]), 200, "name"),
                       "attributes": fit(get["attributes"], 200, "attributes"),
                       "weight_g": parse_money(get["weight_g"] or "0", "weight_g"),
                       "bin": fit(get["bin"], 32, "bin"),
                       "price": parse_money(get["price"] or "0", "price"),
                       "on_hand": _int(get["on_hand"] or "0", "on_hand")}
                if i_shelf is not None:
                    rec["min_shelf_days"] = parse_shelf_days(cell(row[i_shelf]))
                parts = (parse_components(cell(row[i_comp]), sku)
                         if i_comp is not None else None)
                mine = parse_barcodes(cell(row[i_codes]))
                for code, _units in mine:
                    if code in codes and codes[code][0] != sku:
                        raise BadValue("barcodes", N_("'{value}' also belongs to '{sku}'"),
                                       value=code, sku=codes[code][0])
            except BadValue as b:
                res.errors.append(b.row_error(table.name, line))
                continue
            skus[sku] = rec
            codes.update((code, (sku, units)) for code, units in mine)
            if parts is not None:
                bundles[sku] = (line, parts)
    if bundles:
        _check_bundles(engine, table.name, skus, codes, bundles, res.errors)
    if res.errors and not skip_bad:
        raise ImportFailed(res.errors)
    with import_tx(engine) as conn:
        cols = ("sku", "name", *_SKU_FIELDS,
                *(("min_shelf_days",) if i_shelf is not None else ()))
        known = {r.sku: r._asdict() for r in conn.execute(
            select(*(SKU.c[c] for c in (*cols, "on_hand"))))}
        fresh = [{**{c: r[c] for c in cols}, "on_hand": r["on_hand"]} for s, r in skus.items()
                 if s not in known]
        changed = [{f"_{k}": r[k] for k in cols} for s, r in skus.items()
                   if s in known and any(known[s][k] != r[k] for k in cols)]
        for i in range(0, len(fresh), BATCH):
            conn.execute(SKU.insert(), fresh[i:i + BATCH])
        if changed:
            conn.execute(SKU.update().where(SKU.c.sku == bindparam("_sku")).values(
                {k: bindparam(f"_{k}") for k in cols[1:]}), changed)
            rehomed = [{"_sku": c["_sku"], "_bin": c["_bin"]} for c in changed
                       if known[c["_sku"]]["bin"] != c["_bin"]]
            if rehomed:  # the new home bin's units are the home's now: no row of their own
                conn.execute(STOCK_BINS.delete().where(STOCK_BINS.c.sku == bindparam("_sku"),
                                                       STOCK_BINS.c.bin == bindparam("_bin")),
                             rehomed)
        stocked = _file_stock(conn, Actor(station, operator), skus, known, set_stock, res)
        updated = {c["_sku"] for c in changed} | {s for s in stocked if s in known}
        res.unchanged = len(skus) - len(fresh) - len(updated)
        have = {c: (s, u) for c, s, u in conn.execute(
            select(BARCODE.c.code, BARCODE.c.sku, BARCODE.c.units))}
        new_codes = [{"code": c, "sku": s, "units": u} for c, (s, u) in codes.items()
                     if c not in have]
        moved = [{"_code": c, "_sku": s, "_units": u} for c, (s, u) in codes.items()
                 if c in have and have[c] != (s, u)]
        for i in range(0, len(new_codes), BATCH):
            conn.execute(BARCODE.insert(), new_codes[i:i + BATCH])
        if moved:
            conn.execute(BARCODE.update().where(BARCODE.c.code == bindparam("_code")).values(
                sku=bindparam("_sku"), units=bindparam("_units")), moved)
        if bundles:
            conn.execute(COMPONENT.delete().where(COMPONENT.c.bundle.in_(list(bundles))))
            parts_rows = [{"bundle": b, "component": c, "qty": q}
                          for b, (_line, parts) in bundles.items() for c, q in parts]
            for i in range(0, len(parts_rows), BATCH):
                conn.execute(COMPONENT.insert(), parts_rows[i:i + BATCH])
        res.inserted, res.updated = len(fresh), len(updated)
        res.lines = len(new_codes) + len(moved)
        res.skipped = len(res.errors)
        record_rejected(conn, res.errors, station="desk", operator="import")
    return res


def take_catalog_stock(engine: Engine, kept: list[tuple[str, int, int]], *,
                       operator: str = "import", station: str = "desk") -> list[str]:
    """After the person said yes: set each kept SKU to the file's on hand (an ``import``
    movement), unless its stock moved meanwhile; the SKUs that did move (left as they are)."""
    with import_tx(engine) as conn:
        now_at = {r.sku: int(r.on_hand) for r in conn.execute(
            select(SKU.c.sku, SKU.c.on_hand).where(SKU.c.sku.in_([k for k, _s, _f in kept])))}
        moves = [Move(sku, wanted - store, None, None, "set from the catalog (confirmed)")
                 for sku, store, wanted in kept if now_at.get(sku) == store]
        record_movements(conn, Actor(station, operator), moves, "import",
                         payload={"confirmed": True, "skus": len(moves)})
    return [sku for sku, store, _w in kept if now_at.get(sku) != store]
