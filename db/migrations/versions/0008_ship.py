"""orders.manifested_at: the ship screen's "Last parcel" is the one scanned last

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 23:00:00

Manifests are per courier and open side by side at a ship station. The "Last parcel" column
showed the parcel with the highest order id, not the one scanned last; an order now carries when
it was scanned onto its manifest. Orders manifested before this revision keep NULL and sort first.
"""
from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("orders") as batch:
        batch.add_column(sa.Column("manifested_at", sqlmodel.sql.sqltypes.UTCDateTime(),
                                   nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("orders") as batch:
        batch.drop_column("manifested_at")
