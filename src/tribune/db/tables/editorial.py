"""Editorial tables: stories, joint statements, signatures (and the joint statements the
signatures stage detects), decisions, users, audit log."""

from __future__ import annotations

import sqlalchemy as sa

from tribune.db.tables.base import metadata, timestamp
from tribune.db.types import UTCDateTime

stories = sa.Table(
    "stories",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("public_id", sa.String(36), nullable=False, unique=True),
    sa.Column("slug", sa.String(200), nullable=False, unique=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),  # event, compilation, topic
    sa.Column("state", sa.String(20), nullable=False, default="open"),  # open, closed
    sa.Column("accepted", sa.Boolean, nullable=False, default=False),
    sa.Column("event_id", sa.String(80), sa.ForeignKey("events.id"), nullable=True),
    sa.Column("version", sa.String(40), nullable=True),  # set when a stage proposed it
    timestamp("created_at"),
    timestamp("updated_at"),
    sa.CheckConstraint("kind IN ('event', 'compilation', 'topic')", name="kind"),
    sa.CheckConstraint("state IN ('open', 'closed')", name="state"),
)

story_items = sa.Table(
    "story_items",
    metadata,
    sa.Column(
        "story_id", sa.Integer, sa.ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("item_id", sa.Integer, sa.ForeignKey("items.id"), primary_key=True),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("subheadline", sa.Text, nullable=False, default=""),
    sa.Column("added_at", UTCDateTime, nullable=False),
    sa.Column("version", sa.String(40), nullable=True),  # null when an editor added it
)

joint_statements = sa.Table(
    "joint_statements",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("public_id", sa.String(36), nullable=False, unique=True),
    sa.Column("item_id", sa.Integer, sa.ForeignKey("items.id"), nullable=False, unique=True),
    sa.Column("initiators", sa.JSON, nullable=False, default=list),
    timestamp("created_at"),
)

signatures = sa.Table(
    "signatures",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "joint_statement_id",
        sa.Integer,
        sa.ForeignKey("joint_statements.id", ondelete="CASCADE"),
        index=True,
    ),
    sa.Column("org_id", sa.String(80), sa.ForeignKey("organizations.id"), nullable=True),
    sa.Column("raw_name", sa.String(400), nullable=False, default=""),
    sa.Column("group_name", sa.String(200), nullable=False, default=""),
    sa.Column("added_at", UTCDateTime, nullable=False),
    sa.Column("evidence", sa.String(2000), nullable=False, default=""),
    sa.Column("version", sa.String(40), nullable=True),
)

# The signatures stage's machine layer: an item found to be a joint statement, with the list
# of signatories its texts carry (each signer: name, group, org_id, seen_at, evidence).
joint_detections = sa.Table(
    "joint_detections",
    metadata,
    sa.Column(
        "item_id", sa.Integer, sa.ForeignKey("items.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("confidence", sa.Float, nullable=False),
    sa.Column("evidence", sa.String(400), nullable=False, default=""),
    sa.Column("signers", sa.JSON, nullable=False, default=list),
    sa.Column("version", sa.String(40), nullable=False),
    sa.Column("detected_at", UTCDateTime, nullable=False),
)

users = sa.Table(
    "users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(100), nullable=False, unique=True),
    sa.Column("password_hash", sa.String(200), nullable=False),
    sa.Column("role", sa.String(20), nullable=False),
    timestamp("created_at"),
    sa.CheckConstraint("role IN ('admin', 'editor', 'viewer')", name="role"),
)

api_tokens = sa.Table(
    "api_tokens",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(100), nullable=False, unique=True),
    sa.Column("token_hash", sa.String(200), nullable=False, unique=True),
    sa.Column("scopes", sa.JSON, nullable=False, default=list),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
    timestamp("created_at"),
)

decisions = sa.Table(
    "decisions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("public_id", sa.String(36), nullable=False, unique=True),
    # what the decision is about: ("mention", item id), ("kind", item id), ("story_item", ...)
    sa.Column("subject_type", sa.String(40), nullable=False),
    sa.Column("subject_id", sa.String(120), nullable=False),
    sa.Column("action", sa.String(20), nullable=False),  # confirm, remove, add, accept, reject
    sa.Column("payload", sa.JSON, nullable=False, default=dict),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
    timestamp("created_at"),
    sa.Index("ix_decisions_subject", "subject_type", "subject_id"),
)

audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
    sa.Column("actor", sa.String(100), nullable=False),
    sa.Column("action", sa.String(60), nullable=False),
    sa.Column("table_name", sa.String(60), nullable=False),
    sa.Column("row_id", sa.String(120), nullable=False),
    sa.Column("before", sa.JSON, nullable=True),
    sa.Column("after", sa.JSON, nullable=True),
    timestamp("created_at"),
)
