"""items: decaying re-fetch state; leases: one scheduler among many processes

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 12:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import tribune.db.types

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("items") as batch:
        batch.add_column(
            sa.Column("refetch_count", sa.Integer(), nullable=False, server_default="0")
        )
        batch.add_column(
            sa.Column("next_refetch_at", tribune.db.types.UTCDateTime(), nullable=True)
        )
        batch.add_column(sa.Column("page_etag", sa.String(length=400), nullable=True))
        batch.add_column(sa.Column("page_last_modified", sa.String(length=100), nullable=True))
        batch.create_index(op.f("ix_items_next_refetch_at"), ["next_refetch_at"], unique=False)
    op.create_table(
        "leases",
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("holder", sa.String(length=200), nullable=False),
        sa.Column("expires_at", tribune.db.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_leases")),
    )


def downgrade() -> None:
    op.drop_table("leases")
    with op.batch_alter_table("items") as batch:
        batch.drop_index(op.f("ix_items_next_refetch_at"))
        batch.drop_column("page_last_modified")
        batch.drop_column("page_etag")
        batch.drop_column("next_refetch_at")
        batch.drop_column("refetch_count")
