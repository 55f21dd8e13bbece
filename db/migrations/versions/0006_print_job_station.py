"""print job station: each station prints its own slips; a job is stale by when it was claimed

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24 16:00:00

On one PostgreSQL store twenty stations share the print_job table. A station's print loop took
every queued job, so a slip queued at one station could come out of another's printer. A job now
carries the station that queued it and a station prints only its own (and jobs from before this
revision, which carry none). A job left ``sending`` by a crash was queued again once it was
``STALE_S`` old counted from ``created_at``: a job that had waited longer than that for a printer
that was off counted as stale the moment it was claimed, and a second loop could print it again.
``claimed_at`` is set with the claim and staleness is counted from it.
"""
from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("print_job") as batch:
        batch.add_column(sa.Column("station", sqlmodel.sql.sqltypes.AutoString(length=16),
                                   nullable=False, server_default=""))
        batch.add_column(sa.Column("claimed_at", sqlmodel.sql.sqltypes.UTCDateTime(),
                                   nullable=True))
        batch.create_index("ix_print_job_station_state", ["station", "state"])


def downgrade() -> None:
    with op.batch_alter_table("print_job") as batch:
        batch.drop_index("ix_print_job_station_state")
        batch.drop_column("claimed_at")
        batch.drop_column("station")
