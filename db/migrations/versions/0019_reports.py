"""reserved (no change): held for reports and the board, which read the existing tables

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-02 01:45:00

Reserved in the revision chain so that work on several areas can land in any order; a revision
that changes nothing is a no-op on both stores.
"""
from __future__ import annotations

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
