"""supervisor authority: PIN hash, failed tries, lock; operators may hold several roles

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 23:00:00

A supervisor's badge alone was authority, and a photocopy of it shipped an order short. A
supervisor now proves authority with badge and PIN: ``pin_hash`` keeps the PIN hashed with a
slow KDF (central store only; the station journal never copies it), ``failed_pins`` counts wrong
PINs in a row and ``locked_until`` holds a supervisor locked after five of them. An operator may
hold several roles: ``roles`` lists them comma-separated, filled from ``role`` for everyone.
"""
from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("operator") as batch:
        batch.add_column(sa.Column("roles", sqlmodel.sql.sqltypes.AutoString(length=100),
                                   nullable=False, server_default=""))
        batch.add_column(sa.Column("pin_hash", sqlmodel.sql.sqltypes.AutoString(length=200),
                                   nullable=True))
        batch.add_column(sa.Column("failed_pins", sa.Integer(), nullable=False,
                                   server_default="0"))
        batch.add_column(sa.Column("locked_until", sqlmodel.sql.sqltypes.UTCDateTime(),
                                   nullable=True))
    op.execute("UPDATE operator SET roles = role WHERE roles = ''")


def downgrade() -> None:
    with op.batch_alter_table("operator") as batch:
        batch.drop_column("locked_until")
        batch.drop_column("failed_pins")
        batch.drop_column("pin_hash")
        batch.drop_column("roles")
