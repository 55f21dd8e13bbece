"""a SKU's own minimum shelf life; an order's promised ship time

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-02 05:10:00

``sku.min_shelf_days``: the shortest shelf life a unit of this SKU may have left when it is
verified (catalog column; empty means ``[barcodes] min_shelf_days``). ``orders.promised_ship_at``:
the platform's promised ship time (承诺发货时间) for pre-sale orders, which orders a wave before the
72 h from payment. It is an aware time like ``paid_at`` (timestamptz on PostgreSQL), so a server
running in China time reads back what was written.
"""
from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sku") as batch:
        batch.add_column(sa.Column("min_shelf_days", sa.Integer(), nullable=True))
    with op.batch_alter_table("orders") as batch:
        batch.add_column(sa.Column("promised_ship_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("orders") as batch:
        batch.drop_column("promised_ship_at")
    with op.batch_alter_table("sku") as batch:
        batch.drop_column("min_shelf_days")
