"""item_signatures and item_bands: MinHash signatures and their LSH bands, for near duplicates

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 11:05:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "item_signatures",
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("minhash", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["items.id"],
            name=op.f("fk_item_signatures_item_id_items"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("item_id", name=op.f("pk_item_signatures")),
    )
    op.create_table(
        "item_bands",
        sa.Column("band", sa.Integer(), nullable=False),
        sa.Column("bucket", sa.BigInteger(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["items.id"], name=op.f("fk_item_bands_item_id_items"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("band", "bucket", "item_id", name=op.f("pk_item_bands")),
    )


def downgrade() -> None:
    op.drop_table("item_bands")
    op.drop_table("item_signatures")
