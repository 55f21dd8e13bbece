"""pg notify: live updates on PostgreSQL (a NOTIFY on pickpack_events per event row)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 10:00:00

Only PostgreSQL gets the trigger; on SQLite this revision does nothing (live views poll the
event table there). The payload names the schema so that several stores in one database (or
test schemas) do not wake each other's views.
"""
from __future__ import annotations

from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        """
        CREATE OR REPLACE FUNCTION pickpack_notify_event() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('pickpack_events', json_build_object(
                'schema', TG_TABLE_SCHEMA, 'id', NEW.id, 'order_id', NEW.order_id,
                'kind', NEW.kind, 'station', NEW.station)::text);
            RETURN NULL;
        END
        $$
        """
    )
    op.execute(
        "CREATE TRIGGER event_notify AFTER INSERT ON event "
        "FOR EACH ROW EXECUTE FUNCTION pickpack_notify_event()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER IF EXISTS event_notify ON event")
    op.execute("DROP FUNCTION IF EXISTS pickpack_notify_event()")
