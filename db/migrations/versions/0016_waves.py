"""waves, batch printing, slip events

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 01:45:00

Waves (``wave``) of ready orders built by rule and priority, each order in one slot of its
wave (``wave_order``: no foreign keys, see db/models_waves.py). Slip events and the
``printed`` state need no schema change: the print queue's jobs carry a wave's slot in their
payload.
"""
from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "wave",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("courier", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("sku", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("due_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("orders", sa.Integer(), nullable=False),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.Column("picker", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("claimed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("closed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_wave_state", "wave", ["state"])
    op.create_index("ix_wave_claim", "wave", ["state", "picker", "rank", "due_at"])
    op.create_table(
        "wave_order",
        sa.Column("wave_id", sa.Integer(), nullable=False),
        sa.Column("slot", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("wave_id", "slot"),
    )
    op.create_index("ix_wave_order_order_id", "wave_order", ["order_id"])


def downgrade() -> None:
    op.drop_index("ix_wave_order_order_id", table_name="wave_order")
    op.drop_table("wave_order")
    op.drop_index("ix_wave_claim", table_name="wave")
    op.drop_index("ix_wave_state", table_name="wave")
    op.drop_table("wave")
