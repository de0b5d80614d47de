"""Alembic environment: always run on a connection handed over by ``schoolhr.store.migrate``."""

from alembic import context

from schoolhr.store.all_models import metadata
from schoolhr.store.migrate import include_name

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("schoolhr migrations run only through schoolhr.store.migrate")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode rebuilds tables
    transaction_per_migration=True,
    compare_type=True,
    include_name=include_name,
)
with context.begin_transaction():
    context.run_migrations()
