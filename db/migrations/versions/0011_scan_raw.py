"""scan raw: the verify count on PostgreSQL records the code as scanned and its symbology

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 23:30:00

PostgreSQL only. ``pickpack_count_item`` (revision 0005) wrote the ``item_scanned`` payload with
the code it looked up (a GTIN read out of a GS1 element string, say), not the code the scanner
sent. It now takes two more parameters, the raw code and the scanner's AIM symbology identifier
(NULL when it sent none), and appends them as the payload's last keys ``raw`` and
``symbology``, laid out as the SQLite path's ``json.dumps`` lays them out. Nothing else in the
function changes. Downgrade restores revision 0005's function.
"""
from __future__ import annotations

from importlib import import_module
from types import ModuleType

from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

OLD_SIGNATURE = ("pickpack_count_item(integer, text, integer, text, text[], text, text, text, "
                 "timestamptz)")
NEW_SIGNATURE = ("pickpack_count_item(integer, text, integer, text, text[], text, text, text, "
                 "timestamptz, text, text)")

_OLD_PARAMS = "p_done_state text, p_station text, p_operator text, p_at timestamptz,"
_NEW_PARAMS = ("p_done_state text, p_station text, p_operator text, p_at timestamptz,\n"
               "    p_raw text, p_symbology text,")
_OLD_PAYLOAD = """format('{"sku": %s, "code": %s, "units": %s, "lot": %s}', to_json(sku),
                          to_json(p_code), units, coalesce(to_json(p_lot)::text, 'null')),"""
_NEW_PAYLOAD = """format('{"sku": %s, "code": %s, "units": %s, "lot": %s, "raw": %s, "symbology": %s}',
                          to_json(sku), to_json(p_code), units,
                          coalesce(to_json(p_lot)::text, 'null'),
                          to_json(coalesce(p_raw, p_code)),
                          coalesce(to_json(p_symbology)::text, 'null')),"""


def _rev0005() -> ModuleType:
    return import_module("db.migrations.versions.0005_pg_count_two_statements")


def count_item() -> str:
    """Revision 0005's function text with the two new parameters and payload keys."""
    text: str = _rev0005().COUNT_ITEM
    for old, new in ((_OLD_PARAMS, _NEW_PARAMS), (_OLD_PAYLOAD, _NEW_PAYLOAD)):
        if text.count(old) != 1:
            raise RuntimeError(f"revision 0005's count function is not as 0011 expects: {old!r}")
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
    op.execute(_rev0005().COUNT_ITEM)
