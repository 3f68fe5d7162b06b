from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from tribune.db.engine import Database
from tribune.db.migrate import SchemaError, check_schema, current_revision, head_revision, upgrade
from tribune.db.tables import is_search_table, metadata


def test_first_migration_creates_every_table(empty_db: Database) -> None:
    with empty_db.read() as conn:
        names = set(sa.inspect(conn).get_table_names())
    assert set(metadata.tables) <= names


def test_migrated_schema_matches_the_tables(empty_db: Database) -> None:
    """The migrations and tables.py describe the same schema (no forgotten migration)."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    with empty_db.read() as conn:
        context = MigrationContext.configure(
            conn,
            opts={"include_name": lambda n, kind, _p: kind != "table" or not is_search_table(n)},
        )
        diff = compare_metadata(context, metadata)
    assert diff == []


def test_upgrade_is_idempotent(empty_db: Database) -> None:
    before, after = upgrade(empty_db)
    assert before == after == head_revision()
    check_schema(empty_db)


def test_uninitialised_database_is_reported(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'new.db'}")
    assert current_revision(db) is None
    with pytest.raises(SchemaError, match="not initialised: run `tribune init`"):
        check_schema(db)


def test_newer_schema_is_refused_and_left_alone(empty_db: Database) -> None:
    with empty_db.write() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '9999_future'"))
    with pytest.raises(SchemaError, match="migrated by a newer Tribune"):
        check_schema(empty_db)
    with pytest.raises(SchemaError, match="nothing was changed"):
        upgrade(empty_db)
    assert current_revision(empty_db) == "9999_future"
