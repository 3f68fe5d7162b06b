"""Alembic environment: migrations run on a connection handed over by tribune.db.migrate."""

from __future__ import annotations

from alembic import context

from tribune.db.tables import is_search_table, metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reached by running alembic by hand
    raise SystemExit("run migrations with `tribune init`, which provides the connection")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    # the search index is made by hand per backend (tribune.db.search)
    include_name=lambda name, kind, _parent: kind != "table" or not is_search_table(name),
)
with context.begin_transaction():
    context.run_migrations()
