"""basket order index: free a basket and age reports without scanning the whole table

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 21:00:00

Completing an order's verify frees its basket (``UPDATE basket … WHERE order_id = ?``); without
an index that scanned every basket, a tenth of a second on a store of a million orders. The
late and cut-off reports filter on ``paid_at``.
"""
from __future__ import annotations

from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_basket_order_id", "basket", ["order_id"])
    op.create_index("ix_orders_paid_at", "orders", ["paid_at"])


def downgrade() -> None:
    op.drop_index("ix_orders_paid_at", table_name="orders")
    op.drop_index("ix_basket_order_id", table_name="basket")
