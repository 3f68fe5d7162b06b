"""Gathering tables: sources, items, their revisions and per-item stage state."""

from __future__ import annotations

import sqlalchemy as sa

from tribune.db.tables.base import metadata, timestamp
from tribune.db.types import UTCDateTime

#
sources = sa.Table(
    "sources",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("public_id", sa.String(36), nullable=False, unique=True),
    sa.Column("org_id", sa.String(80), sa.ForeignKey("organizations.id"), nullable=True),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("url", sa.String(2000), nullable=False, unique=True),
    sa.Column("title", sa.String(400), nullable=False, default="", server_default=""),
    sa.Column("recipe", sa.JSON, nullable=True),
    sa.Column("language", sa.String(10), nullable=False, default=""),
    sa.Column("rights", sa.String(20), nullable=False, default="full-text"),
    sa.Column("state", sa.String(20), nullable=False, default="active"),
    sa.Column("etag", sa.String(400), nullable=True),
    sa.Column("last_modified", sa.String(100), nullable=True),
    sa.Column("min_interval_s", sa.Integer, nullable=False, default=900),
    sa.Column("max_interval_s", sa.Integer, nullable=False, default=86400),
    sa.Column("interval_s", sa.Integer, nullable=False, default=3600),
    sa.Column("next_check_at", UTCDateTime, nullable=True, index=True),
    sa.Column("last_success_at", UTCDateTime, nullable=True),
    sa.Column("last_error", sa.Text, nullable=True),
    sa.Column("last_error_at", UTCDateTime, nullable=True),
    sa.Column("error_count", sa.Integer, nullable=False, default=0),
    timestamp("created_at"),
    sa.CheckConstraint("rights IN ('full-text', 'excerpt')", name="rights"),
)

items = sa.Table(
    "items",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("public_id", sa.String(36), nullable=False, unique=True),
    sa.Column("slug", sa.String(200), nullable=False, default=""),
    sa.Column("source_id", sa.Integer, sa.ForeignKey("sources.id"), nullable=True, index=True),
    sa.Column("url", sa.String(2000), nullable=False),
    sa.Column("canonical_url", sa.String(2000), nullable=False, index=True),
    sa.Column("guid", sa.String(2000), nullable=True),
    sa.Column("title", sa.Text, nullable=False, default=""),
    sa.Column("lead", sa.Text, nullable=False, default=""),
    sa.Column("body_html", sa.Text, nullable=False, default=""),
    sa.Column("body_text", sa.Text, nullable=False, default=""),
    sa.Column("language", sa.String(10), nullable=False, default=""),
    sa.Column("published_at", UTCDateTime, nullable=True, index=True),
    sa.Column("published_offset", sa.Integer, nullable=True),
    sa.Column("published_precision", sa.String(10), nullable=True),
    sa.Column("fetched_at", UTCDateTime, nullable=False),
    sa.Column("content_hash", sa.String(64), nullable=False, index=True),
    sa.Column("kind", sa.String(40), nullable=True),
    sa.Column("status", sa.String(20), nullable=False, default="inbox", index=True),
    sa.Column("duplicate_of", sa.Integer, sa.ForeignKey("items.id"), nullable=True),
    sa.Column("edition_of", sa.Integer, sa.ForeignKey("items.id"), nullable=True),
    sa.Column("featured", sa.Boolean, nullable=False, default=False),
    sa.Column("correction", sa.Text, nullable=False, default=""),
    # The decaying re-fetch of the item's page (ingest.schedule.REFETCH_AFTER)
    sa.Column("refetch_count", sa.Integer, nullable=False, default=0, server_default="0"),
    sa.Column("next_refetch_at", UTCDateTime, nullable=True, index=True),
    sa.Column("page_etag", sa.String(400), nullable=True),
    sa.Column("page_last_modified", sa.String(100), nullable=True),
    timestamp("created_at"),
    timestamp("updated_at"),
    sa.CheckConstraint(
        "status IN ('inbox', 'published', 'rejected', 'duplicate', 'withdrawn')", name="status"
    ),
    # listings: newest published first, without sorting the whole table
    sa.Index("ix_items_listing", "status", "published_at", "id"),
    sa.Index("ix_items_featured", "featured", "status", "published_at"),
    sa.Index("ix_items_edition_of", "edition_of"),
)

item_revisions = sa.Table(
    "item_revisions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("item_id", sa.Integer, sa.ForeignKey("items.id", ondelete="CASCADE"), index=True),
    sa.Column("content_hash", sa.String(64), nullable=False),
    sa.Column("title", sa.Text, nullable=False, default=""),
    sa.Column("body_html", sa.Text, nullable=False, default=""),
    sa.Column("body_text", sa.Text, nullable=False, default=""),
    sa.Column("fetched_at", UTCDateTime, nullable=False),
    sa.UniqueConstraint("item_id", "content_hash"),
)

item_stages = sa.Table(
    "item_stages",
    metadata,
    sa.Column(
        "item_id", sa.Integer, sa.ForeignKey("items.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("stage", sa.String(40), primary_key=True),
    sa.Column("version", sa.String(40), nullable=False),
    sa.Column("state", sa.String(20), nullable=False),  # pending, running, done, failed
    sa.Column("error", sa.Text, nullable=True),
    sa.Column("updated_at", UTCDateTime, nullable=False),
)

mentions = sa.Table(
    "mentions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("item_id", sa.Integer, sa.ForeignKey("items.id", ondelete="CASCADE"), index=True),
    sa.Column("field", sa.String(20), nullable=False),  # title, lead, body
    sa.Column("start", sa.Integer, nullable=False),
    sa.Column("end", sa.Integer, nullable=False),
    sa.Column("surface", sa.String(400), nullable=False),
    sa.Column("type", sa.String(10), nullable=False),  # org, person, event, country
    sa.Column("entity_id", sa.String(120), nullable=True),
    sa.Column("candidates", sa.JSON, nullable=True),
    sa.Column("confidence", sa.Float, nullable=False),
    sa.Column("version", sa.String(40), nullable=False),
    # listings by entity (an organisation's, a country's... page) look mentions up this way
    sa.Index("ix_mentions_entity", "type", "entity_id"),
)

item_kinds = sa.Table(
    "item_kinds",
    metadata,
    sa.Column(
        "item_id", sa.Integer, sa.ForeignKey("items.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("kind", sa.String(40), nullable=False),
    sa.Column("confidence", sa.Float, nullable=False),
    sa.Column("version", sa.String(40), nullable=False),
    # what the guess rests on: the cue phrases found, or "classifier"
    sa.Column("evidence", sa.String(400), nullable=False, server_default=""),
)

item_signatures = sa.Table(
    "item_signatures",
    metadata,
    sa.Column(
        "item_id", sa.Integer, sa.ForeignKey("items.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("minhash", sa.LargeBinary, nullable=False),  # see tribune.ingest.dedupe
)

item_bands = sa.Table(
    "item_bands",
    metadata,
    sa.Column("band", sa.Integer, primary_key=True),
    sa.Column("bucket", sa.BigInteger, primary_key=True),
    sa.Column(
        "item_id",
        sa.Integer,
        sa.ForeignKey("items.id", ondelete="CASCADE"),
        primary_key=True,
    ),
)

# Role statements found in an item ("Kemal Okuyan, General Secretary of the TKP"), one row per
# (item, person, organisation, title). Machine output of the roles stage: rebuilt on reprocess;
# an editor's answer lives in ``decisions`` under the row's ``key``, which is derived from the
# claim's content so that it survives the rebuild.
role_claims = sa.Table(
    "role_claims",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("key", sa.String(40), nullable=False, unique=True),
    sa.Column("item_id", sa.Integer, sa.ForeignKey("items.id", ondelete="CASCADE"), index=True),
    sa.Column("person_id", sa.String(120), nullable=True, index=True),
    sa.Column("person_name", sa.String(300), nullable=False),
    sa.Column("org_id", sa.String(80), nullable=False),
    sa.Column("org_surface", sa.String(400), nullable=False, default=""),
    sa.Column("title", sa.String(40), nullable=False),
    sa.Column("title_surface", sa.String(200), nullable=False, default=""),
    sa.Column("field", sa.String(20), nullable=False),
    sa.Column("evidence", sa.Text, nullable=False),
    sa.Column("claimed_on", sa.Date, nullable=False),
    sa.Column("confidence", sa.Float, nullable=False),
    sa.Column("version", sa.String(40), nullable=False),
    sa.Index("ix_role_claims_org_title", "org_id", "title"),
)
