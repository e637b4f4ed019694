"""Alembic environment: migrations run on the connection that `store.database.upgrade` passes in."""

from alembic import context

from threadguard.store.schema import Base, include_name

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    include_name=include_name,
)
with context.begin_transaction():
    context.run_migrations()
