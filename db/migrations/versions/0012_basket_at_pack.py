"""basket at pack: the verify count on PostgreSQL frees the basket only when the route has no pack

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 00:20:00

PostgreSQL only. A basket is free only once its goods have left it: packed into a carton, or put
back to their bins. ``pickpack_count_item`` (revision 0011) freed the basket at the last verify
scan, so on the whole-floor route a second picker could take a basket whose verified goods still
waited for the packer. It now takes one more parameter, ``p_free_basket``: the station passes
true only when the route has no pack step (verify is then the last step that handles the goods
loose). Nothing else in the function changes. Downgrade restores revision 0011's function.
"""
from __future__ import annotations

from importlib import import_module
from types import ModuleType

from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

OLD_SIGNATURE = ("pickpack_count_item(integer, text, integer, text, text[], text, text, text, "
                 "timestamptz, text, text)")
NEW_SIGNATURE = ("pickpack_count_item(integer, text, integer, text, text[], text, text, text, "
                 "timestamptz, text, text, boolean)")

_OLD_PARAMS = "    p_raw text, p_symbology text,"
_NEW_PARAMS = "    p_raw text, p_symbology text, p_free_basket boolean,"
_OLD_FREE = "        UPDATE basket SET order_id = NULL WHERE basket.order_id = p_order;\n"
_NEW_FREE = ("        IF p_free_basket THEN\n"
             "            UPDATE basket SET order_id = NULL WHERE basket.order_id = p_order;\n"
             "        END IF;\n")


def _rev0011() -> ModuleType:
    return import_module("db.migrations.versions.0011_scan_raw")


def count_item() -> str:
    """Revision 0011's function text with the basket freed only when asked."""
    text: str = _rev0011().count_item()
    for old, new in ((_OLD_PARAMS, _NEW_PARAMS), (_OLD_FREE, _NEW_FREE)):
        if text.count(old) != 1:
            raise RuntimeError(f"revision 0011's count function is not as 0012 expects: {old!r}")
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
    op.execute(_rev0011().count_item())
