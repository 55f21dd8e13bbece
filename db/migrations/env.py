"""Alembic environment: runs on the connection handed in by ``db.migrate`` (no alembic.ini)."""

from __future__ import annotations

from alembic import context

from db.models import metadata

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - migrations always run through db.migrate
    raise RuntimeError("run migrations through `pickpack db upgrade`")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
