"""Importing the catalog: SKUs and their barcodes (``CODE*6`` = a case of 6 units), upserted.

Columns by header name: sku, name, barcodes (required); attributes, weight_g, bin, price,
on_hand (optional). A 13-digit numeric barcode must carry a valid EAN-13 check digit. A barcode
already in the store is moved to the SKU the catalog names; barcodes the file does not mention
are left alone. Without ``skip_bad`` a file with any bad row writes nothing.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, bindparam, select

from pickpack.intake.common import BARCODE, BATCH, SKU, import_tx, record_rejected
from pickpack.intake.result import ImportFailed, ImportResult, RowError
from pickpack.intake.source import BadValue, bad_bytes, cell, fit, open_table, parse_money

_CODE = re.compile(r"[!-~]{1,64}")
_INT = re.compile(r"-?\d{1,9}")
_FIELDS = ("attributes", "weight_g", "bin", "price", "on_hand")


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
            raise BadValue(field, f"not a barcode: '{code}'")
        if len(code) == 13 and code.isdigit() and not ean13_ok(code):
            raise BadValue(field, f"bad EAN-13 check digit: '{code}'")
        units = 1
        if star:
            if not n.strip().isdigit() or int(n) < 1:
                raise BadValue(field, f"not a unit count: '{part}'")
            units = int(n)
        out.append((code, units))
    return out


def _int(value: str, field: str) -> int:
    if not _INT.fullmatch(value) or int(value) < 0:
        raise BadValue(field, f"not a whole number ≥ 0: '{value}'")
    return int(value)


def import_catalog(engine: Engine, path: Path, *, skip_bad: bool) -> ImportResult:
    """Upsert SKUs and barcodes from ``path`` (see the module docstring)."""
    res = ImportResult("catalog")
    skus: dict[str, dict[str, Any]] = {}
    codes: dict[str, tuple[str, int]] = {}
    with open_table(Path(path)) as (table, rows):
        header_errors: list[RowError] = []
        i_sku, i_name, i_codes = (table.col(c, errors=header_errors)
                                  for c in ("sku", "name", "barcodes"))
        if header_errors:
            raise ImportFailed(header_errors)
        assert i_sku is not None and i_name is not None and i_codes is not None
        opt = {f: table.col(f) for f in _FIELDS}
        for line, row in rows:
            bad = bad_bytes(row, table, line)
            if bad is not None:
                res.errors.append(bad)
                continue
            get = {f: (cell(row[i]) if i is not None else "") for f, i in opt.items()}
            try:
                sku = fit(cell(row[i_sku]), 64, "sku")
                if not sku:
                    raise BadValue("sku", "empty")
                if sku in skus:
                    raise BadValue("sku", f"'{sku}' appears twice")
                rec = {"sku": sku, "name": fit(cell(row[i_name]), 200, "name"),
                       "attributes": fit(get["attributes"], 200, "attributes"),
                       "weight_g": parse_money(get["weight_g"] or "0", "weight_g"),
                       "bin": fit(get["bin"], 32, "bin"),
                       "price": parse_money(get["price"] or "0", "price"),
                       "on_hand": _int(get["on_hand"] or "0", "on_hand")}
                mine = parse_barcodes(cell(row[i_codes]))
                for code, _units in mine:
                    if code in codes and codes[code][0] != sku:
                        raise BadValue("barcodes", f"'{code}' also belongs to {codes[code][0]}")
            except BadValue as b:
                res.errors.append(RowError(table.name, line, b.field, b.message))
                continue
            skus[sku] = rec
            codes.update((code, (sku, units)) for code, units in mine)
    if res.errors and not skip_bad:
        raise ImportFailed(res.errors)
    with import_tx(engine) as conn:
        cols = ("sku", "name", *_FIELDS)
        known = {r.sku: r._asdict() for r in conn.execute(select(*(SKU.c[c] for c in cols)))}
        fresh = [r for s, r in skus.items() if s not in known]
        changed = [{f"_{k}": v for k, v in r.items()} for s, r in skus.items()
                   if s in known and known[s] != r]
        res.unchanged = len(skus) - len(fresh) - len(changed)
        for i in range(0, len(fresh), BATCH):
            conn.execute(SKU.insert(), fresh[i:i + BATCH])
        if changed:
            conn.execute(SKU.update().where(SKU.c.sku == bindparam("_sku")).values(
                {k: bindparam(f"_{k}") for k in cols[1:]}), changed)
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
        res.inserted, res.updated = len(fresh), len(changed)
        res.lines = len(new_codes) + len(moved)
        res.skipped = len(res.errors)
        record_rejected(conn, res.errors, station="desk", operator="import")
    return res
