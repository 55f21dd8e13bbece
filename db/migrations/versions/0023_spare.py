"""reserved (no change): a spare revision in the chain

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-02 05:10:00

Reserved in the revision chain so that work on several areas can land in any order; a revision
that changes nothing is a no-op on both stores.
"""
from __future__ import annotations

revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
