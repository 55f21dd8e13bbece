"""classify: the verify count on PostgreSQL finds a barcode by any of its GTIN spellings

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 01:45:00

PostgreSQL only (SQLite's count is the Python path in pickpack.core.verify, which does the
same). A scan means what the store says first; for an item counted at verify that look-up rides
in the count's own round trip. ``pickpack_count_item`` takes two more parameters:

- ``p_forms text[]``: the spellings the catalog may hold the scanned code in (its GTIN-14 and
  that number without its leading zeros as EAN-13, UPC-A, EAN-8; UPC-E expanded; the code as
  scanned first). The barcode is found by ``code = ANY (p_forms)`` (the primary key: an index
  scan); when two spellings are held, the line with most still to count wins, then the code as
  scanned, as on SQLite.
- ``p_expiry text``: the GS1 expiry date (17) of the scan, ISO ``YYYY-MM-DD`` or NULL; the
  ``item_scanned`` payload carries it as ``"expiry"`` after ``"lot"``, only when there is one,
  laid out as the SQLite path's ``json.dumps`` lays it out.

Nothing else in the function changes. Downgrade restores revision 0012's function.
"""
from __future__ import annotations

from importlib import import_module
from types import ModuleType

from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

OLD_SIGNATURE = ("pickpack_count_item(integer, text, integer, text, text[], text, text, text, "
                 "timestamptz, text, text, boolean)")
NEW_SIGNATURE = ("pickpack_count_item(integer, text, integer, text, text[], text, text, text, "
                 "timestamptz, text, text, boolean, text[], text)")

_CHANGES = (
    ("    p_raw text, p_symbology text, p_free_basket boolean,",
     "    p_raw text, p_symbology text, p_free_basket boolean, p_forms text[], p_expiry text,"),
    ("        LEFT JOIN barcode c ON c.code = p_code\n",
     "        LEFT JOIN barcode c ON c.code = ANY (p_forms)\n"),
    ("        ORDER BY a.qty - a.scanned DESC, a.id LIMIT 1\n        FOR UPDATE OF x;",
     "        ORDER BY a.qty - a.scanned DESC NULLS LAST, c.code <> p_code, a.id LIMIT 1\n"
     "        FOR UPDATE OF x;"),
    ("""format('{"sku": %s, "code": %s, "units": %s, "lot": %s, "raw": %s, "symbology": %s}',
                          to_json(sku), to_json(p_code), units,
                          coalesce(to_json(p_lot)::text, 'null'),""",
     """format('{"sku": %s, "code": %s, "units": %s, "lot": %s%s, "raw": %s, "symbology": %s}',
                          to_json(sku), to_json(p_code), units,
                          coalesce(to_json(p_lot)::text, 'null'),
                          CASE WHEN p_expiry IS NULL THEN ''
                               ELSE ', "expiry": ' || to_json(p_expiry)::text END,"""),
)


def _rev0012() -> ModuleType:
    return import_module("db.migrations.versions.0012_basket_at_pack")


def count_item() -> str:
    """Revision 0012's function text with the barcode's spellings and the expiry."""
    text: str = _rev0012().count_item()
    for old, new in _CHANGES:
        if text.count(old) != 1:
            raise RuntimeError(f"revision 0012's count function is not as 0013 expects: {old!r}")
        text = text.replace(old, new)
    return text


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"DROP FUNCTION {OLD_SIGNATURE}")
    op.execute(count_item())


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"DROP FUNCTION {NEW_SIGNATURE}")
    op.execute(_rev0012().count_item())
