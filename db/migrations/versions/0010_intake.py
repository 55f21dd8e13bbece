"""intake bundles: a catalog SKU made of other SKUs (组合商品)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 23:00:00

A bundle sold on the platform as one item is packed from its component SKUs, so pick and verify
must see the components. The catalog's ``components`` column (``SKU*qty|SKU``) fills the new
``sku_component`` table; order lines of a bundle are expanded into component lines at import.
Concurrent imports needed no schema change: they take turns under a lock (pickpack.intake.common).
"""
from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sku_component",
        sa.Column("bundle", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("component", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("qty", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["bundle"], ["sku.sku"]),
        sa.ForeignKeyConstraint(["component"], ["sku.sku"]),
        sa.PrimaryKeyConstraint("bundle", "component"),
    )


def downgrade() -> None:
    op.drop_table("sku_component")
