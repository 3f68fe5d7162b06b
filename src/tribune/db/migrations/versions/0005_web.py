"""web: sessions, rate limits, site state (cache generation) and the full-text search index

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 16:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import tribune.db.types

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sessions",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("created_at", tribune.db.types.UTCDateTime(), nullable=False),
        sa.Column("expires_at", tribune.db.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_sessions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_sessions")),
    )
    op.create_index(op.f("ix_sessions_expires_at"), "sessions", ["expires_at"], unique=False)
    op.create_table(
        "rate_limits",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("window_start", tribune.db.types.UTCDateTime(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_rate_limits")),
    )
    op.create_table(
        "site_state",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_site_state")),
    )
    op.create_index("ix_mentions_entity", "mentions", ["type", "entity_id"], unique=False)
    op.create_index("ix_items_listing", "items", ["status", "published_at", "id"], unique=False)
    op.create_index(
        "ix_items_featured", "items", ["featured", "status", "published_at"], unique=False
    )
    op.create_index("ix_items_edition_of", "items", ["edition_of"], unique=False)
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE item_search USING fts5("
            "title, lead, body, tokenize = 'unicode61 remove_diacritics 2')"
        )
    else:
        op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        op.execute(
            "CREATE TABLE item_search ("
            " item_id integer PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,"
            " title text NOT NULL, lead text NOT NULL, body text NOT NULL,"
            " document tsvector NOT NULL)"
        )
        op.execute("CREATE INDEX ix_item_search_document ON item_search USING gin (document)")


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS item_search")
    op.drop_index("ix_mentions_entity", table_name="mentions")
    op.drop_index("ix_items_edition_of", table_name="items")
    op.drop_index("ix_items_featured", table_name="items")
    op.drop_index("ix_items_listing", table_name="items")
    op.drop_table("site_state")
    op.drop_table("rate_limits")
    op.drop_index(op.f("ix_sessions_expires_at"), table_name="sessions")
    op.drop_table("sessions")
