"""the desk: holds, remarks, merge and split, address changes

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 01:45:00

``desk_order`` keeps what the desk decided for an order (acknowledged remark actions, approvals,
the parcel a merged order travels in, the platform order of a split parcel); ``desk_line`` where
a moved or added line came from; ``void_waybill`` the tracking numbers an address change voided
(they stay assigned in ``waybill``: never back in the pool). See docs/DESK.md.
"""
from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

_S = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "desk_order",
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("gift_message", sa.Text(), nullable=False, server_default=""),
        sa.Column("no_price", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("invoice", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("courier", _S(length=16), nullable=False, server_default=""),
        sa.Column("avoid", _S(length=100), nullable=False, server_default=""),
        sa.Column("urgent", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("acked_by", _S(length=32), nullable=True),
        sa.Column("acked_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("approved", _S(length=100), nullable=False, server_default=""),
        sa.Column("parcel_id", sa.Integer(), nullable=True),
        sa.Column("split_from", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"]),
        sa.ForeignKeyConstraint(["parcel_id"], ["orders.id"]),
        sa.ForeignKeyConstraint(["split_from"], ["orders.id"]),
        sa.PrimaryKeyConstraint("order_id"),
    )
    op.create_index("ix_desk_order_parcel_id", "desk_order", ["parcel_id"])
    op.create_index("ix_desk_order_split_from", "desk_order", ["split_from"])
    op.create_table(
        "desk_line",
        sa.Column("line_id", sa.Integer(), nullable=False),
        sa.Column("origin_id", sa.Integer(), nullable=True),
        sa.Column("from_line", sa.Integer(), nullable=True),
        sa.Column("gift", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.ForeignKeyConstraint(["line_id"], ["order_line.id"]),
        sa.ForeignKeyConstraint(["origin_id"], ["orders.id"]),
        sa.PrimaryKeyConstraint("line_id"),
    )
    op.create_index("ix_desk_line_origin_id", "desk_line", ["origin_id"])
    op.create_table(
        "void_waybill",
        sa.Column("tracking_no", _S(length=40), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("courier", _S(length=16), nullable=False),
        sa.Column("replaced_by", _S(length=40), nullable=True),
        sa.Column("reason", _S(length=200), nullable=False, server_default=""),
        sa.Column("voided_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["tracking_no"], ["waybill.tracking_no"]),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"]),
        sa.PrimaryKeyConstraint("tracking_no"),
    )
    op.create_index("ix_void_waybill_order_id", "void_waybill", ["order_id"])


def downgrade() -> None:
    op.drop_index("ix_void_waybill_order_id", "void_waybill")
    op.drop_table("void_waybill")
    op.drop_index("ix_desk_line_origin_id", "desk_line")
    op.drop_table("desk_line")
    op.drop_index("ix_desk_order_split_from", "desk_order")
    op.drop_index("ix_desk_order_parcel_id", "desk_order")
    op.drop_table("desk_order")
