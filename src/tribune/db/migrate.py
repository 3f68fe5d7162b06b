"""Schema migrations (Alembic): create or upgrade the database, and check its version.

The code refuses to run on a database whose schema is newer than the code knows (someone ran a
newer Tribune against it): guessing would risk the data.
"""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

from tribune.db.engine import Database, DatabaseError


class SchemaError(DatabaseError):
    """The database's schema does not match this code."""


def _config(conn: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", "tribune.db:migrations")
    if conn is not None:
        cfg.attributes["connection"] = conn
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    return {rev.revision for rev in ScriptDirectory.from_config(_config()).walk_revisions()}


def current_revision(db: Database) -> str | None:
    with db.read() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(db: Database) -> tuple[str | None, str]:
    """Create or upgrade the schema to the newest revision; idempotent. Returns (before, after)."""
    before = current_revision(db)
    if before is not None and before not in known_revisions():
        raise SchemaError(_too_new(db, before))
    with db.write() as conn:
        command.upgrade(_config(conn), "head")
    return before, head_revision()


def check_schema(db: Database) -> None:
    """Raise :class:`SchemaError` unless the database is at the code's newest revision."""
    current = current_revision(db)
    if current is None:
        raise SchemaError(f"the database {db.describe()} is not initialised: run `tribune init`")
    if current not in known_revisions():
        raise SchemaError(_too_new(db, current))
    if current != head_revision():
        raise SchemaError(
            f"the database {db.describe()} is at schema {current}, older than this code's "
            f"{head_revision()}: run `tribune init` to upgrade it"
        )


def _too_new(db: Database, revision: str) -> str:
    return (
        f"the database {db.describe()} has schema revision {revision}, which this version of "
        "Tribune does not know: it was migrated by a newer Tribune. Upgrade Tribune; "
        "nothing was changed."
    )
