"""baskets and stock movements: put-away, ship-short counted

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 23:00:00

Reserved in the revision chain so that work on several areas can land in any order; a revision
that changes nothing is a no-op on both stores.
"""
from __future__ import annotations

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
