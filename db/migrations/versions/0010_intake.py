"""intake: bundles (组合商品) and a waybill pool per platform

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 23:00:00

A bundle sold on the platform as one item is packed from its component SKUs, so pick and verify
must see the components. The catalog's ``components`` column (``SKU*qty|SKU``) fills the new
``sku_component`` table; order lines of a bundle are expanded into component lines at import.
Platforms that require their own e-waybill (Pinduoduo, JD) must print only numbers from their
own pool: ``waybill.platform`` says whose a number is ('' for the shop's courier accounts).
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
    with op.batch_alter_table("waybill") as batch:
        batch.add_column(sa.Column("platform", sqlmodel.sql.sqltypes.AutoString(length=16),
                                   nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("waybill") as batch:
        batch.drop_column("platform")
    op.drop_table("sku_component")
