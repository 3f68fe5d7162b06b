"""role_claims: role statements found in items, proposed to editors; roles.updated_at

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import tribune.db.types

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("roles") as batch:
        batch.add_column(
            sa.Column(
                "updated_at",
                tribune.db.types.UTCDateTime(),
                nullable=False,
                server_default=sa.func.current_timestamp(),
            )
        )
    op.create_table(
        "role_claims",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("person_id", sa.String(length=120), nullable=True),
        sa.Column("person_name", sa.String(length=300), nullable=False),
        sa.Column("org_id", sa.String(length=80), nullable=False),
        sa.Column("org_surface", sa.String(length=400), nullable=False),
        sa.Column("title", sa.String(length=40), nullable=False),
        sa.Column("title_surface", sa.String(length=200), nullable=False),
        sa.Column("field", sa.String(length=20), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("claimed_on", sa.Date(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("version", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["items.id"],
            name=op.f("fk_role_claims_item_id_items"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_role_claims")),
        sa.UniqueConstraint("key", name=op.f("uq_role_claims_key")),
    )
    op.create_index(op.f("ix_role_claims_item_id"), "role_claims", ["item_id"], unique=False)
    op.create_index(op.f("ix_role_claims_person_id"), "role_claims", ["person_id"], unique=False)
    op.create_index("ix_role_claims_org_title", "role_claims", ["org_id", "title"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_role_claims_org_title", table_name="role_claims")
    op.drop_index(op.f("ix_role_claims_person_id"), table_name="role_claims")
    op.drop_index(op.f("ix_role_claims_item_id"), table_name="role_claims")
    op.drop_table("role_claims")
    with op.batch_alter_table("roles") as batch:
        batch.drop_column("updated_at")
