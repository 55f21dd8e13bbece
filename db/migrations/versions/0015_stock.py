"""stock ledger, floor policy in the store

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 01:45:00

Stock could only be overwritten by re-importing the catalog. It is now a ledger: every change of
a SKU's quantity is a ``stock_movement`` row with the event that explains it (import, adjustment,
count, shipped, returned); ``stock_bin`` keeps what lies outside a SKU's home bin. The on-hand
numbers already in the store open the ledger: one ``opening`` movement per SKU with stock, under
one ``stock_opened`` event. ``policy`` holds the warehouse-wide settings (seeded from config.toml
at ``db upgrade``).
"""
from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stock_bin",
        sa.Column("sku", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("bin", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("on_hand", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["sku"], ["sku.sku"]),
        sa.PrimaryKeyConstraint("sku", "bin"),
    )
    op.create_table(
        "stock_movement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_uuid", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("sku", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("bin", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("delta", sa.Integer(), nullable=False),
        sa.Column("on_hand", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("station", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("operator", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_stock_movement_sku", "stock_movement", ["sku", "id"])
    op.create_index("ix_stock_movement_bin", "stock_movement", ["bin", "id"])
    op.create_table(
        "policy",
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_by", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    _open_the_ledger()


def _open_the_ledger() -> None:
    """One ``opening`` movement per SKU with stock, under one event."""
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT sku, bin, on_hand FROM sku WHERE on_hand <> 0"
                                " ORDER BY sku")).all()
    if not rows:
        return
    at, event = datetime.now(UTC), uuid.uuid4().hex
    at_type = sqlmodel.sql.sqltypes.UTCDateTime()
    conn.execute(sa.text(
        "INSERT INTO event (uuid, order_id, station, operator, kind, payload, at)"
        " VALUES (:uuid, NULL, '', 'migration', 'stock_opened', :payload, :at)"
    ).bindparams(sa.bindparam("at", type_=at_type)),
        {"uuid": event, "at": at,
         "payload": json.dumps({"skus": len(rows), "units": sum(int(r.on_hand) for r in rows)})})
    conn.execute(sa.text(
        "INSERT INTO stock_movement (event_uuid, sku, bin, delta, on_hand, kind, order_id,"
        " reason, station, operator, at) VALUES (:event, :sku, :bin, :delta, :delta,"
        " 'opening', NULL, 'on hand before the ledger', '', 'migration', :at)"
    ).bindparams(sa.bindparam("at", type_=at_type)),
        [{"event": event, "sku": r.sku, "bin": r.bin or "", "delta": int(r.on_hand), "at": at}
         for r in rows])


def downgrade() -> None:
    op.drop_table("policy")
    op.drop_index("ix_stock_movement_bin", table_name="stock_movement")
    op.drop_index("ix_stock_movement_sku", table_name="stock_movement")
    op.drop_table("stock_movement")
    op.drop_table("stock_bin")
